import { Quantity } from '@trading/domain';
import { OrderEventFactory, testOrderRequest } from '../testing';
import { OrderEvent } from './order-events';
import { OrderBook } from './order-book';
import { OrderList } from './order-list';
import { ContingencyAction, ContingencyManager } from './contingency-manager';

const f = new OrderEventFactory();

/** A book + manager harness that executes the manager's actions the way the engine would. */
function harness(list: OrderList) {
  const book = new OrderBook();
  const mgr = new ContingencyManager();
  mgr.register(list);
  const log: ContingencyAction[] = [];
  const apply = (e: OrderEvent): ContingencyAction[] => {
    const r = book.apply(e);
    if (!r.ok) throw r.error;
    const actions = mgr.onTransition(r.value);
    log.push(...actions);
    return actions;
  };
  for (const req of list.orders) apply(f.initialized(req));
  for (const req of list.initialSubmissions) {
    apply(f.submitted(req.clientOrderId));
    apply(f.accepted(req.clientOrderId));
  }
  /** Engine reaction: release = submit sized + accept; cancel = local or venue cancel; modify = in-place replace. */
  const execute = (actions: ContingencyAction[]): void => {
    for (const a of actions) {
      if (a.kind === 'submit') {
        execute(apply(f.submitted(a.request.clientOrderId, a.request.quantity)));
        execute(apply(f.accepted(a.request.clientOrderId)));
      } else if (a.kind === 'cancel') {
        const o = book.get(a.clientOrderId)!;
        if (o.status !== 'INITIALIZED') execute(apply(f.pendingCancel(a.clientOrderId)));
        execute(apply(f.canceled(a.clientOrderId)));
      } else {
        execute(apply(f.pendingReplace(a.clientOrderId, a.quantity)));
        execute(apply(f.replaced(a.clientOrderId, { quantity: a.quantity })));
      }
    }
  };
  const fill = (id: string, tradeId: string, qty: number, px = '100'): ContingencyAction[] => {
    const actions = apply(f.filled(id, { tradeId, qty, px }));
    execute(actions);
    return actions;
  };
  return { book, mgr, log, apply, execute, fill };
}

const bracket = () =>
  OrderList.bracket({
    id: 'B1',
    entry: testOrderRequest({ clientOrderId: 'E', quantity: 100, limitPrice: '100' }),
    takeProfit: testOrderRequest({
      clientOrderId: 'TP',
      side: 'SELL',
      quantity: 100,
      limitPrice: '110',
    }),
    stopLoss: testOrderRequest({
      clientOrderId: 'SL',
      side: 'SELL',
      type: 'STOP',
      quantity: 100,
      stopPrice: '95',
    }),
  });

const q = (id: string, h: ReturnType<typeof harness>) => h.book.get(id as never)!;

describe('bracket orders', () => {
  it('holds the exits, then sizes them to the entry fill and grows them as the entry fills more', () => {
    const h = harness(bracket());
    expect(q('TP', h).status).toBe('INITIALIZED');
    expect(q('SL', h).status).toBe('INITIALIZED');
    const first = h.fill('E', 'e1', 30);
    expect(
      first.map((a) => [
        a.kind,
        a.kind === 'submit' ? `${a.request.clientOrderId}:${a.request.quantity}` : '',
      ]),
    ).toEqual([
      ['submit', 'TP:30'],
      ['submit', 'SL:30'],
    ]);
    expect([
      q('TP', h).status,
      q('TP', h).quantity.toString(),
      q('SL', h).quantity.toString(),
    ]).toEqual(['ACCEPTED', '30', '30']);
    const more = h.fill('E', 'e2', 50);
    expect(more).toEqual([
      { kind: 'modifyQuantity', clientOrderId: 'TP', quantity: Quantity.of(80) },
      { kind: 'modifyQuantity', clientOrderId: 'SL', quantity: Quantity.of(80) },
    ]);
    expect([q('TP', h).quantity.toString(), q('SL', h).quantity.toString()]).toEqual(['80', '80']);
    // duplicates change nothing
    const replay = h.book.apply(f.filled('E', { tradeId: 'e2', qty: 50, px: '100' }));
    expect(replay.ok && h.mgr.onTransition(replay.value)).toEqual([]);
  });

  it("one exit's partial fill reduces the other, its full fill cancels the other", () => {
    const h = harness(bracket());
    h.fill('E', 'e1', 100);
    expect(q('E', h).status).toBe('FILLED');
    const partial = h.fill('TP', 't1', 40, '110');
    expect(partial).toEqual([
      { kind: 'modifyQuantity', clientOrderId: 'SL', quantity: Quantity.of(60) },
    ]);
    expect(q('SL', h).quantity.toString()).toBe('60');
    const rest = h.fill('TP', 't2', 60, '110');
    expect(rest.map((a) => `${a.kind}:${'clientOrderId' in a ? a.clientOrderId : ''}`)).toEqual([
      'cancel:SL',
    ]);
    expect(q('SL', h).status).toBe('CANCELED');
    expect(q('TP', h).status).toBe('FILLED');
  });

  it('cancels the children when the parent is canceled or rejected before any fill', () => {
    const h = harness(bracket());
    const actions = h.apply(f.pendingCancel('E'));
    expect(actions).toEqual([]);
    const onCancel = h.apply(f.canceled('E'));
    expect(onCancel.map((a) => `${a.kind}:${'clientOrderId' in a ? a.clientOrderId : ''}`)).toEqual(
      ['cancel:TP', 'cancel:SL'],
    );
    h.execute(onCancel);
    expect([q('TP', h).status, q('SL', h).status]).toEqual(['CANCELED', 'CANCELED']);

    const r = new ContingencyManager();
    const book = new OrderBook();
    const list = bracket();
    r.register(list);
    for (const req of list.orders) book.apply(f.initialized(req));
    book.apply(f.submitted('E'));
    const t = book.apply(f.rejected('E'));
    expect(t.ok && r.onTransition(t.value).map((a) => a.kind)).toEqual(['cancel', 'cancel']);
  });

  it('keeps the exits (sized to the fill) when a partially filled parent is canceled', () => {
    const h = harness(bracket());
    h.fill('E', 'e1', 20);
    const actions = h.apply(f.canceled('E'));
    expect(actions).toEqual([]);
    expect([q('TP', h).status, q('TP', h).quantity.toString()]).toEqual(['ACCEPTED', '20']);
  });

  it('cancels the entry remainder once the exits closed everything it filled', () => {
    const h = harness(bracket());
    h.fill('E', 'e1', 30);
    const actions = h.fill('SL', 's1', 30, '95');
    expect(actions.map((a) => `${a.kind}:${'clientOrderId' in a ? a.clientOrderId : ''}`)).toEqual([
      'cancel:TP',
      'cancel:E',
    ]);
    expect([q('E', h).status, q('TP', h).status, q('SL', h).status]).toEqual([
      'CANCELED',
      'CANCELED',
      'FILLED',
    ]);
  });

  it('follows Alpaca-style replacements of an exit', () => {
    const h = harness(bracket());
    h.fill('E', 'e1', 50);
    h.apply(f.pendingReplace('TP', 50));
    const t = h.book.apply(
      f.replaced('TP', { quantity: 50, newClientOrderId: 'TP-2', limitPrice: '111' }),
    );
    expect(t.ok && h.mgr.onTransition(t.value)).toEqual([]);
    expect(h.mgr.isManaged('TP-2' as never)).toBe(true);
    const grow = h.fill('E', 'e2', 50);
    expect(
      grow.map((a) => (a.kind === 'modifyQuantity' ? `${a.clientOrderId}:${a.quantity}` : a.kind)),
    ).toEqual(['TP-2:100', 'SL:100']);
    const exit = h.fill('TP-2', 'x1', 100, '111');
    expect(exit.map((a) => `${a.kind}:${'clientOrderId' in a ? a.clientOrderId : ''}`)).toEqual([
      'cancel:SL',
    ]);
  });

  it('snapshots and restores its bookkeeping', () => {
    const h = harness(bracket());
    h.fill('E', 'e1', 30);
    const restored = ContingencyManager.fromSnapshot(
      JSON.parse(JSON.stringify(h.mgr.toSnapshot())),
    );
    expect(restored.toSnapshot()).toEqual(h.mgr.toSnapshot());
    const t = h.book.apply(f.filled('E', { tradeId: 'e2', qty: 10, px: '100' }));
    expect(t.ok && restored.onTransition(t.value)).toEqual(t.ok && h.mgr.onTransition(t.value));
    expect(restored.listOf('TP' as never)?.kind).toBe('BRACKET');
    expect(() => ContingencyManager.fromSnapshot({ version: 2 })).toThrow(/version: 1/);
  });
});

describe('OCO and OTO lists', () => {
  it('OCO: a partial fill reduces the sibling, a full fill cancels it', () => {
    const list = OrderList.oco('O1', [
      testOrderRequest({ clientOrderId: 'A', side: 'SELL', quantity: 10, limitPrice: '110' }),
      testOrderRequest({
        clientOrderId: 'B',
        side: 'SELL',
        type: 'STOP',
        quantity: 10,
        stopPrice: '90',
      }),
    ]);
    expect(list.initialSubmissions.map((r) => r.clientOrderId)).toEqual(['A', 'B']);
    const h = harness(list);
    expect(h.fill('A', 'a1', 4)).toEqual([
      { kind: 'modifyQuantity', clientOrderId: 'B', quantity: Quantity.of(6) },
    ]);
    expect(h.fill('A', 'a2', 6).map((a) => a.kind)).toEqual(['cancel']);
    expect(q('B', h).status).toBe('CANCELED');
  });

  it('OTO: each child is released sized to the parent fill and grows independently', () => {
    const list = OrderList.oto('L1', testOrderRequest({ clientOrderId: 'P', quantity: 10 }), [
      testOrderRequest({ clientOrderId: 'C', side: 'SELL', quantity: 10, limitPrice: '120' }),
    ]);
    const h = harness(list);
    expect(
      h
        .fill('P', 'p1', 4)
        .map((a) => (a.kind === 'submit' ? a.request.quantity.toString() : a.kind)),
    ).toEqual(['4']);
    expect(h.fill('P', 'p2', 6)).toEqual([
      { kind: 'modifyQuantity', clientOrderId: 'C', quantity: Quantity.of(10) },
    ]);
    expect(h.fill('C', 'c1', 10)).toEqual([]);
  });

  it('validates list shapes', () => {
    const e = testOrderRequest({ clientOrderId: 'E' });
    expect(() =>
      OrderList.bracket({
        id: 'B',
        entry: e,
        takeProfit: testOrderRequest({ clientOrderId: 'T' }),
        stopLoss: testOrderRequest({ clientOrderId: 'S', side: 'SELL', type: 'STOP' }),
      }),
    ).toThrow(/takeProfit.side/);
    expect(() =>
      OrderList.bracket({
        id: 'B',
        entry: e,
        takeProfit: testOrderRequest({ clientOrderId: 'T', side: 'SELL' }),
        stopLoss: testOrderRequest({ clientOrderId: 'S', side: 'SELL' }),
      }),
    ).toThrow(/stopLoss.type/);
    expect(() =>
      OrderList.bracket({
        id: 'B',
        entry: e,
        takeProfit: testOrderRequest({ clientOrderId: 'T', side: 'SELL', quantity: 5 }),
        stopLoss: testOrderRequest({ clientOrderId: 'S', side: 'SELL', type: 'STOP' }),
      }),
    ).toThrow(/quantity/);
    expect(() => OrderList.oco('O', [e])).toThrow(/at least 2/);
    expect(() => OrderList.oco('O', [e, e])).toThrow(/unique/);
    expect(() =>
      OrderList.oco('O', [e, testOrderRequest({ clientOrderId: 'X', quantity: 3 })]),
    ).toThrow(/quantity/);
    expect(() => OrderList.oto('bad id!', e, [testOrderRequest({ clientOrderId: 'X' })])).toThrow(
      /orderListId/,
    );
    expect(() => OrderList.oto('L', e, [])).toThrow(/at least 1/);
    const list = bracket();
    expect(list.orders[1].parentClientOrderId).toBe('E');
    expect(list.orders[1].contingency).toEqual({
      type: 'OCO',
      orderListId: 'B1',
      linkedClientOrderIds: ['SL'],
    });
    expect(OrderList.fromJSON(JSON.parse(JSON.stringify(list))).toJSON()).toEqual(list.toJSON());
    expect(() => OrderList.fromJSON({ id: 'x', kind: 'NOPE', orders: [] })).toThrow(/kind/);
    const mgr = new ContingencyManager();
    mgr.register(list);
    expect(() => mgr.register(list)).toThrow(/already registered/);
  });
});

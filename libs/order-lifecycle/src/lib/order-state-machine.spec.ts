import fc from 'fast-check';
import { Money, Quantity, venueOrderId } from '@trading/domain';
import { OrderEventFactory, testOrderRequest } from '../testing';
import { Order, orderToJson } from './order';
import { OrderEvent, ORDER_EVENT_TYPES } from './order-events';
import {
  applyOrderEvent,
  closedByTransition,
  createOrder,
  isCommonTransition,
  isLegalTransition,
  NextOrderStatus,
  ORDER_TRANSITIONS,
  OrderTransition,
} from './order-state-machine';
import { ALL_ORDER_STATUSES, isOpenStatus, isTerminalStatus, OrderStatus } from './order-status';

const f = new OrderEventFactory();

function run(order: Order, ...events: OrderEvent[]): OrderTransition {
  let t: OrderTransition | undefined;
  for (const e of events) {
    const r = applyOrderEvent(order, e);
    if (!r.ok) throw r.error;
    t = r.value;
    order = t.order;
  }
  return t as OrderTransition;
}

function working(qty = 100, type: 'LIMIT' | 'STOP' = 'LIMIT'): Order {
  const o = Order.create(testOrderRequest({ quantity: qty, type }), 1);
  return run(o, f.submitted('S1-1'), f.accepted('S1-1', 'V1')).order;
}

describe('applyOrderEvent', () => {
  it('walks the happy path with partial fills and an exact average price', () => {
    const o0 = working();
    expect(o0.status).toBe('ACCEPTED');
    expect(o0.venueOrderId).toBe('V1');
    const t1 = run(
      o0,
      f.filled('S1-1', { tradeId: 'T1', qty: 30, px: '10.00', commission: Money.of('0.30') }),
    );
    expect(t1.order.status).toBe('PARTIALLY_FILLED');
    expect(t1.fillQty?.toString()).toBe('30');
    const t2 = run(
      t1.order,
      f.filled('S1-1', { tradeId: 'T2', qty: 70, px: '10.01', commission: Money.of('0.70') }),
    );
    const o = t2.order;
    expect(o.status).toBe('FILLED');
    expect(o.filledQty.toString()).toBe('100');
    expect(o.leavesQty.toString()).toBe('0');
    // (30*10 + 70*10.01) / 100 = 10.007
    expect(o.avgPx?.toString()).toBe('10.007');
    expect(o.commissions.map((m) => m.toString())).toEqual(['1 USD']);
    expect(o.fills.map((x) => x.tradeId)).toEqual(['T1', 'T2']);
    expect(o.hasTrade('T2' as never)).toBe(true);
    expect(o.hasTrade('T3' as never)).toBe(false);
    expect(o.isTerminal).toBe(true);
    expect(closedByTransition(t2)).toBe(true);
    expect(closedByTransition(t1)).toBe(false);
    expect(o0.status).toBe('ACCEPTED'); // input untouched
  });

  it('keeps exact averages for non-terminating decimals', () => {
    let o = working(3);
    o = run(
      o,
      f.filled('S1-1', { tradeId: 'a', qty: 1, px: '1' }),
      f.filled('S1-1', { tradeId: 'b', qty: 1, px: '1' }),
      f.filled('S1-1', { tradeId: 'c', qty: 1, px: '2' }),
    ).order;
    expect(o.executedNotional.toString()).toBe('4');
    expect(o.avgPx!.value.mul(3).toDecimalPlaces(30).toString()).toBe('4');
  });

  it('returns duplicate fills unchanged (replayed venue message) and flags conflicting reuse', () => {
    const fill = f.filled('S1-1', { tradeId: 'T1', qty: 10, px: '5' });
    const o = run(working(), fill).order;
    const dup = applyOrderEvent(o, { ...fill });
    expect(dup.ok && dup.value.duplicate && !dup.value.changed && dup.value.order === o).toBe(true);
    const conflict = applyOrderEvent(o, { ...fill, lastQty: Quantity.of(11) });
    expect(!conflict.ok && conflict.error.code).toBe('DUPLICATE_FILL');
  });

  it('reports an overfill instead of clamping it away', () => {
    const t = run(
      working(100),
      f.filled('S1-1', { tradeId: 'T1', qty: 80, px: '1' }),
      f.filled('S1-1', { tradeId: 'T2', qty: 30, px: '1' }),
    );
    expect(t.order.status).toBe('FILLED');
    expect(t.order.filledQty.toString()).toBe('100');
    expect(t.order.executedQty.toString()).toBe('110');
    expect(t.overfill?.toString()).toBe('10');
    expect(t.order.overfillQty.toString()).toBe('10');
    expect(t.order.isOverfilled).toBe(true);
    const again = run(t.order, f.filled('S1-1', { tradeId: 'T3', qty: 5, px: '1' }));
    expect(again.overfill?.toString()).toBe('5');
    expect(again.order.status).toBe('FILLED');
    const strict = applyOrderEvent(
      working(10),
      f.filled('S1-1', { tradeId: 'X', qty: 11, px: '1' }),
      { rejectOverfill: true },
    );
    expect(!strict.ok && strict.error.code).toBe('OVERFILL');
  });

  it('applies fills arriving after a cancel request, a cancel or an expiry', () => {
    const pc = run(
      working(),
      f.pendingCancel('S1-1'),
      f.filled('S1-1', { tradeId: 'T1', qty: 40, px: '2' }),
    );
    expect(pc.order.status).toBe('PENDING_CANCEL');
    expect(pc.order.filledQty.toString()).toBe('40');
    const rejected = run(pc.order, f.cancelRejected('S1-1'));
    expect(rejected.order.status).toBe('PARTIALLY_FILLED');
    const canceled = run(
      working(),
      f.canceled('S1-1'),
      f.filled('S1-1', { tradeId: 'T1', qty: 40, px: '2' }),
    );
    expect(canceled.order.status).toBe('CANCELED');
    expect(canceled.order.filledQty.toString()).toBe('40');
    expect(canceled.order.leavesQty.toString()).toBe('0');
    const whole = run(
      working(),
      f.expired('S1-1'),
      f.filled('S1-1', { tradeId: 'T1', qty: 100, px: '2' }),
    );
    expect(whole.order.status).toBe('FILLED');
  });

  it('normalises cumulative quantities', () => {
    const o = working(100);
    // cumulative-only venue: lastQty 0, increment = cumulative - ours
    const t1 = run(o, f.filled('S1-1', { tradeId: 'A', qty: 0, px: '3', cumulativeQty: 25 }));
    expect(t1.order.filledQty.toString()).toBe('25');
    // out-of-order cumulative report (behind ours): trade recorded, nothing added
    const t2 = run(
      t1.order,
      f.filled('S1-1', { tradeId: 'B', qty: 0, px: '3', cumulativeQty: 20 }),
    );
    expect(t2.order.filledQty.toString()).toBe('25');
    expect(t2.fillQty).toBeUndefined();
    expect(t2.order.fills).toHaveLength(2);
    // lastQty given and the venue cumulative is ahead: a fill is missing or in flight
    const t3 = run(
      t2.order,
      f.filled('S1-1', { tradeId: 'C', qty: 10, px: '3', cumulativeQty: 50 }),
    );
    expect(t3.order.filledQty.toString()).toBe('35');
    expect(t3.missingQty?.toString()).toBe('15');
    const bad = applyOrderEvent(o, f.filled('S1-1', { tradeId: 'D', qty: 0, px: '3' }));
    expect(!bad.ok && bad.error.code).toBe('INVALID_EVENT');
  });

  it('rejects illegal transitions, wrong orders and re-initialization with typed errors', () => {
    const o = Order.create(testOrderRequest(), 1);
    const r1 = applyOrderEvent(o, f.accepted('S1-1'));
    expect(!r1.ok && r1.error.code).toBe('ILLEGAL_TRANSITION');
    expect(!r1.ok && r1.error.status).toBe('INITIALIZED');
    const r2 = applyOrderEvent(o, f.submitted('S1-2'));
    expect(!r2.ok && r2.error.code).toBe('WRONG_ORDER');
    const r3 = applyOrderEvent(o, f.initialized(testOrderRequest()));
    expect(!r3.ok && r3.error.code).toBe('ILLEGAL_TRANSITION');
    const filled = run(working(1), f.filled('S1-1', { tradeId: 'T', qty: 1, px: '1' })).order;
    const r4 = applyOrderEvent(filled, f.canceled('S1-1'));
    expect(!r4.ok && r4.error.code).toBe('ILLEGAL_TRANSITION');
    const r5 = applyOrderEvent(working(), f.triggered('S1-1'));
    expect(!r5.ok && r5.error.code).toBe('ILLEGAL_TRANSITION');
    const r6 = applyOrderEvent(working(), f.accepted('S1-1', 'OTHER'));
    expect(!r6.ok && r6.error.code).toBe('INVALID_EVENT');
  });

  it('turns an unexpected exception into an INTERNAL error instead of throwing', () => {
    const o = working();
    const broken = {
      ...f.filled('S1-1', { tradeId: 'T', qty: 1, px: '1' }),
      lastQty: undefined as unknown as Quantity,
    };
    const r = applyOrderEvent(o, broken);
    expect(!r.ok && r.error.code).toBe('INTERNAL');
  });

  it('sizes a submission from INITIALIZED and rejects a larger one', () => {
    const o = Order.create(testOrderRequest({ quantity: 100 }), 1);
    expect(run(o, f.submitted('S1-1', 40)).order.quantity.toString()).toBe('40');
    expect(run(o, f.submitted('S1-1', 100)).order.quantity.toString()).toBe('100');
    const r = applyOrderEvent(o, f.submitted('S1-1', 101));
    expect(!r.ok && r.error.code).toBe('INVALID_EVENT');
  });

  it('triggers stop orders and tolerates late acknowledgements', () => {
    const sent = run(
      Order.create(testOrderRequest({ type: 'STOP' }), 1),
      f.submitted('S1-1'),
    ).order;
    const t = run(sent, f.filled('S1-1', { tradeId: 'T', qty: 10, px: '99', venueOrderId: 'V9' }));
    expect(t.order.venueOrderId).toBe('V9');
    const late = applyOrderEvent(t.order, f.accepted('S1-1', 'V9'));
    expect(late.ok && !late.value.changed && late.value.duplicate).toBe(true);
    const trig = run(working(100, 'STOP'), f.triggered('S1-1'));
    expect(trig.order.status).toBe('TRIGGERED');
    const noVenue = run(
      Order.create(testOrderRequest({ type: 'STOP' }), 1),
      f.submitted('S1-1'),
      f.filled('S1-1', { tradeId: 'T', qty: 1, px: '1' }),
      f.accepted('S1-1', 'V2'),
    );
    expect(noVenue.order.venueOrderId).toBe('V2');
    expect(noVenue.order.status).toBe('PARTIALLY_FILLED');
  });

  it('replaces Alpaca style (REPLACED + new order) and in place (same order)', () => {
    const pending = run(
      working(100),
      f.filled('S1-1', { tradeId: 'T', qty: 10, px: '1' }),
      f.pendingReplace('S1-1', 50),
    ).order;
    const alpaca = run(
      pending,
      f.replaced('S1-1', {
        quantity: 40,
        newClientOrderId: 'S1-2',
        venueOrderId: 'V2',
        limitPrice: '101',
      }),
    );
    expect(alpaca.order.status).toBe('REPLACED');
    expect(alpaca.order.replacedBy).toBe('S1-2');
    expect(alpaca.order.filledQty.toString()).toBe('10');
    const rep = alpaca.replacement!;
    expect([
      rep.clientOrderId,
      rep.status,
      rep.quantity.toString(),
      rep.limitPrice?.toString(),
      rep.venueOrderId,
      rep.replaces,
    ]).toEqual(['S1-2', 'ACCEPTED', '40', '101', 'V2', 'S1-1']);
    const replay = applyOrderEvent(alpaca.order, {
      ...f.replaced('S1-1', { quantity: 40, newClientOrderId: 'S1-2' }),
    });
    expect(replay.ok && replay.value.duplicate).toBe(true);
    const inPlace = run(pending, f.replaced('S1-1', { quantity: 50, limitPrice: '99' }));
    expect([
      inPlace.order.status,
      inPlace.order.quantity.toString(),
      inPlace.order.limitPrice?.toString(),
      inPlace.replacement,
    ]).toEqual(['PARTIALLY_FILLED', '50', '99', undefined]);
    const below = applyOrderEvent(pending, f.replaced('S1-1', { quantity: 5 }));
    expect(!below.ok && below.error.code).toBe('INVALID_EVENT');
    const badPx = applyOrderEvent(pending, f.replaced('S1-1', { quantity: 50, stopPrice: '1' }));
    expect(!badPx.ok && badPx.error.code).toBe('INVALID_EVENT');
    const sameId = applyOrderEvent(
      pending,
      f.replaced('S1-1', { quantity: 50, newClientOrderId: 'S1-1' }),
    );
    expect(!sameId.ok && sameId.error.code).toBe('INVALID_EVENT');
    expect(run(pending, f.replaceRejected('S1-1')).order.status).toBe('PARTIALLY_FILLED');
  });

  it('handles a cancel requested while a replace is pending', () => {
    const o = run(working(100), f.pendingReplace('S1-1'), f.pendingCancel('S1-1')).order;
    expect(o.status).toBe('PENDING_CANCEL');
    expect(run(o, f.replaceRejected('S1-1')).order.status).toBe('PENDING_CANCEL');
    expect(run(o, f.replaced('S1-1', { quantity: 80 })).order.status).toBe('PENDING_CANCEL');
    expect(run(o, f.cancelRejected('S1-1')).order.status).toBe('ACCEPTED');
    expect(run(o, f.canceled('S1-1')).order.status).toBe('CANCELED');
  });

  it('exposes the table as data with consistent types', () => {
    const next: NextOrderStatus<'ACCEPTED', 'OrderTriggered'> = 'TRIGGERED';
    expect(ORDER_TRANSITIONS.ACCEPTED.OrderTriggered).toEqual([next]);
    expect(isLegalTransition('INITIALIZED', 'OrderSubmitted')).toBe(true);
    expect(isLegalTransition('REJECTED', 'OrderFilled')).toBe(false);
    expect(isLegalTransition('ACCEPTED', 'OrderInitialized')).toBe(false);
    for (const s of ALL_ORDER_STATUSES) {
      expect(isOpenStatus(s)).toBe(!isTerminalStatus(s));
      // terminal statuses only lead to terminal statuses
      if (isTerminalStatus(s))
        for (const targets of Object.values(ORDER_TRANSITIONS[s]))
          for (const t of targets as readonly string[])
            expect(isTerminalStatus(t as never)).toBe(true);
    }
    expect(createOrder(f.initialized(testOrderRequest())).status).toBe('INITIALIZED');
  });

  it('builds the same snapshot with withStatus as with({ status, venueOrderId, tsLast }) (differential)', () => {
    const view = (o: Order): unknown => [
      orderToJson(o),
      o.filledQty.toString(),
      o.leavesQty.toString(),
      o.avgPx?.toString(),
      o.commissions.map((c) => c.toString()),
      o.executedNotional.toFixed(),
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.boolean(),
        fc.constantFrom(...ALL_ORDER_STATUSES),
        fc.option(fc.constantFrom('V1', 'V9'), { nil: undefined }),
        fc.integer({ min: 0, max: 2e12 }),
        (fills, readDerived, status: OrderStatus, vid, ts) => {
          let o = working(10);
          for (let i = 1; i <= fills; i++)
            o = run(o, f.filled('S1-1', { tradeId: `T${i}`, qty: 2, px: `10.${i}` })).order;
          // with a cached Σ(p·q) or without one: both must carry over the same way
          if (readDerived) void o.executedNotional;
          const v = vid === undefined ? undefined : venueOrderId(vid);
          const fast = o.withStatus(status, v ?? o.venueOrderId, ts);
          const slow = o.with({ status, venueOrderId: v, tsLast: ts });
          expect(view(fast)).toEqual(view(slow));
          expect([fast.eventCount, fast.tsLast, fast.venueOrderId]).toEqual([
            o.eventCount + 1,
            ts,
            v ?? o.venueOrderId,
          ]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps every snapshot intact when a later one changes the fields snapshots share', () => {
    const o = working(10);
    const before = JSON.stringify(orderToJson(o));
    const r2 = testOrderRequest({ quantity: 7 });
    const changed = [
      o.with({ request: r2 }),
      o.with({ resumeStatus: 'TRIGGERED' }),
      o.with({ replacedBy: 'S1-2' as never }),
      o.with({ replaces: 'S1-0' as never }),
      o.with({ tsInit: 42 }),
    ];
    expect(changed.map((c) => [c.request.quantity.toString(), c.resumeStatus])).toEqual([
      ['7', o.resumeStatus],
      ['10', 'TRIGGERED'],
      ['10', o.resumeStatus],
      ['10', o.resumeStatus],
      ['10', o.resumeStatus],
    ]);
    expect(changed.map((c) => [c.replacedBy, c.replaces, c.tsInit])).toEqual([
      [undefined, undefined, o.tsInit],
      [undefined, undefined, o.tsInit],
      ['S1-2', undefined, o.tsInit],
      [undefined, 'S1-0', o.tsInit],
      [undefined, undefined, 42],
    ]);
    // the later snapshots of a changed one carry its fields on
    const next = changed[2].withStatus('CANCELED', undefined, 5);
    expect([next.replacedBy, next.request, next.tsInit]).toEqual(['S1-2', o.request, o.tsInit]);
    expect(JSON.stringify(orderToJson(o))).toBe(before);
  });

  it('takes only pairs the table allows as common transitions', () => {
    let common = 0;
    for (const s of ALL_ORDER_STATUSES)
      for (const e of ORDER_EVENT_TYPES)
        if (isCommonTransition(s, e)) {
          common++;
          expect([s, e, isLegalTransition(s, e)]).toEqual([s, e, true]);
        }
    expect(common).toBe(7);
  });
});

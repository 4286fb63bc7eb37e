import fc from 'fast-check';
import { InstrumentId, instrumentId, StrategyId, strategyId, venueOrderId } from '@trading/domain';
import { OrderEventFactory, RecordingOrderEvents, testOrderRequest } from '../testing';
import { Order, orderToJson } from './order';
import { OrderEvent } from './order-events';
import { OrderTransition, OrderTransitionError } from './order-state-machine';
import { OrderBook } from './order-book';
import { ORDER_LIFECYCLE_TOKENS } from './order-events.port';

const f = new OrderEventFactory();
const INSTS = [instrumentId('AAA', 'SIM'), instrumentId('BBB', 'SIM'), instrumentId('CCC', 'SIM')];
const STRATS = [strategyId('S1'), strategyId('S2')];

describe('OrderBook', () => {
  it('apply is applyEvent with its outcome in a Result: same transitions, errors, book state and notifications', () => {
    const ids = ['S1-1', 'S1-2', 'S1-3', 'X-9'];
    const event = fc
      .tuple(fc.nat(ids.length - 1), fc.nat(11), fc.integer({ min: 1, max: 6 }), fc.nat(3))
      .map(([i, k, q, t]): OrderEvent => {
        const id = ids[i];
        switch (k) {
          case 0:
          case 1:
            return f.initialized(
              testOrderRequest({ clientOrderId: id, quantity: k === 0 ? 10 : q }),
            );
          case 2:
            return f.submitted(id);
          case 3:
            return f.accepted(id, `V${id}${t % 2}`);
          case 4:
          case 5:
            return f.filled(id, { tradeId: `T${t}`, qty: q, px: `10.${t}` });
          case 6:
            return f.pendingCancel(id);
          case 7:
            return f.canceled(id);
          case 8:
            return f.cancelRejected(id);
          case 9:
            return f.pendingReplace(id);
          case 10:
            return f.replaced(id, {
              quantity: q + 4,
              newClientOrderId: t === 0 ? 'S1-7' : undefined,
            });
          default:
            return f.rejected(id);
        }
      });
    const view = (x: OrderTransition | OrderTransitionError): unknown =>
      x instanceof OrderTransitionError
        ? ['error', x.code, x.message, x.status]
        : [
            orderToJson(x.order),
            x.previous && orderToJson(x.previous),
            x.event,
            x.changed,
            x.duplicate,
            x.fillQty?.toString(),
            x.overfill?.toString(),
            x.missingQty?.toString(),
            x.replacement && orderToJson(x.replacement),
          ];
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 120 }),
        fc.constantFrom(0, 1, 100),
        (events, max) => {
          const ea = new RecordingOrderEvents();
          const eb = new RecordingOrderEvents();
          const a = new OrderBook({ maxClosedOrders: max, events: ea });
          const b = new OrderBook({ maxClosedOrders: max, events: eb });
          for (const e of events) {
            const r = a.apply(e);
            const x = b.applyEvent(e);
            expect(r.ok).toBe(!(x instanceof OrderTransitionError));
            expect(view(r.ok ? r.value : r.error)).toEqual(view(x));
          }
          expect(a.toSnapshot()).toEqual(b.toSnapshot());
          expect(a.counts()).toEqual(b.counts());
          expect(eb.published.map((p) => [p.event, orderToJson(p.order)])).toEqual(
            ea.published.map((p) => [p.event, orderToJson(p.order)]),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('indexes orders by id, venue id, instrument and strategy and publishes transitions', () => {
    const events = new RecordingOrderEvents();
    const book = new OrderBook({ events });
    const other = instrumentId('OTHER', 'SIM');
    book.apply(f.initialized(testOrderRequest({ clientOrderId: 'A' })));
    book.apply(f.initialized(testOrderRequest({ clientOrderId: 'B', instrumentId: other })));
    book.apply(
      f.initialized(testOrderRequest({ clientOrderId: 'C', strategyId: strategyId('S2') })),
    );
    book.apply(f.submitted('A'));
    book.apply(f.accepted('A', 'VA'));
    expect(book.byVenueId(venueOrderId('VA'))?.clientOrderId).toBe('A');
    expect(book.byVenueId(venueOrderId('nope'))).toBeUndefined();
    expect(book.openOrders().map((o) => o.clientOrderId)).toEqual(['A', 'B', 'C']);
    expect(book.openOrders({ instrumentId: other }).map((o) => o.clientOrderId)).toEqual(['B']);
    expect(book.openOrders({ strategyId: strategyId('S2') }).map((o) => o.clientOrderId)).toEqual([
      'C',
    ]);
    expect(
      book
        .openOrders({ instrumentId: testOrderRequest().instrumentId, strategyId: strategyId('S2') })
        .map((o) => o.clientOrderId),
    ).toEqual(['C']);
    expect(book.openOrders({ instrumentId: instrumentId('NONE', 'SIM') })).toEqual([]);
    const done = book.apply(f.filled('A', { tradeId: 'T1', qty: 100, px: '10' }));
    expect(done.ok && done.value.order.status).toBe('FILLED');
    expect(book.counts()).toEqual({ open: 2, closed: 1, total: 3 });
    expect(book.openCountFor(other)).toBe(1);
    expect(book.openCountFor()).toBe(2);
    expect(book.closedOrders().map((o) => o.clientOrderId)).toEqual(['A']);
    expect(events.types).toEqual([
      'OrderInitialized',
      'OrderInitialized',
      'OrderInitialized',
      'OrderSubmitted',
      'OrderAccepted',
      'OrderFilled',
    ]);
    expect(events.published[5].order.status).toBe('FILLED');
    // a replayed duplicate is not published again
    book.apply(f.filled('A', { tradeId: 'T1', qty: 100, px: '10' }));
    expect(events.published).toHaveLength(6);
    expect(ORDER_LIFECYCLE_TOKENS.OrderEvents).toBe(Symbol.for('trading.OrderEvents'));
  });

  it('reports unknown orders and duplicate initializations', () => {
    const book = new OrderBook();
    const r = book.apply(f.submitted('X'));
    expect(!r.ok && r.error.code).toBe('UNKNOWN_ORDER');
    const req = testOrderRequest({ clientOrderId: 'A' });
    book.apply(f.initialized(req));
    const again = book.apply(f.initialized(req));
    expect(again.ok && again.value.duplicate).toBe(true);
    const other = book.apply(f.initialized(testOrderRequest({ clientOrderId: 'A', quantity: 5 })));
    expect(!other.ok && other.error.code).toBe('DUPLICATE_ORDER');
    const illegal = book.apply(f.accepted('A'));
    expect(!illegal.ok && illegal.error.code).toBe('ILLEGAL_TRANSITION');
  });

  it('indexes Alpaca-style replacement orders', () => {
    const book = new OrderBook();
    book.apply(f.initialized(testOrderRequest({ clientOrderId: 'A' })));
    book.apply(f.submitted('A'));
    book.apply(f.accepted('A', 'VA'));
    book.apply(f.pendingReplace('A'));
    const t = book.apply(
      f.replaced('A', { quantity: 50, newClientOrderId: 'A2', venueOrderId: 'VA2' }),
    );
    expect(t.ok && t.value.replacement?.clientOrderId).toBe('A2');
    expect(book.get('A' as never)?.status).toBe('REPLACED');
    expect(book.byVenueId(venueOrderId('VA2'))?.clientOrderId).toBe('A2');
    expect(book.openOrders().map((o) => o.clientOrderId)).toEqual(['A2']);
    // a late fill of the replaced order is still applied
    const late = book.apply(f.filled('A', { tradeId: 'T', qty: 5, px: '1' }));
    expect(late.ok && late.value.order.filledQty.toString()).toBe('5');
  });

  it('keeps exactly the newest maxClosedOrders closed orders, in closing order, across evictions and re-adds (model)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.oneof(fc.constant('close' as const), fc.constant('readd' as const)), {
          maxLength: 60,
        }),
        (max, ops) => {
          const book = new OrderBook({ maxClosedOrders: max });
          const model: string[] = [];
          let n = 0;
          for (const op of ops) {
            if (op === 'readd' && model.length > 0) {
              // add() of a retained closed order re-indexes it as newly closed.
              const id = model[0];
              book.add(book.get(id as never) as Order);
              model.splice(0, 1);
              model.push(id);
              continue;
            }
            const id = `O${++n}`;
            book.apply(f.initialized(testOrderRequest({ clientOrderId: id })));
            book.apply(f.submitted(id));
            book.apply(f.canceled(id));
            model.push(id);
            while (model.length > max) model.shift();
          }
          expect(book.closedOrders().map((o) => o.clientOrderId)).toEqual(model);
          expect(book.counts()).toEqual({ open: 0, closed: model.length, total: model.length });
        },
      ),
    );
  });

  it('answers get/byVenueId/closedOrders exactly like a model over thousands of orders (the closed log compacts)', () => {
    type Op = 'open' | 'close' | 'readd' | 'replace' | 'venue';
    const op = fc.constantFrom<Op>('open', 'open', 'close', 'close', 'readd', 'replace', 'venue');
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 3, 700, 1100),
        fc.array(op, { minLength: 3000, maxLength: 7000 }),
        fc.array(fc.nat(), { minLength: 64, maxLength: 64 }),
        (max, ops, picks) => {
          const book = new OrderBook({ maxClosedOrders: max });
          const open: string[] = [];
          const closed: string[] = []; // retained, oldest first
          const venueOf = new Map<string, string>();
          const ownerOf = new Map<string, [InstrumentId, StrategyId]>();
          let n = 0;
          let p = 0;
          const pick = (k: number) => picks[p++ % picks.length] % k;
          const openOf = (i?: InstrumentId, s?: StrategyId) =>
            open.filter((id) => {
              const [oi, os] = ownerOf.get(id) as [InstrumentId, StrategyId];
              return (i === undefined || oi === i) && (s === undefined || os === s);
            });
          const checkOpenLists = () => {
            for (const i of [undefined, ...INSTS])
              for (const s of [undefined, ...STRATS])
                expect(
                  book.openOrders({ instrumentId: i, strategyId: s }).map((x) => x.clientOrderId),
                ).toEqual(openOf(i, s));
            for (const i of INSTS) expect(book.openCountFor(i)).toBe(openOf(i).length);
          };
          for (const o of ops) {
            if (o === 'open' || open.length === 0) {
              const id = `O${++n}`;
              // spread over instruments and strategies: the per-instrument/strategy lists
              const inst = INSTS[pick(INSTS.length)];
              const strat = STRATS[pick(STRATS.length)];
              ownerOf.set(id, [inst, strat]);
              book.apply(
                f.initialized(
                  testOrderRequest({ clientOrderId: id, instrumentId: inst, strategyId: strat }),
                ),
              );
              book.apply(f.submitted(id));
              book.apply(f.accepted(id, `V${id}`));
              venueOf.set(id, `V${id}`);
              open.push(id);
            } else if (o === 'close') {
              const [id] = open.splice(pick(open.length), 1);
              book.apply(f.canceled(id));
              closed.push(id);
              if (closed.length > max) closed.shift();
            } else if (o === 'readd' && closed.length > 0) {
              const [id] = closed.splice(pick(closed.length), 1);
              book.add(book.get(id as never) as Order); // re-indexed as newly closed
              closed.push(id);
            } else if (o === 'venue') {
              if (pick(8) === 0) checkOpenLists(); // mid-run, now and then
              // a lookup by venue id mid-run: the index is built then, and maintained after
              const id = open[pick(open.length)];
              expect(book.byVenueId(venueOrderId(venueOf.get(id) as string))?.clientOrderId).toBe(
                id,
              );
            } else if (o === 'replace' && open.length > 0) {
              // an open order re-added with a new venue id: the old id must stop resolving
              const id = open[pick(open.length)];
              const next = (book.get(id as never) as Order).with({
                venueOrderId: venueOrderId(`W${id}`),
              });
              book.add(next);
              open.splice(open.indexOf(id), 1);
              open.push(id);
              venueOf.set(id, `W${id}`);
            }
          }
          expect(book.closedOrders().map((o) => o.clientOrderId)).toEqual(closed);
          expect(book.openOrders().map((o) => o.clientOrderId)).toEqual(open);
          checkOpenLists();
          expect(book.counts()).toEqual({
            open: open.length,
            closed: closed.length,
            total: open.length + closed.length,
          });
          const live = new Set([...open, ...closed]);
          for (let i = 1; i <= n; i++) {
            const id = `O${i}`;
            const v = venueOf.get(id) as string;
            expect(book.get(id as never)?.clientOrderId).toBe(live.has(id) ? id : undefined);
            expect(book.byVenueId(venueOrderId(v))?.clientOrderId).toBe(
              live.has(id) ? id : undefined,
            );
            if (v.startsWith('W')) expect(book.byVenueId(venueOrderId(`V${id}`))).toBeUndefined();
          }
        },
      ),
      // no shrinking of 7,000-step runs: the failing seed and path are reported as they are
      { numRuns: 25, endOnFailure: true },
    );
  });

  it('keeps still-visible orders across compactions when re-adds thinned the log', () => {
    const book = new OrderBook({ maxClosedOrders: 1100 });
    const openOne = (id: string) => {
      book.apply(f.initialized(testOrderRequest({ clientOrderId: id })));
      book.apply(f.submitted(id));
      book.apply(f.accepted(id, `V${id}`));
    };
    openOne('LONG'); // stays open across every rotation below
    expect(book.byVenueId(venueOrderId('VLONG'))?.clientOrderId).toBe('LONG'); // index built
    for (let i = 1; i <= 1100; i++) {
      openOne(`O${i}`);
      book.apply(f.canceled(`O${i}`));
    }
    // 1,100 re-adds of one order: 1,100 dropped slots (a compaction) while 1,099 of the earlier
    // closes are still visible
    for (let i = 0; i < 1100; i++) book.add(book.get('O1100' as never) as Order);
    expect(book.get('O1' as never)?.status).toBe('CANCELED');
    expect(book.byVenueId(venueOrderId('VO1'))?.clientOrderId).toBe('O1');
    expect(book.counts()).toEqual({ open: 1, closed: 1100, total: 1101 });
    expect(book.closedOrders()).toHaveLength(1100);
    // two more rotations: the open order's venue id is carried over each time
    for (let i = 1101; i <= 3400; i++) {
      openOne(`O${i}`);
      book.apply(f.canceled(`O${i}`));
    }
    expect(book.byVenueId(venueOrderId('VLONG'))?.clientOrderId).toBe('LONG');
    expect(book.byVenueId(venueOrderId('VO1'))).toBeUndefined();
    expect(book.byVenueId(venueOrderId('VO3400'))?.clientOrderId).toBe('O3400');
  });

  it('compacts its eviction queue on long runs without losing the closing order (model)', () => {
    const book = new OrderBook({ maxClosedOrders: 5 });
    const model: string[] = [];
    const close = (id: string) => {
      book.apply(f.initialized(testOrderRequest({ clientOrderId: id })));
      book.apply(f.submitted(id));
      book.apply(f.canceled(id));
      model.push(id);
      if (model.length > 5) model.shift();
    };
    // 9,000 closes: the consumed head of the queue is cut off (more than 4,096 entries)
    for (let i = 0; i < 9_000; i++) close(`C${i}`);
    expect(book.closedOrders().map((o) => o.clientOrderId)).toEqual(model);
    // 6,000 re-adds of the oldest retained order: each leaves a stale queue entry behind, until
    // the queue is rebuilt from its live entries
    for (let i = 0; i < 6_000; i++) {
      const id = model.shift() as string;
      book.add(book.get(id as never) as Order);
      model.push(id);
    }
    close('LAST');
    expect(book.closedOrders().map((o) => o.clientOrderId)).toEqual(model);
    expect(book.counts()).toEqual({ open: 0, closed: 5, total: 5 });
    expect(book.toSnapshot().orders.map((o) => o.request.clientOrderId)).toEqual(model);
  });

  it('detects re-initialized <prefix>-<n> ids (open, closed, evicted) after its fresh-id pre-check', () => {
    const book = new OrderBook({ maxClosedOrders: 2 });
    const init = (id: string) => book.apply(f.initialized(testOrderRequest({ clientOrderId: id })));
    for (const id of ['S-1', 'S-2', 'S-3', 'S-4']) expect(init(id).ok).toBe(true);
    // open: a replay of the same request is tolerated, not a new order
    const again = init('S-2');
    expect(again.ok && again.value.duplicate).toBe(true);
    expect(book.counts().open).toBe(4);
    for (const id of ['S-1', 'S-2', 'S-3']) {
      book.apply(f.submitted(id));
      book.apply(f.canceled(id));
    }
    // closed and retained: an OrderInitialized is refused
    const closed = init('S-3');
    expect(!closed.ok && closed.error.code).toBe('DUPLICATE_ORDER');
    // evicted (S-1): unknown to the book again, as before the pre-check existed
    expect(book.get('S-1' as never)).toBeUndefined();
    expect(init('S-1').ok).toBe(true);
    // a fresh id still initializes; a restored book knows its ids
    expect(init('S-5').ok).toBe(true);
    const restored = OrderBook.fromSnapshot(book.toSnapshot(), { maxClosedOrders: 2 });
    const dup = restored.apply(f.initialized(testOrderRequest({ clientOrderId: 'S-3' })));
    expect(!dup.ok && dup.error.code).toBe('DUPLICATE_ORDER');
  });

  it('evicts the oldest closed orders beyond the retention limit', () => {
    const book = new OrderBook({ maxClosedOrders: 1 });
    for (const id of ['A', 'B']) {
      book.apply(f.initialized(testOrderRequest({ clientOrderId: id })));
      book.apply(f.submitted(id));
      book.apply(f.accepted(id, `V${id}`));
      book.apply(f.canceled(id));
    }
    expect(book.get('A' as never)).toBeUndefined();
    expect(book.byVenueId(venueOrderId('VA'))).toBeUndefined();
    expect(book.get('B' as never)?.status).toBe('CANCELED');
    const late = book.apply(f.filled('A', { tradeId: 'T', qty: 1, px: '1' }));
    expect(!late.ok && late.error.code).toBe('UNKNOWN_ORDER');
    expect(() => new OrderBook({ maxClosedOrders: -1 })).toThrow(/maxClosedOrders/);
  });

  it('round-trips through a JSON snapshot', () => {
    const book = new OrderBook();
    book.add(Order.create(testOrderRequest({ clientOrderId: 'Z', type: 'MARKET' }), 5));
    book.apply(
      f.initialized(
        testOrderRequest({ clientOrderId: 'A', tags: ['x'], timeInForce: 'GTD', expireAt: 99 }),
      ),
    );
    book.apply(f.submitted('A'));
    book.apply(f.accepted('A', 'VA'));
    book.apply(f.filled('A', { tradeId: 'T1', qty: 30, px: '10.5' }));
    book.apply(f.initialized(testOrderRequest({ clientOrderId: 'B' })));
    book.apply(f.rejected('B'));
    const snap = JSON.parse(JSON.stringify(book.toSnapshot()));
    const restored = OrderBook.fromSnapshot(snap);
    expect(restored.toSnapshot()).toEqual(snap);
    expect(restored.counts()).toEqual(book.counts());
    const a = restored.get('A' as never)!;
    expect([a.status, a.filledQty.toString(), a.avgPx?.toString(), a.venueOrderId]).toEqual([
      'PARTIALLY_FILLED',
      '30',
      '10.5',
      'VA',
    ]);
    expect(restored.byVenueId(venueOrderId('VA'))?.clientOrderId).toBe('A');
    // replacing an existing order keeps the indexes consistent
    restored.add(a);
    restored.add(restored.get('B' as never)!);
    expect(restored.counts()).toEqual(book.counts());
    expect(() => OrderBook.fromSnapshot({ version: 2, orders: [] })).toThrow(/version: 1/);
    expect(() =>
      OrderBook.fromSnapshot({ version: 1, orders: [snap.orders[0], snap.orders[0]] }),
    ).toThrow(/unique/);
    const corrupt = JSON.parse(JSON.stringify(snap));
    corrupt.orders.find(
      (o: { request: { clientOrderId: string } }) => o.request.clientOrderId === 'A',
    ).executedQty = '31';
    expect(() => OrderBook.fromSnapshot(corrupt)).toThrow(/executedQty/);
  });
});

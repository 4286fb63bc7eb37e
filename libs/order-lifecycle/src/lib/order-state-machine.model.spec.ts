/**
 * Model-based test: random sequences of lifecycle events (legal, illegal, duplicate, out-of-order,
 * late) are applied both to the real state machine and to a small independent model written from
 * the specification (integers instead of decimals). After every step the invariants are checked.
 */
import fc from 'fast-check';
import { Money, OrderType, Price, Quantity, TradingDecimal } from '@trading/domain';
import { OrderEventFactory, testOrderRequest } from '../testing';
import { Order, orderToJson } from './order';
import { OrderEvent, OrderFilled } from './order-events';
import { applyOrderEvent, ORDER_TRANSITIONS } from './order-state-machine';
import { isTerminalStatus, OrderStatus } from './order-status';

const ID = 'S1-1';
const TERMINAL: OrderStatus[] = ['FILLED', 'CANCELED', 'REPLACED', 'REJECTED', 'EXPIRED'];

interface Model {
  status: OrderStatus;
  resume: OrderStatus;
  quantity: bigint;
  executed: bigint;
  /** Σ price-in-cents × qty */
  notionalCents: bigint;
  trades: Map<string, bigint>;
  fills: OrderFilled[];
  stop: boolean;
  replacedBy?: string;
  nextTrade: number;
  nextReplace: number;
}

interface Real {
  order: Order;
  f: OrderEventFactory;
  maxFilled: Quantity;
}

type Expect = { ok: true; status: OrderStatus; duplicate?: boolean } | { ok: false; code: string };

function resumed(m: Model): OrderStatus {
  if (m.executed >= m.quantity) return 'FILLED';
  if (
    m.executed > 0n &&
    (m.resume === 'SUBMITTED' || m.resume === 'ACCEPTED' || m.resume === 'TRIGGERED')
  )
    return 'PARTIALLY_FILLED';
  return m.resume;
}

const price = (cents: number): Price => Price.of((cents / 100).toFixed(2));

function check(
  m: Model,
  r: Real,
  event: OrderEvent,
  expect: Expect,
  after?: (m: Model) => void,
): void {
  const before = JSON.stringify(orderToJson(r.order));
  const wasTerminal = isTerminalStatus(r.order.status);
  const prevStatus = r.order.status;
  const res = applyOrderEvent(r.order, event);
  // never mutates the input
  expect_(JSON.stringify(orderToJson(r.order))).toBe(before);
  if (!expect.ok) {
    if (res.ok)
      throw new Error(
        `expected ${expect.code} for ${event.type} in ${prevStatus}, got ok → ${res.value.order.status}`,
      );
    expect_(res.error.code).toBe(expect.code);
    return;
  }
  if (!res.ok)
    throw new Error(
      `expected ok for ${event.type} in ${prevStatus}, got ${res.error.code}: ${res.error.message}`,
    );
  const t = res.value;
  expect_(t.order.status).toBe(expect.status);
  if (expect.duplicate !== undefined) expect_(t.duplicate).toBe(expect.duplicate);
  if (t.changed) {
    // the target is listed in the exported table
    const row = ORDER_TRANSITIONS[prevStatus] as Partial<Record<string, readonly OrderStatus[]>>;
    expect_(row[event.type]).toContain(t.order.status);
  } else {
    expect_(t.order).toBe(r.order);
  }
  // terminal states stay terminal
  if (wasTerminal) expect_(TERMINAL).toContain(t.order.status);
  m.status = expect.status;
  after?.(m);
  r.order = t.order;
  invariants(m, r);
}

const expect_ = expect;

function invariants(m: Model, r: Real): void {
  const o = r.order;
  const q = new TradingDecimal(m.quantity.toString());
  const executed = new TradingDecimal(m.executed.toString());
  expect_(o.status).toBe(m.status);
  expect_(o.quantity.value.eq(q)).toBe(true);
  // no fill lost or double counted
  expect_(o.executedQty.eq(executed)).toBe(true);
  expect_(o.fills.length).toBe(m.trades.size);
  // quantity bounds
  const filled = m.executed < m.quantity ? m.executed : m.quantity;
  expect_(o.filledQty.value.eq(filled.toString())).toBe(true);
  expect_(o.filledQty.lte(o.quantity)).toBe(true);
  expect_(o.filledQty.gte(r.maxFilled)).toBe(true);
  r.maxFilled = o.filledQty;
  expect_(
    o.overfillQty.value.eq((m.executed > m.quantity ? m.executed - m.quantity : 0n).toString()),
  ).toBe(true);
  expect_(o.isOverfilled).toBe(m.executed > m.quantity);
  if (o.isOpen) expect_(o.filledQty.add(o.leavesQty).eq(o.quantity)).toBe(true);
  else expect_(o.leavesQty.isZero()).toBe(true);
  // average price exact: Σ(p·q)/Σq
  expect_(o.executedNotional.eq(new TradingDecimal(m.notionalCents.toString()).div(100))).toBe(
    true,
  );
  if (m.executed === 0n) expect_(o.avgPx).toBeUndefined();
  else
    expect_(
      o.avgPx!.value.eq(
        new TradingDecimal(m.notionalCents.toString()).div(100).div(m.executed.toString()),
      ),
    ).toBe(true);
}

const simple = (
  type: OrderEvent['type'],
  legal: (m: Model) => OrderStatus | 'error',
  make: (r: Real) => OrderEvent,
  name = type,
  dup?: (m: Model) => boolean,
) =>
  fc.constant<fc.Command<Model, Real>>({
    check: () => true,
    run(m, r) {
      const target = legal(m);
      check(
        m,
        r,
        make(r),
        target === 'error'
          ? { ok: false, code: 'ILLEGAL_TRANSITION' }
          : { ok: true, status: target, ...(dup && { duplicate: dup(m) }) },
      );
    },
    toString: () => name,
  });

const inStatus = (m: Model, ...ss: OrderStatus[]): boolean => ss.includes(m.status);

const commands = [
  simple(
    'OrderSubmitted',
    (m) => (inStatus(m, 'INITIALIZED') ? 'SUBMITTED' : 'error'),
    (r) => r.f.submitted(ID),
  ),
  simple(
    'OrderAccepted',
    (m) =>
      inStatus(m, 'INITIALIZED', 'REJECTED')
        ? 'error'
        : m.status === 'SUBMITTED'
          ? 'ACCEPTED'
          : m.status,
    (r) => r.f.accepted(ID, 'V1'),
  ),
  simple(
    'OrderRejected',
    (m) => (inStatus(m, 'INITIALIZED', 'SUBMITTED', 'REJECTED') ? 'REJECTED' : 'error'),
    (r) => r.f.rejected(ID),
  ),
  simple(
    'OrderTriggered',
    (m) =>
      m.stop && inStatus(m, 'ACCEPTED', 'TRIGGERED', 'PARTIALLY_FILLED')
        ? m.status === 'ACCEPTED'
          ? 'TRIGGERED'
          : m.status
        : 'error',
    (r) => r.f.triggered(ID),
  ),
  simple(
    'OrderPendingCancel',
    (m) =>
      inStatus(
        m,
        'SUBMITTED',
        'ACCEPTED',
        'TRIGGERED',
        'PARTIALLY_FILLED',
        'PENDING_REPLACE',
        'PENDING_CANCEL',
      )
        ? 'PENDING_CANCEL'
        : 'error',
    (r) => r.f.pendingCancel(ID),
  ),
  simple(
    'OrderCanceled',
    (m) =>
      inStatus(
        m,
        'INITIALIZED',
        'SUBMITTED',
        'ACCEPTED',
        'TRIGGERED',
        'PARTIALLY_FILLED',
        'PENDING_CANCEL',
        'PENDING_REPLACE',
        'CANCELED',
      )
        ? 'CANCELED'
        : 'error',
    (r) => r.f.canceled(ID),
  ),
  simple(
    'OrderCancelRejected',
    (m) =>
      m.status === 'PENDING_CANCEL' ? resumed(m) : m.status === 'FILLED' ? 'FILLED' : 'error',
    (r) => r.f.cancelRejected(ID),
  ),
  simple(
    'OrderPendingReplace',
    (m) =>
      inStatus(m, 'SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'PARTIALLY_FILLED', 'PENDING_REPLACE')
        ? 'PENDING_REPLACE'
        : 'error',
    (r) => r.f.pendingReplace(ID),
  ),
  simple(
    'OrderReplaceRejected',
    (m) =>
      m.status === 'PENDING_REPLACE'
        ? resumed(m)
        : inStatus(m, 'PENDING_CANCEL', 'FILLED')
          ? m.status
          : 'error',
    (r) => r.f.replaceRejected(ID),
  ),
  simple(
    'OrderExpired',
    (m) =>
      inStatus(
        m,
        'SUBMITTED',
        'ACCEPTED',
        'TRIGGERED',
        'PARTIALLY_FILLED',
        'PENDING_CANCEL',
        'PENDING_REPLACE',
        'EXPIRED',
      )
        ? 'EXPIRED'
        : 'error',
    (r) => r.f.expired(ID),
  ),
  // resume status bookkeeping of the model (entering pending states)
];

/** Wraps pending-state commands so the model records the status to resume to. */
function trackResume(
  cmd: fc.Arbitrary<fc.Command<Model, Real>>,
): fc.Arbitrary<fc.Command<Model, Real>> {
  return cmd.map((c) => ({
    check: c.check,
    run(m, r) {
      const prev = m.status;
      c.run(m, r);
      const name = c.toString();
      if (
        name === 'OrderPendingCancel' &&
        prev !== 'PENDING_CANCEL' &&
        prev !== 'PENDING_REPLACE' &&
        m.status === 'PENDING_CANCEL'
      )
        m.resume = prev;
      if (
        name === 'OrderPendingReplace' &&
        prev !== 'PENDING_REPLACE' &&
        m.status === 'PENDING_REPLACE'
      )
        m.resume = prev;
    },
    toString: () => c.toString(),
  }));
}

const FILLABLE: OrderStatus[] = [
  'SUBMITTED',
  'ACCEPTED',
  'TRIGGERED',
  'PARTIALLY_FILLED',
  'PENDING_CANCEL',
  'PENDING_REPLACE',
  'FILLED',
  'CANCELED',
  'EXPIRED',
  'REPLACED',
];

/** A new execution: incremental, incremental with a (consistent or lagging) cumulative, or cumulative-only. */
const fillCmd = fc
  .record({
    qty: fc.integer({ min: 1, max: 80 }),
    cents: fc.integer({ min: 1, max: 500_000 }),
    mode: fc.constantFrom('incremental', 'withCumulative', 'cumulativeOnly', 'staleCumulative'),
  })
  .map(({ qty, cents, mode }): fc.Command<Model, Real> => ({
    check: () => true,
    run(m, r) {
      const tid = `T${m.nextTrade++}`;
      const q = BigInt(qty);
      let event: OrderFilled;
      let applied = q;
      if (mode === 'incremental')
        event = r.f.filled(ID, {
          tradeId: tid,
          qty,
          px: price(cents),
          commission: Money.of('0.01'),
        });
      else if (mode === 'withCumulative')
        event = r.f.filled(ID, {
          tradeId: tid,
          qty,
          px: price(cents),
          cumulativeQty: (m.executed + q).toString(),
        });
      else if (mode === 'cumulativeOnly')
        event = r.f.filled(ID, {
          tradeId: tid,
          qty: 0,
          px: price(cents),
          cumulativeQty: (m.executed + q).toString(),
        });
      else {
        // an earlier execution reported after later ones: cumulative behind ours, applied by lastQty
        event = r.f.filled(ID, { tradeId: tid, qty, px: price(cents), cumulativeQty: '0' });
      }
      if (!FILLABLE.includes(m.status))
        return check(m, r, event, { ok: false, code: 'ILLEGAL_TRANSITION' });
      const executed = m.executed + applied;
      const s = m.status;
      const status: OrderStatus =
        executed >= m.quantity
          ? 'FILLED'
          : s === 'SUBMITTED' || s === 'ACCEPTED' || s === 'TRIGGERED'
            ? 'PARTIALLY_FILLED'
            : s;
      check(m, r, event, { ok: true, status, duplicate: false }, (mm) => {
        mm.executed = executed;
        mm.notionalCents += BigInt(cents) * applied;
        mm.trades.set(tid, applied);
        mm.fills.push(event);
      });
      applied = 0n;
    },
    toString: () => `Fill(${qty}@${cents}c,${mode})`,
  }));

/** A replayed venue message: same trade id, same content → harmless duplicate. */
const duplicateFillCmd = fc.nat().map((i): fc.Command<Model, Real> => ({
  check: (m) => m.fills.length > 0,
  run(m, r) {
    const original = m.fills[i % m.fills.length];
    const replay: OrderFilled = { ...original, tsInit: original.tsInit + 1 };
    check(
      m,
      r,
      replay,
      FILLABLE.includes(m.status)
        ? { ok: true, status: m.status, duplicate: true }
        : { ok: false, code: 'ILLEGAL_TRANSITION' },
    );
  },
  toString: () => `DuplicateFill(${i})`,
}));

/** The same trade id with other content is reported, not applied. */
const conflictingFillCmd = fc.nat().map((i): fc.Command<Model, Real> => ({
  check: (m) => m.fills.length > 0 && FILLABLE.includes(m.status),
  run(m, r) {
    const original = m.fills[i % m.fills.length];
    check(
      m,
      r,
      { ...original, lastPx: original.lastPx.add('0.01') },
      { ok: false, code: 'DUPLICATE_FILL' },
    );
  },
  toString: () => `ConflictingFill(${i})`,
}));

const replaceCmd = fc
  .record({ qty: fc.integer({ min: 1, max: 300 }), newId: fc.boolean() })
  .map(({ qty, newId }): fc.Command<Model, Real> => ({
    check: () => true,
    run(m, r) {
      const nid = newId ? `S1-R${m.nextReplace++}` : undefined;
      const event = r.f.replaced(ID, { quantity: qty, ...(nid && { newClientOrderId: nid }) });
      const q = BigInt(qty);
      if (!inStatus(m, 'PENDING_REPLACE', 'PENDING_CANCEL', 'REPLACED'))
        return check(m, r, event, { ok: false, code: 'ILLEGAL_TRANSITION' });
      if (m.status === 'REPLACED') return check(m, r, event, { ok: false, code: 'INVALID_EVENT' });
      if (nid) {
        const prev = r.order;
        check(m, r, event, { ok: true, status: 'REPLACED' }, (mm) => (mm.replacedBy = nid));
        const t = applyOrderEvent(prev, event);
        if (!t.ok || !t.value.replacement) throw new Error('replacement expected');
        const rep = t.value.replacement;
        expect_(rep.clientOrderId).toBe(nid);
        expect_(rep.status).toBe('ACCEPTED');
        expect_(rep.quantity.value.eq(qty)).toBe(true);
        expect_(rep.filledQty.isZero()).toBe(true);
        expect_(rep.replaces).toBe(ID);
        return;
      }
      if (q < m.executed) return check(m, r, event, { ok: false, code: 'INVALID_EVENT' });
      const saved = m.quantity;
      m.quantity = q;
      const status =
        m.status === 'PENDING_CANCEL'
          ? m.executed >= q
            ? 'FILLED'
            : 'PENDING_CANCEL'
          : resumed(m);
      m.quantity = saved;
      check(m, r, event, { ok: true, status }, (mm) => (mm.quantity = q));
    },
    toString: () => `Replace(${qty}${newId ? ',newId' : ''})`,
  }));

const allCommands = [
  ...commands.map(trackResume),
  fillCmd,
  fillCmd,
  fillCmd,
  duplicateFillCmd,
  conflictingFillCmd,
  replaceCmd,
];

describe('order state machine (model-based)', () => {
  it('keeps every invariant over random event sequences', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.constantFrom<OrderType>('LIMIT', 'MARKET', 'STOP', 'STOP_LIMIT'),
        fc.commands(allCommands, { maxCommands: 60 }),
        (qty, type, cmds) => {
          const f = new OrderEventFactory();
          const request = testOrderRequest({ clientOrderId: ID, quantity: qty, type });
          const model: Model = {
            status: 'INITIALIZED',
            resume: 'INITIALIZED',
            quantity: BigInt(qty),
            executed: 0n,
            notionalCents: 0n,
            trades: new Map(),
            fills: [],
            stop: type === 'STOP' || type === 'STOP_LIMIT',
            nextTrade: 1,
            nextReplace: 1,
          };
          const real: Real = { order: Order.create(request, 1), f, maxFilled: Quantity.ZERO };
          fc.modelRun(() => ({ model, real }), cmds);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('reaches every status and applies late fills after cancel (coverage of the generator)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.commands(allCommands, { maxCommands: 40 }), (cmds) => {
        const request = testOrderRequest({ clientOrderId: ID, quantity: 100, type: 'STOP_LIMIT' });
        const model: Model = {
          status: 'INITIALIZED',
          resume: 'INITIALIZED',
          quantity: 100n,
          executed: 0n,
          notionalCents: 0n,
          trades: new Map(),
          fills: [],
          stop: true,
          nextTrade: 1,
          nextReplace: 1,
        };
        const real: Real = {
          order: Order.create(request, 1),
          f: new OrderEventFactory(),
          maxFilled: Quantity.ZERO,
        };
        fc.modelRun(() => ({ model, real }), cmds);
        seen.add(real.order.status);
      }),
      { numRuns: 300 },
    );
    expect(seen.size).toBeGreaterThanOrEqual(8);
  });
});

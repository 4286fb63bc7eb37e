import {
  Bar,
  ClientOrderId,
  instrumentId,
  localToUtc,
  MS,
  Money,
  StateError,
  strategyId,
} from '@trading/domain';
import { testEquity } from '@trading/domain/testing';
import { SimulatedClock } from '@trading/clock';
import { SimulatedExchange } from '@trading/brokers';
import { MemoryJournal, TradingKernel } from '@trading/engine';
import { Portfolio } from '@trading/portfolio';
import { RiskEngine } from '@trading/risk';
import {
  decodeOrderEvent,
  encodeOrderEvent,
  Order,
  OrderBook,
  OrderEvent,
} from '@trading/order-lifecycle';
import { OrderEventFactory, testOrderRequest } from '@trading/order-lifecycle/testing';
import type { JsonValue, OrderRecord, ProjectionRecord } from '@trading/persistence';
import { openTestPglite, openTestPostgres, type TestDataSource } from '../testing';
import { mapProjectionBatch, type ProjectionRows } from './projection-mapping';
import { createTypeormRepositories } from './repositories';
import { queryRows } from './repositories/sql';
import {
  SqlProjectionWriter,
  TypeormProjectionTarget,
  type ProjectionTarget,
} from './sql-projection-writer';

const T0 = 1_700_000_000_000;
const INST = instrumentId('AAPL', 'XNAS');
const SID = strategyId('S1');

const order = (seq: number, e: OrderEvent): ProjectionRecord => ({
  seq,
  type: 'order',
  payload: encodeOrderEvent(e) as unknown as JsonValue,
});

/**
 * The kernel's records for 5 orders from `base + 1` on (as `encodeOrderEvent` payloads), plus a
 * denial, a risk event, a strategy-state record and a position snapshot:
 * A: filled in two parts; B: cancel rejected, then replaced by Br (new id), Br partly filled and
 * canceled; C: rejected by the venue; D: market order that expires.
 */
function kernelRecords(base: number): ProjectionRecord[] {
  const f = new OrderEventFactory(T0 + base * 1000);
  const id = (x: string) => `${x}${base}`;
  const req = (x: string, o: Parameters<typeof testOrderRequest>[0] = {}) =>
    testOrderRequest({ clientOrderId: id(x), strategyId: SID, instrumentId: INST, ...o });
  const events: OrderEvent[] = [
    f.initialized(
      req('A', { quantity: '0.1', limitPrice: '123456789012.123456789', timeInForce: 'GTC' }),
    ),
    f.submitted(id('A')),
    f.accepted(id('A')),
    f.filled(id('A'), {
      tradeId: `t${base}-1`,
      qty: '0.04',
      px: '100.5',
      commission: Money.of('0.01', 'USD'),
      liquiditySide: 'MAKER',
    }),
    f.initialized(req('B', { quantity: 10, limitPrice: '50.25', side: 'SELL' })),
    f.submitted(id('B')),
    f.filled(id('A'), { tradeId: `t${base}-2`, qty: '0.06', px: '101' }),
    f.accepted(id('B')),
    f.pendingCancel(id('B')),
    f.cancelRejected(id('B')),
    f.pendingReplace(id('B'), 5),
    f.replaced(id('B'), {
      quantity: 5,
      newClientOrderId: id('Br'),
      venueOrderId: `V-${id('Br')}`,
      limitPrice: '50.5',
    }),
    f.initialized(req('C')),
    f.submitted(id('C')),
    f.filled(id('Br'), {
      tradeId: `t${base}-3`,
      qty: 2,
      px: '50.5',
      commission: Money.of('0.000000000001', 'USD'),
    }),
    f.rejected(id('C'), 'insufficient buying power'),
    f.pendingCancel(id('Br')),
    f.canceled(id('Br'), 'strategy request'),
    f.initialized(req('D', { type: 'MARKET', timeInForce: 'DAY' })),
    f.submitted(id('D')),
    f.accepted(id('D')),
    f.expired(id('D')),
  ];
  const out = events.map((e, i) => order(base + i + 1, e));
  let s = base + events.length;
  out.splice(3, 0, {
    seq: 0,
    type: 'denial',
    payload: {
      strategyId: 'S1',
      clientOrderId: id('X'),
      instrumentId: INST,
      reason: 'FAT_FINGER_QUANTITY',
      message: 'too big',
      ts: T0 + base * 1000,
    },
  });
  out.push({
    seq: 0,
    type: 'risk',
    payload: {
      type: 'KillSwitchTripped',
      from: 'ACTIVE',
      reason: 'OPERATOR_HALT',
      message: 'drill',
      ts: T0,
      action: 'CANCEL_ALL',
      operator: 'ops',
    },
  });
  out.push({ seq: 0, type: 'strategy-state', payload: { bars: 3 } });
  out.push({
    seq: 0,
    type: 'position.snapshot',
    payload: { instrumentId: INST, quantity: '0.1', avgPrice: '100.8', ts: T0 + base },
  });
  // renumber: the WAL sequence is contiguous
  s = base;
  return out.map((r) => ({ ...r, seq: ++s }));
}

/** The order state the kernel would have after `records` (the projection must equal it). */
function expectedOrders(
  records: readonly ProjectionRecord[],
): Map<string, { order: Order; seq: number }> {
  const book = new OrderBook();
  const out = new Map<string, { order: Order; seq: number }>();
  for (const r of records) {
    if (r.type !== 'order') continue;
    const res = book.apply(decodeOrderEvent(r.payload));
    if (!res.ok || !res.value.changed) continue;
    out.set(res.value.order.clientOrderId, { order: res.value.order, seq: r.seq });
    if (res.value.replacement)
      out.set(res.value.replacement.clientOrderId, { order: res.value.replacement, seq: r.seq });
  }
  return out;
}

function plainRow(o: OrderRecord) {
  return {
    ...o,
    quantity: o.quantity.toFixed(),
    limitPrice: o.limitPrice?.toFixed() ?? null,
    stopPrice: o.stopPrice?.toFixed() ?? null,
    filledQuantity: o.filledQuantity.toFixed(),
    avgFillPrice: o.avgFillPrice?.toFixed() ?? null,
  };
}

function rowOf(o: Order, seq: number, sessionId: string | null = null) {
  return {
    clientOrderId: o.clientOrderId,
    venueOrderId: o.venueOrderId ?? null,
    sessionId,
    strategyId: o.strategyId,
    instrumentId: o.instrumentId,
    side: o.side,
    type: o.type,
    timeInForce: o.timeInForce,
    quantity: o.quantity.toString(),
    limitPrice: o.limitPrice?.toString() ?? null,
    stopPrice: o.stopPrice?.toString() ?? null,
    filledQuantity: o.filledQty.toString(),
    avgFillPrice: o.avgPx?.toString() ?? null,
    status: o.status,
    createdAt: o.tsInit,
    updatedAt: o.tsLast,
    walSeq: seq,
  };
}

async function expectOrdersProjected(
  t: TestDataSource,
  records: readonly ProjectionRecord[],
  sessionId: string | null = null,
): Promise<void> {
  const repos = createTypeormRepositories(t.ds);
  for (const [id, { order: o, seq }] of expectedOrders(records)) {
    const row = await repos.orders.get(id as ClientOrderId);
    expect(row && plainRow(row)).toEqual(rowOf(o, seq, sessionId));
  }
}

/** Wraps a target with a gate so the test controls when the "database" answers. */
class GatedTarget implements ProjectionTarget {
  gate: Promise<void>;
  open!: () => void;
  writes = 0;
  failNext = 0;
  constructor(private readonly inner: ProjectionTarget) {
    this.gate = new Promise((r) => (this.open = r));
  }
  async write(rows: ProjectionRows): Promise<void> {
    await this.gate;
    this.writes++;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('connection reset');
    }
    await this.inner.write(rows);
  }
  readCheckpoint(): Promise<number> {
    return this.inner.readCheckpoint();
  }
  writeCheckpoint(seq: number): Promise<void> {
    return this.inner.writeCheckpoint(seq);
  }
  loadOrderHistory(ids: readonly string[]) {
    return this.inner.loadOrderHistory(ids);
  }
}

async function count(t: TestDataSource, table: string, where = 'TRUE'): Promise<number> {
  const [r] = await queryRows<{ n: number }>(
    t.ds,
    `SELECT count(*)::int AS n FROM "${table}" WHERE ${where}`,
  );
  return r.n;
}

/** Runs a real kernel (simulated exchange) and returns its journal as WAL records from `base + 1` on. */
function kernelRun(base: number): { records: ProjectionRecord[]; kernel: TradingKernel } {
  const inst = testEquity(`K${base}`);
  const t0 = localToUtc('2024-01-02T16:00:00', 'America/New_York');
  const clock = new SimulatedClock(t0);
  const exchange = new SimulatedExchange({ clock, instruments: [inst] });
  const journal = new MemoryJournal();
  const holder: { kernel?: TradingKernel } = {};
  const risk = RiskEngine.create(
    { maxOrderQuantity: 100 },
    { onEvent: (e) => holder.kernel?.onRiskEvent(e) },
  );
  let n = 0;
  let limit: ClientOrderId | undefined;
  const kernel = (holder.kernel = new TradingKernel({
    clock,
    broker: exchange,
    portfolio: new Portfolio({ startingCash: '100000', instruments: [inst] }),
    risk,
    instruments: [inst],
    journal,
    strategies: [
      {
        id: strategyId(`K${base}`),
        instruments: [inst.id],
        onBar(b, ctx) {
          n++;
          if (n === 1)
            ctx.submitBracket({
              instrumentId: b.instrumentId,
              side: 'BUY',
              quantity: 5,
              takeProfitPrice: '11.40',
              stopLossPrice: '8.00',
            });
          if (n === 2)
            limit = ctx.submit({
              instrumentId: b.instrumentId,
              side: 'BUY',
              quantity: 3,
              type: 'LIMIT',
              limitPrice: '1.00',
            });
          if (n === 3 && limit) ctx.replace(limit, { quantity: 4 });
          if (n % 2 === 0) ctx.submit({ instrumentId: b.instrumentId, side: 'BUY', quantity: 2 });
          if (n === 5) ctx.submit({ instrumentId: b.instrumentId, side: 'BUY', quantity: 500 }); // denied
        },
      },
    ],
  }));
  kernel.start();
  for (const [i, px] of [10, 10.5, 11, 11.5, 10.8, 11.2].entries()) {
    const ts = t0 + (i + 1) * MS.DAY;
    clock.advanceTo(ts);
    const bar: Bar = {
      instrumentId: inst.id,
      ts,
      open: px,
      high: px + 0.3,
      low: px - 0.3,
      close: px,
      volume: 1e6,
    };
    exchange.processBar(bar);
    kernel.onBar(bar);
  }
  risk.tripKillSwitch({ operator: 'ops', reason: 'end of test', ts: clock.now() });
  return {
    kernel,
    records: journal.records.map((r, i) => ({
      seq: base + i + 1,
      type: r.type,
      payload: r.payload,
    })),
  };
}

const PER_BASE = { records: 26, orderEvents: 22, denials: 1, orders: 5, fills: 3, ignored: 2 };

describe.each([
  ['PostgreSQL', openTestPostgres],
  ['PGlite', () => openTestPglite()],
] as const)('SqlProjectionWriter (%s)', (_name, open) => {
  let t: TestDataSource;
  beforeAll(async () => {
    t = await open();
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it("projects the kernel's records (every event, latest order state, fills) and replaying twice leaves one row each", async () => {
    const records = [...kernelRecords(1000), ...kernelRecords(2000)];
    const errors: Error[] = [];
    const w = SqlProjectionWriter.forDataSource(t.ds, {
      name: 'replay',
      batchSize: 7,
      sessionId: 'sess-1',
      onError: (e) => errors.push(e),
    });
    expect(await w.lastWrittenSeq()).toBe(0);
    for (const r of records) expect(w.enqueue(r)).toBe(true);
    await w.flush();
    for (const r of records) w.enqueue(r); // crash + replay of the same WAL
    await w.flush();
    for (const r of records.slice(33)) w.enqueue(r); // a replay that starts in the middle
    await w.close();

    expect(errors).toEqual([]);
    expect(await count(t, 'order_events', `wal_seq BETWEEN 1000 AND 3000`)).toBe(
      2 * (PER_BASE.orderEvents + PER_BASE.denials),
    );
    expect(await count(t, 'orders', `session_id = 'sess-1'`)).toBe(2 * PER_BASE.orders);
    expect(await count(t, 'fills', `session_id = 'sess-1'`)).toBe(2 * PER_BASE.fills);
    expect(await count(t, 'position_snapshots', `wal_seq BETWEEN 1000 AND 3000`)).toBe(2);
    expect(await w.lastWrittenSeq()).toBe(records[records.length - 1].seq);
    expect(w.stats()).toMatchObject({
      queued: 0,
      dropped: 0,
      failures: 0,
      ignored: PER_BASE.ignored * 5,
    });
    await expectOrdersProjected(t, records, 'sess-1');

    const repos = createTypeormRepositories(t.ds);
    expect(plainRow((await repos.orders.get('A1000' as ClientOrderId))!)).toMatchObject({
      status: 'FILLED',
      filledQuantity: '0.1',
      avgFillPrice: '100.8',
      limitPrice: '123456789012.123456789',
      venueOrderId: 'V-A1000',
      timeInForce: 'GTC',
    });
    expect(plainRow((await repos.orders.get('B1000' as ClientOrderId))!)).toMatchObject({
      status: 'REPLACED',
      quantity: '10',
      filledQuantity: '0',
    });
    expect(plainRow((await repos.orders.get('Br1000' as ClientOrderId))!)).toMatchObject({
      status: 'CANCELED',
      quantity: '5',
      limitPrice: '50.5',
      filledQuantity: '2',
      avgFillPrice: '50.5',
      side: 'SELL',
    });
    expect((await repos.orders.get('C1000' as ClientOrderId))?.status).toBe('REJECTED');
    expect((await repos.orders.get('D1000' as ClientOrderId))?.status).toBe('EXPIRED');
    const fills = await repos.fills.listByOrder('A1000' as ClientOrderId);
    expect(
      fills.map((x) => [
        x.tradeId,
        x.side,
        x.instrumentId,
        x.quantity.toFixed(),
        x.price.toFixed(),
        x.commission.toFixed(),
        x.currency,
        x.liquidity,
        x.sessionId,
      ]),
    ).toEqual([
      ['t1000-1', 'BUY', 'AAPL.XNAS', '0.04', '100.5', '0.01', 'USD', 'MAKER', 'sess-1'],
      ['t1000-2', 'BUY', 'AAPL.XNAS', '0.06', '101', '0', 'USD', 'TAKER', 'sess-1'],
    ]);
    expect(
      (await repos.fills.listByOrder('Br1000' as ClientOrderId)).map((x) => [
        x.side,
        x.quantity.toFixed(),
        x.commission.toFixed(),
      ]),
    ).toEqual([['SELL', '2', '0.000000000001']]);
    const events = await repos.orderEvents.listByOrder('A1000' as ClientOrderId);
    expect(events.map((e) => e.type)).toEqual([
      'OrderInitialized',
      'OrderSubmitted',
      'OrderAccepted',
      'OrderFilled',
      'OrderFilled',
    ]);
    expect(decodeOrderEvent(events[3].payload)).toMatchObject({
      type: 'OrderFilled',
      tradeId: 't1000-1',
    });
    expect(events[0]).toMatchObject({ walSeq: 1001, ts: T0 + 1000 * 1000 + 1 });
    expect(await repos.orderEvents.listByOrder('X1000' as ClientOrderId)).toEqual([
      expect.objectContaining({
        walSeq: 1004,
        type: 'OrderDenied',
        ts: T0 + 1000 * 1000,
        payload: expect.objectContaining({ reason: 'FAT_FINGER_QUANTITY' }),
      }),
    ]);
    expect(() => w.enqueue(records[0])).toThrow(StateError);
  });

  it('a restarted writer (cold state) continues from its checkpoint with the order history read back from order_events', async () => {
    const records = kernelRecords(10_000);
    const first = SqlProjectionWriter.forDataSource(t.ds, { name: 'restart', batchSize: 4 });
    const cut = 13; // inside B's cancel/replace dance, A half filled
    for (const r of records.slice(0, cut)) first.enqueue(r);
    await first.close();
    const from = await first.lastWrittenSeq();
    expect(from).toBe(records[cut - 1].seq);

    const errors: Error[] = [];
    const second = SqlProjectionWriter.forDataSource(t.ds, {
      name: 'restart',
      batchSize: 4,
      onError: (e) => errors.push(e),
    });
    // a crash before the last checkpoint: the replay overlaps what is already in SQL
    for (const r of records.filter((x) => x.seq > from - 5)) second.enqueue(r);
    await second.close();
    expect(errors).toEqual([]);
    await expectOrdersProjected(t, records);
    expect(await count(t, 'fills', `trade_id LIKE 't10000-%'`)).toBe(3);
  });

  it("projects a real kernel's journal: orders equal the kernel's order book, one fill row per execution", async () => {
    const { kernel, records } = kernelRun(500_000);
    const errors: Error[] = [];
    const w = SqlProjectionWriter.forDataSource(t.ds, {
      name: 'kernel',
      batchSize: 16,
      onError: (e) => errors.push(e),
    });
    for (const r of records) w.enqueue(r);
    await w.close();
    expect(errors).toEqual([]);
    const types = new Set(records.map((r) => r.type));
    expect([...types].sort()).toEqual(['denial', 'order', 'risk']);
    const book = [...kernel.orders.openOrders(), ...kernel.orders.closedOrders()];
    expect(book.length).toBeGreaterThan(6);
    const want = expectedOrders(records);
    expect([...want.keys()].sort()).toEqual(book.map((o) => o.clientOrderId as string).sort());
    for (const o of book) expect(want.get(o.clientOrderId)?.order.toJSON()).toEqual(o.toJSON());
    await expectOrdersProjected(t, records);
    const fills = records.filter(
      (r) => r.type === 'order' && (r.payload as { type: string }).type === 'OrderFilled',
    ).length;
    expect(await count(t, 'fills', `wal_seq > 500000 AND wal_seq < 600000`)).toBe(fills);
    expect(await count(t, 'order_events', `wal_seq > 500000 AND wal_seq < 600000`)).toBe(
      records.length - 1,
    ); // the risk record is not projected
  });

  it('evicted orders are re-read from order_events (replacement chains included)', async () => {
    const records = [...kernelRecords(20_000), ...kernelRecords(30_000)];
    const errors: Error[] = [];
    const w = SqlProjectionWriter.forDataSource(t.ds, {
      name: 'evict',
      batchSize: 3,
      maxCachedOrders: 1,
      onError: (e) => errors.push(e),
    });
    for (const r of records) w.enqueue(r);
    await w.close();
    expect(errors).toEqual([]);
    await expectOrdersProjected(t, records);
  });
});

describe('SqlProjectionWriter (PostgreSQL): delivery', () => {
  let t: TestDataSource;
  beforeAll(async () => {
    t = await openTestPostgres();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a slow database never blocks enqueue; records are written once it answers', async () => {
    const target = new GatedTarget(new TypeormProjectionTarget(t.ds, 'slow'));
    const w = new SqlProjectionWriter(target, { batchSize: 50, flushIntervalMs: 0 });
    const records = Array.from({ length: 30 }, (_, i) => kernelRecords(50_000 + i * 100)).flat();
    for (const r of records) expect(w.enqueue(r)).toBe(true); // the database has not answered once
    await new Promise((r) => setTimeout(r, 20));
    expect(target.writes).toBe(0);
    expect(w.stats().queued).toBe(records.length);
    let flushed = false;
    const f = w.flush().then(() => (flushed = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(flushed).toBe(false);
    target.open();
    await f;
    expect(w.stats()).toMatchObject({
      queued: 0,
      written: 30 * (PER_BASE.records - PER_BASE.ignored),
      ignored: 30 * PER_BASE.ignored,
    });
    expect(await count(t, 'fills', `trade_id LIKE 't5%'`)).toBe(30 * PER_BASE.fills);
    expect(await w.lastWrittenSeq()).toBe(records[records.length - 1].seq);
    await w.close();
  });

  it('retries a failed batch without duplicating rows or double-applying order events', async () => {
    const target = new GatedTarget(new TypeormProjectionTarget(t.ds, 'retry'));
    target.open();
    target.failNext = 2;
    const errors: unknown[] = [];
    const w = new SqlProjectionWriter(target, {
      retryDelayMs: 1,
      batchSize: 5,
      onError: (e, ctx) => errors.push([e.message, ctx.attempt]),
    });
    const records = kernelRecords(90_000);
    for (const r of records) w.enqueue(r);
    await w.flush();
    expect(errors).toEqual([
      ['connection reset', 1],
      ['connection reset', 2],
    ]);
    expect(w.stats().failures).toBe(2);
    expect(await count(t, 'order_events', `wal_seq > 90000 AND wal_seq < 91000`)).toBe(
      PER_BASE.orderEvents + PER_BASE.denials,
    );
    await expectOrdersProjected(t, records);
    await w.close();
  });

  it('overflow drops new records and holds the checkpoint below the first dropped seq', async () => {
    const target = new GatedTarget(new TypeormProjectionTarget(t.ds, 'overflow'));
    const w = new SqlProjectionWriter(target, { maxQueue: 10, batchSize: 4 });
    const records = kernelRecords(200_000).slice(0, 15);
    const accepted = records.map((r) => w.enqueue(r));
    expect(accepted.filter(Boolean)).toHaveLength(10);
    expect(accepted.slice(10)).toEqual([false, false, false, false, false]);
    expect(w.stats()).toMatchObject({ dropped: 5, firstDroppedSeq: records[10].seq });
    target.open();
    await w.flush();
    expect(await w.lastWrittenSeq()).toBe(records[9].seq);
    // after the gap, later records are written but the checkpoint stays before the gap
    expect(
      w.enqueue({ seq: 300_000, type: 'denial', payload: { clientOrderId: 'x', ts: T0 } }),
    ).toBe(true);
    await w.close();
    expect(await w.lastWrittenSeq()).toBe(records[10].seq - 1);
  });

  it('reports unmappable payloads and events that do not fit an order, and keeps going', async () => {
    const errors: [string, number | undefined][] = [];
    const w = SqlProjectionWriter.forDataSource(t.ds, {
      name: 'poison',
      onError: (e, ctx) => errors.push([e.message, ctx.seq]),
    });
    const f = new OrderEventFactory(T0);
    w.enqueue({ seq: 400_001, type: 'order', payload: { clientOrderId: 'p' } });
    w.enqueue({ seq: 400_002, type: 'denial', payload: [1, 2] });
    w.enqueue({ seq: 400_003, type: 'denial', payload: { clientOrderId: 'p', ts: 1.5 } });
    w.enqueue({
      seq: 400_004,
      type: 'position.snapshot',
      payload: { instrumentId: 'A.B', quantity: {}, ts: 1 },
    });
    w.enqueue(order(400_005, f.accepted('nobody'))); // no OrderInitialized anywhere
    w.enqueue(order(400_006, f.initialized(testOrderRequest({ clientOrderId: 'P-1' }))));
    w.enqueue(order(400_007, f.filled('P-1', { tradeId: 'tp', qty: 1, px: 1 }))); // INITIALIZED cannot fill
    w.enqueue(order(400_008, f.initialized(testOrderRequest({ clientOrderId: 'P-1' })))); // duplicate id
    w.enqueue({ seq: 400_009, type: 'denial', payload: { clientOrderId: 'p', ts: T0 } });
    await w.close();
    expect(errors.map((e) => e[1])).toEqual([
      400_001, 400_002, 400_003, 400_004, 400_005, 400_007, 400_008,
    ]);
    expect(errors[0][0]).toMatch(/event\.type/);
    expect(errors[4][0]).toMatch(/no OrderInitialized/);
    expect(errors[6][0]).toMatch(/already an order/);
    expect(w.stats()).toMatchObject({ written: 5, ignored: 4 });
    expect(await w.lastWrittenSeq()).toBe(400_009);
    const repos = createTypeormRepositories(t.ds);
    expect(
      (await repos.orderEvents.listByOrder('nobody' as ClientOrderId)).map((e) => e.type),
    ).toEqual(['OrderAccepted']); // kept in the event log
    expect((await repos.orders.get('P-1' as ClientOrderId))?.status).toBe('INITIALIZED');
  });
});

describe('projection mapping', () => {
  it('maps order, denial and position records; ignores the rest', () => {
    const f = new OrderEventFactory(T0);
    const m = mapProjectionBatch([
      order(1, f.initialized(testOrderRequest())),
      {
        seq: 2,
        type: 'position.snapshot',
        payload: { instrumentId: 'A.B', quantity: '-1', ts: 5, sessionId: 's' },
      },
      { seq: 3, type: 'risk', payload: { type: 'KillSwitchReset' } },
      { seq: 4, type: 'heartbeat', payload: null },
    ]);
    expect(m.invalid).toEqual([]);
    expect(m.ignored).toBe(2);
    expect(m.orderEvents.map((e) => [e.seq, e.event.type])).toEqual([[1, 'OrderInitialized']]);
    expect(m.rows.orderEvents).toEqual([
      expect.objectContaining({
        walSeq: 1,
        clientOrderId: 'S1-1',
        type: 'OrderInitialized',
        ts: T0 + 1,
      }),
    ]);
    expect(m.rows.positions[0]).toMatchObject({ currency: 'USD', sessionId: 's' });
    expect(m.rows.positions[0].realizedPnl.toFixed()).toBe('0');
    expect(m.rows.positions[0].avgPrice.toFixed()).toBe('0');
  });
});

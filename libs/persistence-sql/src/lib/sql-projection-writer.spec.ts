import { StateError } from '@trading/domain';
import type { ProjectionRecord } from '@trading/persistence';
import { openTestPostgres, type TestDataSource } from '../testing';
import { mapProjectionBatch, type ProjectionRows } from './projection-mapping';
import { createTypeormRepositories } from './repositories';
import { queryRows } from './repositories/sql';
import { SqlProjectionWriter, TypeormProjectionTarget, type ProjectionTarget } from './sql-projection-writer';

const T0 = 1_700_000_000_000;

/** A realistic WAL stream: order placed, accepted, filled, position changed. */
function walRecords(base: number, n: number): ProjectionRecord[] {
  const out: ProjectionRecord[] = [];
  for (let i = 0; i < n; i++) {
    const id = `w${base}-${i}`;
    const s = base + i * 5;
    out.push({ seq: s + 1, type: 'order.submitted', payload: { clientOrderId: id, ts: T0 + s, qty: '0.1' } });
    out.push({
      seq: s + 2,
      type: 'order.state',
      payload: { clientOrderId: id, instrumentId: 'AAPL.XNAS', side: 'BUY', type: 'LIMIT', timeInForce: 'DAY', quantity: '0.1', limitPrice: '123456789012.123456789', status: 'ACCEPTED', createdAt: T0 + s },
    });
    out.push({
      seq: s + 3,
      type: 'fill',
      payload: { tradeId: `t-${id}`, clientOrderId: id, instrumentId: 'AAPL.XNAS', side: 'BUY', quantity: '0.1', price: '0.000000000001', commission: '0.01', liquidity: 'TAKER', ts: T0 + s },
    });
    out.push({ seq: s + 4, type: 'position.snapshot', payload: { instrumentId: 'AAPL.XNAS', quantity: '0.1', avgPrice: '100.5', ts: T0 + s } });
    out.push({ seq: s + 5, type: 'heartbeat', payload: null });
  }
  return out;
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
}

async function count(t: TestDataSource, table: string, where = 'TRUE'): Promise<number> {
  const [r] = await queryRows<{ n: number }>(t.ds, `SELECT count(*)::int AS n FROM "${table}" WHERE ${where}`);
  return r.n;
}

describe('SqlProjectionWriter (PostgreSQL)', () => {
  let t: TestDataSource;
  beforeAll(async () => {
    t = await openTestPostgres();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('projects every record type and replaying twice leaves one row each', async () => {
    const records = walRecords(1000, 20);
    const errors: Error[] = [];
    const w = SqlProjectionWriter.forDataSource(t.ds, { name: 'replay', batchSize: 7, onError: (e) => errors.push(e) });
    expect(await w.lastWrittenSeq()).toBe(0);
    for (const r of records) expect(w.enqueue(r)).toBe(true);
    await w.flush();
    for (const r of records) w.enqueue(r); // crash + replay of the same WAL
    await w.flush();
    // a replay that starts in the middle also changes nothing
    for (const r of records.slice(33)) w.enqueue(r);
    await w.close();

    expect(errors).toEqual([]);
    expect(await count(t, 'order_events', `client_order_id LIKE 'w1000-%'`)).toBe(20);
    expect(await count(t, 'orders', `client_order_id LIKE 'w1000-%'`)).toBe(20);
    expect(await count(t, 'fills', `client_order_id LIKE 'w1000-%'`)).toBe(20);
    expect(await count(t, 'position_snapshots', `wal_seq BETWEEN 1000 AND 1100`)).toBe(20);
    expect(await w.lastWrittenSeq()).toBe(records[records.length - 1].seq);
    expect(w.stats()).toMatchObject({ queued: 0, dropped: 0, failures: 0 });
    expect(w.stats().ignored).toBe(20 * 2 + 14); // heartbeats of three passes

    const repos = createTypeormRepositories(t.ds);
    const order = await repos.orders.get('w1000-3' as never);
    expect(order).toMatchObject({ status: 'ACCEPTED', walSeq: 1000 + 15 + 2 });
    expect(order!.limitPrice!.toFixed()).toBe('123456789012.123456789');
    const fills = await repos.fills.listByOrder('w1000-3' as never);
    expect(fills.map((f) => f.price.toFixed())).toEqual(['0.000000000001']);
    const events = await repos.orderEvents.listByOrder('w1000-3' as never);
    expect(events).toEqual([{ walSeq: 1016, clientOrderId: 'w1000-3', type: 'order.submitted', ts: T0 + 1015, payload: { clientOrderId: 'w1000-3', ts: T0 + 1015, qty: '0.1' } }]);
    expect(() => w.enqueue(records[0])).toThrow(StateError);
    await w.close();
  });

  it('a slow database never blocks enqueue; records are written once it answers', async () => {
    const target = new GatedTarget(new TypeormProjectionTarget(t.ds, 'slow'));
    const w = new SqlProjectionWriter(target, { batchSize: 50, flushIntervalMs: 0 });
    const records = walRecords(50_000, 200);
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
    expect(w.stats()).toMatchObject({ queued: 0, written: 800, ignored: 200 });
    expect(await count(t, 'fills', `client_order_id LIKE 'w50000-%'`)).toBe(200);
    expect(await w.lastWrittenSeq()).toBe(records[records.length - 1].seq);
    await w.close();
  });

  it('retries a failed batch without duplicating rows', async () => {
    const target = new GatedTarget(new TypeormProjectionTarget(t.ds, 'retry'));
    target.open();
    target.failNext = 2;
    const errors: unknown[] = [];
    const w = new SqlProjectionWriter(target, { retryDelayMs: 1, onError: (e, ctx) => errors.push([e.message, ctx.attempt]) });
    for (const r of walRecords(90_000, 5)) w.enqueue(r);
    await w.flush();
    expect(errors).toEqual([
      ['connection reset', 1],
      ['connection reset', 2],
    ]);
    expect(w.stats().failures).toBe(2);
    expect(await count(t, 'order_events', `client_order_id LIKE 'w90000-%'`)).toBe(5);
    await w.close();
  });

  it('overflow drops new records and holds the checkpoint below the first dropped seq', async () => {
    const target = new GatedTarget(new TypeormProjectionTarget(t.ds, 'overflow'));
    const w = new SqlProjectionWriter(target, { maxQueue: 10, batchSize: 4 });
    const records = walRecords(200_000, 3); // 15 records
    const accepted = records.map((r) => w.enqueue(r));
    expect(accepted.filter(Boolean)).toHaveLength(10);
    expect(accepted.slice(10)).toEqual([false, false, false, false, false]);
    expect(w.stats()).toMatchObject({ dropped: 5, firstDroppedSeq: records[10].seq });
    target.open();
    await w.flush();
    expect(await w.lastWrittenSeq()).toBe(records[9].seq);
    // after the gap, later records are written but the checkpoint stays before the gap
    expect(w.enqueue({ seq: 300_000, type: 'order.canceled', payload: { clientOrderId: 'x', ts: T0 } })).toBe(true);
    await w.close();
    expect(await w.lastWrittenSeq()).toBe(records[10].seq - 1);
  });

  it('reports unmappable payloads and keeps going', async () => {
    const errors: [string, number | undefined][] = [];
    const w = SqlProjectionWriter.forDataSource(t.ds, { name: 'poison', onError: (e, ctx) => errors.push([e.message, ctx.seq]) });
    w.enqueue({ seq: 400_001, type: 'fill', payload: { clientOrderId: 'p' } });
    w.enqueue({ seq: 400_002, type: 'order.state', payload: [1, 2] });
    w.enqueue({ seq: 400_003, type: 'order.accepted', payload: { clientOrderId: 'p', ts: 1.5 } });
    w.enqueue({ seq: 400_004, type: 'position.snapshot', payload: { instrumentId: 'A.B', quantity: {}, ts: 1 } });
    w.enqueue({ seq: 400_005, type: 'order.accepted', payload: { clientOrderId: 'p', ts: T0 } });
    await w.close();
    expect(errors.map((e) => e[1])).toEqual([400_001, 400_002, 400_003, 400_004]);
    expect(errors[0][0]).toMatch(/payload.tradeId/);
    expect(w.stats()).toMatchObject({ written: 1, ignored: 4 });
    expect(await w.lastWrittenSeq()).toBe(400_005);
  });
});

describe('projection mapping', () => {
  it('fills defaults for optional fields', () => {
    const m = mapProjectionBatch([
      { seq: 1, type: 'fill', payload: { tradeId: 't', clientOrderId: 'c', instrumentId: 'A.B', side: 'SELL', quantity: 2, price: '3', ts: 5 } },
      { seq: 2, type: 'position.snapshot', payload: { instrumentId: 'A.B', quantity: '-1', ts: 5, sessionId: 's' } },
      { seq: 3, type: 'order.state', payload: { clientOrderId: 'c', instrumentId: 'A.B', side: 'SELL', type: 'MARKET', timeInForce: 'IOC', quantity: '2', status: 'NEW', createdAt: 4, updatedAt: 6, venueOrderId: null } },
    ]);
    expect(m.invalid).toEqual([]);
    expect(m.rows.fills[0]).toMatchObject({ currency: 'USD', liquidity: 'NONE', sessionId: null });
    expect(m.rows.fills[0].commission.toFixed()).toBe('0');
    expect(m.rows.positions[0].realizedPnl.toFixed()).toBe('0');
    expect(m.rows.orders[0]).toMatchObject({ updatedAt: 6, venueOrderId: null, limitPrice: null, walSeq: 3 });
  });
});

/**
 * Contract suite every implementation of the SQL history ports must pass (pure Jest, no
 * storage imports). Usage in an adapter's spec:
 *
 * ```ts
 * describeRepositoryContract('PGlite', async () => { const ds = ...; return { repos, close } });
 * ```
 *
 * One harness is created per suite (`beforeAll`) and shared by its tests, so every test uses
 * its own keys (ids, symbols) and never assumes empty tables.
 */
/* eslint-disable @typescript-eslint/no-non-null-assertion -- test code: a missing value fails the assertion anyway */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  clientOrderId,
  instrumentId,
  PersistenceError,
  strategyId,
  toDecimal,
  tradeId,
  venueOrderId,
  type ClientOrderId,
  type InstrumentId,
} from '@trading/domain';
import type { Candle } from './candle-store.port';
import type { DecimalValue } from './common';
import type { FillRecord } from './fill-repository.port';
import type { OrderEventRecord, OrderRecord } from './order-repository.port';
import type { PositionSnapshotRecord } from './position-snapshot-repository.port';
import type { HistoryRepositories } from './repositories';

/** What a contract harness factory returns. */
export interface RepositoryHarness {
  readonly repos: HistoryRepositories;
  /** Releases the storage (drop schema, close connections). */
  close(): Promise<void>;
}

/** Options of {@link describeRepositoryContract}. */
export interface RepositoryContractOptions {
  /** Timeout of the harness set-up in ms (default 60,000: PGlite start-up is slow). */
  readonly setupTimeoutMs?: number;
}

/** Decimal text exactness probes (ADR 0002): must round-trip through storage unchanged. */
export const EXACT_DECIMALS = [
  '0.1',
  '0.000000000001',
  '123456789012.123456789',
  '-42.5',
  '0',
] as const;

const T0 = 1_700_000_000_123;
const d = (v: string): DecimalValue => toDecimal(v);
const txt = (v: DecimalValue | null): string | null => (v === null ? null : v.toFixed());

let uniq = 0;
const tag = (): string => `c${++uniq}`;

function order(id: ClientOrderId, over: Partial<OrderRecord> = {}): OrderRecord {
  return {
    clientOrderId: id,
    venueOrderId: null,
    sessionId: null,
    strategyId: null,
    instrumentId: instrumentId('AAPL', 'XNAS'),
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'DAY',
    quantity: d('10'),
    limitPrice: d('101.25'),
    stopPrice: null,
    filledQuantity: d('0'),
    avgFillPrice: null,
    status: 'NEW',
    createdAt: T0,
    updatedAt: T0,
    walSeq: null,
    ...over,
  };
}

function fill(walSeq: number, id: ClientOrderId, over: Partial<FillRecord> = {}): FillRecord {
  return {
    walSeq,
    tradeId: tradeId(`t-${id}-${walSeq}`),
    clientOrderId: id,
    sessionId: null,
    instrumentId: instrumentId('AAPL', 'XNAS'),
    side: 'BUY',
    quantity: d('1'),
    price: d('100'),
    commission: d('0.01'),
    currency: 'USD',
    liquidity: 'TAKER',
    ts: T0 + walSeq,
    ...over,
  };
}

function snapshot(
  walSeq: number,
  inst: InstrumentId,
  over: Partial<PositionSnapshotRecord> = {},
): PositionSnapshotRecord {
  return {
    walSeq,
    sessionId: null,
    instrumentId: inst,
    quantity: d('0'),
    avgPrice: d('0'),
    realizedPnl: d('0'),
    currency: 'USD',
    ts: T0 + walSeq,
    ...over,
  };
}

function candle(symbol: string, ts: number, close: number, timeframe = '1m'): Candle {
  return {
    symbol,
    timeframe,
    ts,
    open: close - 0.5,
    high: close + 1,
    low: close - 1,
    close,
    volume: 1000 + (ts % 7),
  };
}

/** Registers the repository contract tests for one implementation. */
export function describeRepositoryContract(
  name: string,
  makeRepos: () => Promise<RepositoryHarness>,
  opts: RepositoryContractOptions = {},
): void {
  describe(`repository contract: ${name}`, () => {
    let h: RepositoryHarness | undefined;
    let seqBase = 0;
    /** Fresh WAL sequence numbers per test (shared storage). */
    const seqs = (): number => (seqBase += 1000);
    const r = (): HistoryRepositories => {
      if (!h) throw new Error('repository harness failed to start');
      return h.repos;
    };

    beforeAll(async () => {
      h = await makeRepos();
      seqBase = 1_000_000 * (1 + Math.floor(Math.random() * 1000));
    }, opts.setupTimeoutMs ?? 60_000);
    afterAll(async () => {
      await h?.close();
    }, opts.setupTimeoutMs ?? 60_000);

    describe('orders', () => {
      it('round-trips an order with exact decimals and nulls', async () => {
        const t = tag();
        for (const [i, v] of EXACT_DECIMALS.entries()) {
          const id = clientOrderId(`${t}-o${i}`);
          await r().orders.upsert([
            order(id, {
              quantity: d(v),
              limitPrice: d(v),
              filledQuantity: d(v),
              avgFillPrice: d(v),
              venueOrderId: venueOrderId(`v-${t}`),
              strategyId: strategyId('s1'),
              sessionId: `sess-${t}`,
            }),
          ]);
          const got = await r().orders.get(id);
          expect(got).not.toBeNull();
          expect(txt(got!.quantity)).toBe(d(v).toFixed());
          expect(txt(got!.limitPrice)).toBe(d(v).toFixed());
          expect(txt(got!.filledQuantity)).toBe(d(v).toFixed());
          expect(txt(got!.avgFillPrice)).toBe(d(v).toFixed());
          expect(got!.quantity.eq(d(v))).toBe(true);
          expect(got!.stopPrice).toBeNull();
          expect(got!.venueOrderId).toBe(`v-${t}`);
          expect(got!.strategyId).toBe('s1');
          expect(got!.sessionId).toBe(`sess-${t}`);
          expect(got!.createdAt).toBe(T0);
          expect(typeof got!.createdAt).toBe('number');
          expect(got!.side).toBe('BUY');
          expect(got!.type).toBe('LIMIT');
          expect(got!.timeInForce).toBe('DAY');
          expect(got!.walSeq).toBeNull();
        }
        expect(await r().orders.get(clientOrderId(`${t}-missing`))).toBeNull();
      });

      it('upsert replaces state; a stale walSeq is ignored', async () => {
        const id = clientOrderId(`${tag()}-o`);
        const s = seqs();
        await r().orders.upsert([order(id, { walSeq: s + 1 })]);
        await r().orders.upsert([
          order(id, {
            walSeq: s + 3,
            status: 'PARTIALLY_FILLED',
            filledQuantity: d('4'),
            avgFillPrice: d('101.2'),
            updatedAt: T0 + 5,
          }),
        ]);
        await r().orders.upsert([order(id, { walSeq: s + 2, status: 'ACCEPTED' })]);
        await r().orders.upsert([order(id, { walSeq: s + 3, status: 'REPLAYED' })]);
        const got = await r().orders.get(id);
        expect(got!.status).toBe('PARTIALLY_FILLED');
        expect(got!.walSeq).toBe(s + 3);
        expect(txt(got!.filledQuantity)).toBe('4');
        expect(got!.updatedAt).toBe(T0 + 5);
        const noSeq = clientOrderId(`${tag()}-n`);
        await r().orders.upsert([order(noSeq, { status: 'NEW' })]);
        await r().orders.upsert([order(noSeq, { status: 'CANCELED' })]);
        expect((await r().orders.get(noSeq))!.status).toBe('CANCELED');
      });

      it('lists by session, strategy, instrument, status and time range, oldest first, with paging', async () => {
        const t = tag();
        const sess = `sess-${t}`;
        const msft = instrumentId('MSFT', 'XNAS');
        await r().orders.upsert([
          order(clientOrderId(`${t}-b`), { sessionId: sess, createdAt: T0 + 20 }),
          order(clientOrderId(`${t}-a`), {
            sessionId: sess,
            createdAt: T0 + 10,
            status: 'FILLED',
            strategyId: strategyId(`st-${t}`),
          }),
          order(clientOrderId(`${t}-c`), {
            sessionId: sess,
            createdAt: T0 + 30,
            instrumentId: msft,
          }),
          order(clientOrderId(`${t}-d`), { sessionId: `other-${t}`, createdAt: T0 + 5 }),
        ]);
        const ids = (rows: OrderRecord[]): string[] => rows.map((o) => o.clientOrderId);
        expect(ids(await r().orders.list({ sessionId: sess }))).toEqual([
          `${t}-a`,
          `${t}-b`,
          `${t}-c`,
        ]);
        expect(ids(await r().orders.list({ sessionId: sess, status: 'FILLED' }))).toEqual([
          `${t}-a`,
        ]);
        expect(ids(await r().orders.list({ strategyId: strategyId(`st-${t}`) }))).toEqual([
          `${t}-a`,
        ]);
        expect(ids(await r().orders.list({ sessionId: sess, instrumentId: msft }))).toEqual([
          `${t}-c`,
        ]);
        expect(
          ids(await r().orders.list({ sessionId: sess, range: { from: T0 + 10, to: T0 + 30 } })),
        ).toEqual([`${t}-a`, `${t}-b`]);
        expect(ids(await r().orders.list({ sessionId: sess, limit: 2, offset: 1 }))).toEqual([
          `${t}-b`,
          `${t}-c`,
        ]);
      });
    });

    describe('order events', () => {
      it('appends once per walSeq and lists per order and by time range', async () => {
        const t = tag();
        const s = seqs();
        const a = clientOrderId(`${t}-a`);
        const b = clientOrderId(`${t}-b`);
        const events: OrderEventRecord[] = [
          {
            walSeq: s + 2,
            clientOrderId: a,
            type: 'order.accepted',
            ts: T0 + 2,
            payload: { venueOrderId: 'v1', n: 1.5, tags: ['x'] },
          },
          {
            walSeq: s + 1,
            clientOrderId: a,
            type: 'order.submitted',
            ts: T0 + 1,
            payload: { qty: '0.1', nested: { ok: true, none: null } },
          },
          { walSeq: s + 3, clientOrderId: b, type: 'order.submitted', ts: T0 + 3, payload: 'text' },
        ];
        expect(await r().orderEvents.append(events)).toBe(3);
        expect(await r().orderEvents.append(events)).toBe(0);
        expect(await r().orderEvents.append([{ ...events[0], type: 'order.changed' }])).toBe(0);
        expect(await r().orderEvents.append([])).toBe(0);
        const ofA = await r().orderEvents.listByOrder(a);
        expect(ofA.map((e) => e.walSeq)).toEqual([s + 1, s + 2]);
        expect(ofA[0]).toEqual(events[1]);
        expect(ofA[1].type).toBe('order.accepted');
        expect(ofA[1].payload).toEqual({ venueOrderId: 'v1', n: 1.5, tags: ['x'] });
        const inRange = await r().orderEvents.list({ from: T0 + 2, to: T0 + 4 });
        const mine = inRange.filter((e) => e.walSeq > s && e.walSeq < s + 1000);
        expect(mine.map((e) => e.walSeq)).toEqual([s + 2, s + 3]);
        expect(mine[1].payload).toBe('text');
        const paged = await r().orderEvents.list({ from: T0 + 1, to: T0 + 4 }, { limit: 1 });
        expect(paged).toHaveLength(1);
      });
    });

    describe('fills', () => {
      it('dedupes by walSeq and trade id, keeps decimals exact and filters', async () => {
        const t = tag();
        const s = seqs();
        const o = clientOrderId(`${t}-o`);
        const inst = instrumentId(`F${t.toUpperCase()}`, 'XNYS');
        const fills = EXACT_DECIMALS.map((v, i) =>
          fill(s + i + 1, o, {
            quantity: d(v),
            price: d(v),
            commission: d(v),
            instrumentId: inst,
            sessionId: `sess-${t}`,
          }),
        );
        expect(await r().fills.append(fills)).toBe(fills.length);
        expect(await r().fills.append(fills)).toBe(0);
        expect(await r().fills.append([{ ...fills[0], walSeq: s + 500 }])).toBe(0); // same trade id, new seq
        const got = await r().fills.listByOrder(o);
        expect(got.map((f) => f.walSeq)).toEqual(fills.map((f) => f.walSeq));
        got.forEach((f, i) => {
          expect(txt(f.quantity)).toBe(d(EXACT_DECIMALS[i]).toFixed());
          expect(txt(f.price)).toBe(d(EXACT_DECIMALS[i]).toFixed());
          expect(txt(f.commission)).toBe(d(EXACT_DECIMALS[i]).toFixed());
        });
        expect(got[0]).toMatchObject({
          tradeId: fills[0].tradeId,
          side: 'BUY',
          currency: 'USD',
          liquidity: 'TAKER',
          ts: fills[0].ts,
          instrumentId: inst,
        });
        expect(
          await r().fills.list({
            instrumentId: inst,
            range: { from: fills[1].ts, to: fills[3].ts },
          }),
        ).toHaveLength(2);
        expect(await r().fills.list({ sessionId: `sess-${t}`, limit: 2 })).toHaveLength(2);
        expect(
          (await r().fills.list({ sessionId: `sess-${t}`, limit: 2, offset: 4 })).map(
            (f) => f.walSeq,
          ),
        ).toEqual([s + 5]);
        expect(await r().fills.list({ sessionId: `none-${t}` })).toEqual([]);
      });
    });

    describe('position snapshots', () => {
      it('returns latest per instrument, latestAll and history; walSeq is idempotent', async () => {
        const t = tag();
        const s = seqs();
        const sess = `sess-${t}`;
        const a = instrumentId(`A${t.toUpperCase()}`, 'XNAS');
        const b = instrumentId(`B${t.toUpperCase()}`, 'XNAS');
        const snaps = [
          snapshot(s + 1, a, {
            sessionId: sess,
            quantity: d('10'),
            avgPrice: d('100.1'),
            ts: T0 + 1,
          }),
          snapshot(s + 2, a, {
            sessionId: sess,
            quantity: d('-3.5'),
            avgPrice: d('0.000000000001'),
            realizedPnl: d('-123456789012.123456789'),
            ts: T0 + 2,
          }),
          snapshot(s + 3, b, { sessionId: sess, quantity: d('7'), avgPrice: d('50'), ts: T0 + 1 }),
          snapshot(s + 4, a, { sessionId: `other-${t}`, quantity: d('99'), ts: T0 + 3 }),
        ];
        expect(await r().positions.append(snaps)).toBe(4);
        expect(await r().positions.append(snaps)).toBe(0);
        const la = await r().positions.latest(a, sess);
        expect(la!.walSeq).toBe(s + 2);
        expect(txt(la!.quantity)).toBe('-3.5');
        expect(txt(la!.avgPrice)).toBe('0.000000000001');
        expect(txt(la!.realizedPnl)).toBe('-123456789012.123456789');
        expect((await r().positions.latest(a))!.walSeq).toBe(s + 4);
        expect(await r().positions.latest(instrumentId(`Z${t.toUpperCase()}`, 'XNAS'))).toBeNull();
        const all = await r().positions.latestAll(sess);
        expect(all.map((p) => [p.instrumentId, p.walSeq])).toEqual([
          [a, s + 2],
          [b, s + 3],
        ]);
        const global = await r().positions.latestAll();
        expect(global.find((p) => p.instrumentId === a)!.walSeq).toBe(s + 4);
        expect((await r().positions.history(a)).map((p) => p.walSeq)).toEqual([
          s + 1,
          s + 2,
          s + 4,
        ]);
        expect(
          (await r().positions.history(a, { from: T0 + 2, to: T0 + 3 })).map((p) => p.walSeq),
        ).toEqual([s + 2]);
      });
    });

    describe('sessions', () => {
      it('saves, updates status with start/stop times and lists newest first', async () => {
        const t = tag();
        await r().sessions.save({
          id: `${t}-1`,
          mode: 'live',
          status: 'created',
          createdAt: T0,
          startedAt: null,
          stoppedAt: null,
          meta: { host: 'h1', strategies: ['a', 'b'] },
        });
        await r().sessions.save({
          id: `${t}-2`,
          mode: 'backtest',
          status: 'created',
          createdAt: T0 + 10,
          startedAt: null,
          stoppedAt: null,
          meta: null,
        });
        expect(await r().sessions.get(`${t}-1`)).toEqual({
          id: `${t}-1`,
          mode: 'live',
          status: 'created',
          createdAt: T0,
          startedAt: null,
          stoppedAt: null,
          meta: { host: 'h1', strategies: ['a', 'b'] },
        });
        const running = await r().sessions.updateStatus(`${t}-1`, 'running', T0 + 100);
        expect(running).toMatchObject({ status: 'running', startedAt: T0 + 100, stoppedAt: null });
        await r().sessions.updateStatus(`${t}-1`, 'paused', T0 + 150);
        const resumed = await r().sessions.updateStatus(`${t}-1`, 'running', T0 + 200);
        expect(resumed.startedAt).toBe(T0 + 100);
        const stopped = await r().sessions.updateStatus(`${t}-1`, 'stopped', T0 + 300);
        expect(stopped).toMatchObject({
          status: 'stopped',
          startedAt: T0 + 100,
          stoppedAt: T0 + 300,
        });
        expect(await r().sessions.get(`${t}-1`)).toEqual(stopped);
        await expect(r().sessions.updateStatus(`${t}-nope`, 'running', T0)).rejects.toBeInstanceOf(
          PersistenceError,
        );
        expect(await r().sessions.get(`${t}-nope`)).toBeNull();
        const mine = (await r().sessions.list()).filter((s) => s.id.startsWith(`${t}-`));
        expect(mine.map((s) => s.id)).toEqual([`${t}-2`, `${t}-1`]);
        expect((await r().sessions.list({ mode: 'backtest' })).some((s) => s.id === `${t}-1`)).toBe(
          false,
        );
        expect(
          (await r().sessions.list({ status: 'stopped' })).some((s) => s.id === `${t}-1`),
        ).toBe(true);
        expect(await r().sessions.list({ limit: 1 })).toHaveLength(1);
      });
    });

    describe('candles', () => {
      it('upserts in bulk, queries [from, to) oldest first, latest and stats', async () => {
        const sym = `S${tag().toUpperCase()}`;
        const n = 2_500;
        const rows = Array.from({ length: n }, (_, i) =>
          candle(sym, T0 + i * 60_000, 100 + (i % 100) * 0.01),
        );
        expect(await r().candles.upsertMany(rows)).toBe(n);
        expect(await r().candles.stats(sym, '1m')).toEqual({
          count: n,
          firstTs: T0,
          lastTs: T0 + (n - 1) * 60_000,
        });
        const got = await r().candles.range(sym, '1m', T0 + 60_000, T0 + 4 * 60_000);
        expect(got).toEqual([rows[1], rows[2], rows[3]]);
        expect(await r().candles.range(sym, '1m', T0, T0 + n * 60_000, 5)).toEqual(
          rows.slice(0, 5),
        );
        expect(await r().candles.latest(sym, '1m')).toEqual(rows[n - 1]);
        expect(await r().candles.range(sym, '5m', T0, T0 + n * 60_000)).toEqual([]);
      });

      it('overwrites an existing candle, last duplicate in a batch wins, keeps values exact', async () => {
        const sym = `S${tag().toUpperCase()}`;
        const exact: Candle = {
          symbol: sym,
          timeframe: '1d',
          ts: T0,
          open: 0.1,
          high: 123456789.123456,
          low: 0.000001,
          close: 99.99,
          volume: 123456789012.125,
        };
        expect(await r().candles.upsertMany([exact, candle(sym, T0 + 1, 5, '1d')])).toBe(2);
        expect(await r().candles.range(sym, '1d', T0, T0 + 1)).toEqual([exact]);
        const updated = { ...exact, close: 100.5, high: 200 };
        const last = { ...exact, close: 101.5, high: 300 };
        expect(await r().candles.upsertMany([updated, last])).toBe(1);
        expect(await r().candles.latest(sym, '1d')).toEqual(candle(sym, T0 + 1, 5, '1d'));
        expect((await r().candles.range(sym, '1d', T0, T0 + 1))[0]).toEqual(last);
        expect(await r().candles.stats(sym, '1d')).toEqual({
          count: 2,
          firstTs: T0,
          lastTs: T0 + 1,
        });
        expect(await r().candles.upsertMany([])).toBe(0);
      });

      it('returns empty stats and null latest for an unknown series', async () => {
        expect(await r().candles.stats('NOPE', '1m')).toEqual({
          count: 0,
          firstTs: null,
          lastTs: null,
        });
        expect(await r().candles.latest('NOPE', '1m')).toBeNull();
      });
    });

    describe('backtest runs', () => {
      it('saves, finishes with JSON metrics and lists newest first', async () => {
        const t = tag();
        const strat = `strat-${t}`;
        await r().backtestRuns.save({
          id: `${t}-1`,
          sessionId: null,
          strategy: strat,
          params: { fast: 10, slow: 30 },
          status: 'running',
          startedAt: T0,
          finishedAt: null,
          metrics: null,
        });
        await r().backtestRuns.save({
          id: `${t}-2`,
          sessionId: `sess-${t}`,
          strategy: strat,
          params: [1, 2],
          status: 'running',
          startedAt: T0 + 5,
          finishedAt: null,
          metrics: null,
        });
        const metrics = {
          sharpe: 1.25,
          maxDrawdown: '0.1',
          pnl: '123456789012.123456789',
          trades: 42,
          perMonth: [{ m: '2024-01', r: -0.5 }],
          flags: { ok: true, note: null },
        };
        const done = await r().backtestRuns.finish(`${t}-1`, 'completed', metrics, T0 + 1000);
        expect(done).toEqual({
          id: `${t}-1`,
          sessionId: null,
          strategy: strat,
          params: { fast: 10, slow: 30 },
          status: 'completed',
          startedAt: T0,
          finishedAt: T0 + 1000,
          metrics,
        });
        expect(await r().backtestRuns.get(`${t}-1`)).toEqual(done);
        expect((await r().backtestRuns.get(`${t}-2`))!.params).toEqual([1, 2]);
        expect(await r().backtestRuns.get(`${t}-x`)).toBeNull();
        await expect(r().backtestRuns.finish(`${t}-x`, 'failed', null, T0)).rejects.toBeInstanceOf(
          PersistenceError,
        );
        expect((await r().backtestRuns.list({ strategy: strat })).map((x) => x.id)).toEqual([
          `${t}-2`,
          `${t}-1`,
        ]);
        expect(
          (await r().backtestRuns.list({ strategy: strat, status: 'completed' })).map((x) => x.id),
        ).toEqual([`${t}-1`]);
        expect(await r().backtestRuns.list({ strategy: strat, limit: 1 })).toHaveLength(1);
        expect((await r().backtestRuns.list()).length).toBeGreaterThanOrEqual(2);
      });
    });
  });
}

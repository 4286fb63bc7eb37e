/**
 * In-memory implementation of the SQL history ports: the reference behaviour the contract
 * suite pins down, and a fake for other libs' tests. Not durable.
 */
import { PersistenceError, type ClientOrderId, type InstrumentId } from '@trading/domain';
import type {
  BacktestRunQuery,
  BacktestRunRecord,
  BacktestRunRepository,
  BacktestRunStatus,
} from './backtest-run-repository.port';
import type { Candle, CandleStats, CandleStore } from './candle-store.port';
import type { EpochMs, JsonObject, Paging, TimeRange } from './common';
import type { FillQuery, FillRecord, FillRepository } from './fill-repository.port';
import type {
  OrderEventRecord,
  OrderEventRepository,
  OrderQuery,
  OrderRecord,
  OrderRepository,
} from './order-repository.port';
import type {
  PositionSnapshotRecord,
  PositionSnapshotRepository,
} from './position-snapshot-repository.port';
import type { HistoryRepositories } from './repositories';
import type {
  SessionQuery,
  SessionRecord,
  SessionRepository,
  SessionStatus,
} from './session-repository.port';

const inRange = (ts: EpochMs, r?: TimeRange): boolean =>
  (r?.from === undefined || ts >= r.from) && (r?.to === undefined || ts < r.to);
const page = <T>(rows: T[], p?: Paging): T[] =>
  rows.slice(p?.offset ?? 0, p?.limit === undefined ? undefined : (p.offset ?? 0) + p.limit);
const clone = <T>(v: T): T =>
  v === null || v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);

/** In-memory {@link OrderRepository}. */
export class InMemoryOrderRepository implements OrderRepository {
  private readonly rows = new Map<string, OrderRecord>();
  async upsert(orders: readonly OrderRecord[]): Promise<void> {
    for (const o of orders) {
      const cur = this.rows.get(o.clientOrderId);
      if (cur && cur.walSeq !== null && o.walSeq !== null && o.walSeq <= cur.walSeq) continue;
      this.rows.set(o.clientOrderId, { ...o });
    }
  }
  async get(id: ClientOrderId): Promise<OrderRecord | null> {
    return this.rows.get(id) ?? null;
  }
  async list(q: OrderQuery = {}): Promise<OrderRecord[]> {
    const rows = [...this.rows.values()]
      .filter(
        (o) =>
          (q.sessionId === undefined || o.sessionId === q.sessionId) &&
          (q.strategyId === undefined || o.strategyId === q.strategyId) &&
          (q.instrumentId === undefined || o.instrumentId === q.instrumentId) &&
          (q.status === undefined || o.status === q.status) &&
          inRange(o.createdAt, q.range),
      )
      .sort((a, b) => a.createdAt - b.createdAt || (a.clientOrderId < b.clientOrderId ? -1 : 1));
    return page(rows, q);
  }
}

/** In-memory {@link OrderEventRepository}. */
export class InMemoryOrderEventRepository implements OrderEventRepository {
  private readonly rows = new Map<number, OrderEventRecord>();
  async append(events: readonly OrderEventRecord[]): Promise<number> {
    let n = 0;
    for (const e of events) {
      if (this.rows.has(e.walSeq)) continue;
      this.rows.set(e.walSeq, { ...e, payload: clone(e.payload) });
      n++;
    }
    return n;
  }
  private sorted(): OrderEventRecord[] {
    return [...this.rows.values()].sort((a, b) => a.walSeq - b.walSeq);
  }
  async listByOrder(id: ClientOrderId): Promise<OrderEventRecord[]> {
    return this.sorted().filter((e) => e.clientOrderId === id);
  }
  async list(range?: TimeRange, paging?: Paging): Promise<OrderEventRecord[]> {
    return page(
      this.sorted().filter((e) => inRange(e.ts, range)),
      paging,
    );
  }
}

/** In-memory {@link FillRepository}. */
export class InMemoryFillRepository implements FillRepository {
  private readonly rows: FillRecord[] = [];
  async append(fills: readonly FillRecord[]): Promise<number> {
    let n = 0;
    for (const f of fills) {
      if (this.rows.some((r) => r.walSeq === f.walSeq || r.tradeId === f.tradeId)) continue;
      this.rows.push({ ...f });
      n++;
    }
    return n;
  }
  private sorted(): FillRecord[] {
    return [...this.rows].sort((a, b) => a.ts - b.ts || a.walSeq - b.walSeq);
  }
  async listByOrder(id: ClientOrderId): Promise<FillRecord[]> {
    return this.sorted().filter((f) => f.clientOrderId === id);
  }
  async list(q: FillQuery = {}): Promise<FillRecord[]> {
    return page(
      this.sorted().filter(
        (f) =>
          (q.sessionId === undefined || f.sessionId === q.sessionId) &&
          (q.instrumentId === undefined || f.instrumentId === q.instrumentId) &&
          inRange(f.ts, q.range),
      ),
      q,
    );
  }
}

/** In-memory {@link PositionSnapshotRepository}. */
export class InMemoryPositionSnapshotRepository implements PositionSnapshotRepository {
  private readonly rows = new Map<number, PositionSnapshotRecord>();
  async append(snapshots: readonly PositionSnapshotRecord[]): Promise<number> {
    let n = 0;
    for (const s of snapshots) {
      if (this.rows.has(s.walSeq)) continue;
      this.rows.set(s.walSeq, { ...s });
      n++;
    }
    return n;
  }
  private sorted(): PositionSnapshotRecord[] {
    return [...this.rows.values()].sort((a, b) => a.ts - b.ts || a.walSeq - b.walSeq);
  }
  async latest(
    instrumentId: InstrumentId,
    sessionId?: string,
  ): Promise<PositionSnapshotRecord | null> {
    const rows = this.sorted().filter(
      (s) =>
        s.instrumentId === instrumentId && (sessionId === undefined || s.sessionId === sessionId),
    );
    return rows[rows.length - 1] ?? null;
  }
  async latestAll(sessionId?: string): Promise<PositionSnapshotRecord[]> {
    const last = new Map<string, PositionSnapshotRecord>();
    for (const s of this.sorted())
      if (sessionId === undefined || s.sessionId === sessionId) last.set(s.instrumentId, s);
    return [...last.values()].sort((a, b) =>
      a.instrumentId < b.instrumentId ? -1 : a.instrumentId > b.instrumentId ? 1 : 0,
    );
  }
  async history(instrumentId: InstrumentId, range?: TimeRange): Promise<PositionSnapshotRecord[]> {
    return this.sorted().filter((s) => s.instrumentId === instrumentId && inRange(s.ts, range));
  }
}

/** In-memory {@link SessionRepository}. */
export class InMemorySessionRepository implements SessionRepository {
  private readonly rows = new Map<string, SessionRecord>();
  async save(s: SessionRecord): Promise<void> {
    this.rows.set(s.id, { ...s, meta: clone(s.meta) });
  }
  async get(id: string): Promise<SessionRecord | null> {
    return this.rows.get(id) ?? null;
  }
  async updateStatus(id: string, status: SessionStatus, ts: EpochMs): Promise<SessionRecord> {
    const cur = this.rows.get(id);
    if (!cur) throw new PersistenceError(`session ${id} does not exist`, { sessionId: id });
    const next: SessionRecord = {
      ...cur,
      status,
      startedAt: status === 'running' && cur.startedAt === null ? ts : cur.startedAt,
      stoppedAt: status === 'stopped' || status === 'failed' ? ts : cur.stoppedAt,
    };
    this.rows.set(id, next);
    return next;
  }
  async list(q: SessionQuery = {}): Promise<SessionRecord[]> {
    const rows = [...this.rows.values()]
      .filter(
        (s) =>
          (q.mode === undefined || s.mode === q.mode) &&
          (q.status === undefined || s.status === q.status),
      )
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
    return q.limit === undefined ? rows : rows.slice(0, q.limit);
  }
}

/** In-memory {@link CandleStore}. */
export class InMemoryCandleStore implements CandleStore {
  private readonly series = new Map<string, Map<number, Candle>>();
  private key(symbol: string, timeframe: string): string {
    return `${symbol}\u0000${timeframe}`;
  }
  async upsertMany(candles: readonly Candle[]): Promise<number> {
    const seen = new Set<string>();
    for (const c of candles) {
      const k = this.key(c.symbol, c.timeframe);
      let s = this.series.get(k);
      if (!s) this.series.set(k, (s = new Map()));
      s.set(c.ts, { ...c });
      seen.add(`${k}\u0000${c.ts}`);
    }
    return seen.size;
  }
  private sorted(symbol: string, timeframe: string): Candle[] {
    return [...(this.series.get(this.key(symbol, timeframe))?.values() ?? [])].sort(
      (a, b) => a.ts - b.ts,
    );
  }
  async range(
    symbol: string,
    timeframe: string,
    from: EpochMs,
    to: EpochMs,
    limit?: number,
  ): Promise<Candle[]> {
    const rows = this.sorted(symbol, timeframe).filter((c) => c.ts >= from && c.ts < to);
    return limit === undefined ? rows : rows.slice(0, limit);
  }
  async latest(symbol: string, timeframe: string): Promise<Candle | null> {
    const rows = this.sorted(symbol, timeframe);
    return rows[rows.length - 1] ?? null;
  }
  async stats(symbol: string, timeframe: string): Promise<CandleStats> {
    const rows = this.sorted(symbol, timeframe);
    return {
      count: rows.length,
      firstTs: rows[0]?.ts ?? null,
      lastTs: rows[rows.length - 1]?.ts ?? null,
    };
  }
}

/** In-memory {@link BacktestRunRepository}. */
export class InMemoryBacktestRunRepository implements BacktestRunRepository {
  private readonly rows = new Map<string, BacktestRunRecord>();
  async save(run: BacktestRunRecord): Promise<void> {
    this.rows.set(run.id, { ...run, params: clone(run.params), metrics: clone(run.metrics) });
  }
  async get(id: string): Promise<BacktestRunRecord | null> {
    return this.rows.get(id) ?? null;
  }
  async finish(
    id: string,
    status: Exclude<BacktestRunStatus, 'running'>,
    metrics: JsonObject | null,
    finishedAt: EpochMs,
  ): Promise<BacktestRunRecord> {
    const cur = this.rows.get(id);
    if (!cur) throw new PersistenceError(`backtest run ${id} does not exist`, { runId: id });
    const next: BacktestRunRecord = { ...cur, status, metrics: clone(metrics), finishedAt };
    this.rows.set(id, next);
    return next;
  }
  async list(q: BacktestRunQuery = {}): Promise<BacktestRunRecord[]> {
    const rows = [...this.rows.values()]
      .filter(
        (r) =>
          (q.strategy === undefined || r.strategy === q.strategy) &&
          (q.status === undefined || r.status === q.status),
      )
      .sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? -1 : 1));
    return q.limit === undefined ? rows : rows.slice(0, q.limit);
  }
}

/** A fresh set of in-memory repositories. */
export function createInMemoryRepositories(): HistoryRepositories {
  return {
    orders: new InMemoryOrderRepository(),
    orderEvents: new InMemoryOrderEventRepository(),
    fills: new InMemoryFillRepository(),
    positions: new InMemoryPositionSnapshotRepository(),
    sessions: new InMemorySessionRepository(),
    candles: new InMemoryCandleStore(),
    backtestRuns: new InMemoryBacktestRunRepository(),
  };
}

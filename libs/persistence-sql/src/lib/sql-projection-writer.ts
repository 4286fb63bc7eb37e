/**
 * SqlProjectionWriter: projects the kernel's WAL records into the SQL history asynchronously.
 *
 * Records (see projection-mapping.ts): `order` (an `encodeOrderEvent` payload) → `order_events`
 * (every event), `orders` (latest state per client order id, folded with the order state machine
 * by {@link OrderProjection}) and `fills` (every `OrderFilled`); `denial` → `order_events` (type
 * `OrderDenied`); `position.snapshot` → `position_snapshots`; `risk`, `strategy-state`,
 * `operator` and unknown types are ignored (they stay in the WAL).
 *
 * Guarantees
 * - `enqueue` is synchronous and O(1) (ring buffer push + at most one timer); it never awaits
 *   the database, so a slow or unreachable database never stalls the engine.
 * - Idempotent: every projected row carries its `wal_seq` (primary key / unique) and inserts use
 *   `ON CONFLICT DO NOTHING`; order state upserts only move forward in `wal_seq`. Replaying
 *   records after a crash never duplicates rows.
 * - In order and at least once: batches are written in enqueue order; a failed batch is retried
 *   (exponential backoff) until it succeeds, then the checkpoint (`projection_checkpoints`) is
 *   raised to the batch's highest seq. `lastWrittenSeq()` reads that checkpoint: every record
 *   ≤ it is in SQL, so replay after a restart starts at `lastWrittenSeq() + 1`.
 * - Overflow policy (bounded queue, `maxQueue`): when full, `enqueue` drops the NEW record and
 *   returns false (the engine keeps running; SQL history is derived data and the WAL is the
 *   source of truth). The checkpoint then never advances past `firstDroppedSeq - 1`, so the
 *   next replay from `lastWrittenSeq() + 1` re-projects the gap.
 * - Records whose payload cannot be mapped are reported through `onError`, counted as
 *   `ignored`, and not retried (a poison record must not block the queue).
 */
import { StateError } from '@trading/domain';
import type {
  OrderEventRecord,
  ProjectionRecord,
  ProjectionWriter,
  ProjectionWriterStats,
} from '@trading/persistence';
import type { DataSource } from 'typeorm';
import { OrderProjection } from './order-projection';
import { mapProjectionBatch, type ProjectionRows } from './projection-mapping';
import { queryRows } from './repositories/sql';
import { TypeormFillRepository } from './repositories/typeorm-fill.repository';
import {
  TypeormOrderEventRepository,
  TypeormOrderRepository,
} from './repositories/typeorm-order.repository';
import { TypeormPositionSnapshotRepository } from './repositories/typeorm-position-snapshot.repository';
import { bigintToNumber } from './transformers';

/** Where projected rows and the checkpoint go (the SQL tables, or a test double). */
export interface ProjectionTarget {
  /** Writes rows idempotently. */
  write(rows: ProjectionRows): Promise<void>;
  /** Highest fully projected seq (0 when none). */
  readCheckpoint(): Promise<number>;
  /** Raises the checkpoint to `seq` (never lowers it). */
  writeCheckpoint(seq: number): Promise<void>;
  /**
   * Stored `order_events` rows of these orders and, transitively, of the orders they replaced
   * (`OrderReplaced` with a `newClientOrderId`), to rebuild order state after a restart.
   */
  loadOrderHistory(clientOrderIds: readonly string[]): Promise<OrderEventRecord[]>;
}

/** {@link ProjectionTarget} over the SQL history tables of a data source. */
export class TypeormProjectionTarget implements ProjectionTarget {
  private readonly orders: TypeormOrderRepository;
  private readonly orderEvents: TypeormOrderEventRepository;
  private readonly fills: TypeormFillRepository;
  private readonly positions: TypeormPositionSnapshotRepository;
  constructor(
    private readonly ds: DataSource,
    /** Checkpoint name (one per writer). */
    readonly name = 'default',
  ) {
    this.orders = new TypeormOrderRepository(ds);
    this.orderEvents = new TypeormOrderEventRepository(ds);
    this.fills = new TypeormFillRepository(ds);
    this.positions = new TypeormPositionSnapshotRepository(ds);
  }
  async write(rows: ProjectionRows): Promise<void> {
    // Sequential on purpose: PGlite has one session, and order does not matter (idempotent rows).
    if (rows.orderEvents.length) await this.orderEvents.append(rows.orderEvents);
    if (rows.fills.length) await this.fills.append(rows.fills);
    if (rows.positions.length) await this.positions.append(rows.positions);
    if (rows.orders.length) await this.orders.upsert(rows.orders);
  }
  async readCheckpoint(): Promise<number> {
    const rows = await queryRows<{ last_seq: string | number }>(
      this.ds,
      `SELECT "last_seq" FROM "projection_checkpoints" WHERE "name" = $1`,
      [this.name],
    );
    return rows.length ? bigintToNumber(rows[0].last_seq, 'projection_checkpoints.last_seq') : 0;
  }
  async loadOrderHistory(clientOrderIds: readonly string[]): Promise<OrderEventRecord[]> {
    const out: OrderEventRecord[] = [];
    const have = new Set<number>();
    const seen = new Set<string>();
    let ids = [...new Set(clientOrderIds)];
    while (ids.length > 0) {
      for (const id of ids) seen.add(id);
      const rows = await queryRows<{
        wal_seq: string | number;
        client_order_id: string;
        type: string;
        ts: string | number;
        payload: OrderEventRecord['payload'];
      }>(
        this.ds,
        `SELECT "wal_seq", "client_order_id", "type", "ts", "payload" FROM "order_events"
         WHERE "client_order_id" = ANY($1::varchar[]) OR ("type" = 'OrderReplaced' AND "payload"->>'newClientOrderId' = ANY($1::varchar[]))
         ORDER BY "wal_seq"`,
        [ids],
      );
      const next = new Set<string>();
      for (const r of rows) {
        const walSeq = bigintToNumber(r.wal_seq, 'order_events.wal_seq');
        if (!have.has(walSeq)) {
          have.add(walSeq);
          out.push({
            walSeq,
            clientOrderId: r.client_order_id as OrderEventRecord['clientOrderId'],
            type: r.type,
            ts: bigintToNumber(r.ts, 'order_events.ts'),
            payload: r.payload,
          });
        }
        if (!seen.has(r.client_order_id)) next.add(r.client_order_id);
      }
      ids = [...next];
    }
    return out;
  }
  async writeCheckpoint(seq: number): Promise<void> {
    await queryRows(
      this.ds,
      `INSERT INTO "projection_checkpoints" ("name", "last_seq") VALUES ($1, $2::bigint)
       ON CONFLICT ("name") DO UPDATE SET "last_seq" = GREATEST("projection_checkpoints"."last_seq", EXCLUDED."last_seq")`,
      [this.name, seq],
    );
  }
}

/** Options of {@link SqlProjectionWriter}. */
export interface SqlProjectionWriterOptions {
  /** Queue bound; when full, new records are dropped (default 100,000). */
  readonly maxQueue?: number;
  /** Records per batch (default 1,000). */
  readonly batchSize?: number;
  /** Delay before flushing a partial batch, ms (default 20). */
  readonly flushIntervalMs?: number;
  /** First retry delay after a failed flush, ms; doubles up to `maxRetryDelayMs` (default 100). */
  readonly retryDelayMs?: number;
  /** Retry delay cap, ms (default 5,000). */
  readonly maxRetryDelayMs?: number;
  /**
   * Called on every failed flush attempt, every unmappable record and every order event that does
   * not fit the order's projected state (that event is still stored in `order_events`).
   */
  readonly onError?: (error: Error, context: { seq?: number; attempt?: number }) => void;
  /** Stamped on projected `orders` and `fills` rows (default null). */
  readonly sessionId?: string;
  /** Orders whose state is kept in memory for the `orders` projection (default 100,000; others are re-read from `order_events`). */
  readonly maxCachedOrders?: number;
}

/** See the module comment for the guarantees. */
export class SqlProjectionWriter implements ProjectionWriter {
  private buf: (ProjectionRecord | undefined)[];
  private head = 0;
  private size = 0;
  private accepted = 0;
  private completed = 0;
  private written = 0;
  private dropped = 0;
  private ignored = 0;
  private failures = 0;
  private firstDroppedSeq: number | null = null;
  private highestSeq = 0;
  private checkpoint = 0;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private closed = false;
  private readonly waiters: { target: number; resolve: () => void }[] = [];
  private readonly maxQueue: number;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly orders: OrderProjection;

  constructor(
    private readonly target: ProjectionTarget,
    private readonly opts: SqlProjectionWriterOptions = {},
  ) {
    this.maxQueue = Math.max(1, opts.maxQueue ?? 100_000);
    this.batchSize = Math.max(1, opts.batchSize ?? 1_000);
    this.flushIntervalMs = Math.max(0, opts.flushIntervalMs ?? 20);
    this.retryDelayMs = Math.max(1, opts.retryDelayMs ?? 100);
    this.maxRetryDelayMs = Math.max(this.retryDelayMs, opts.maxRetryDelayMs ?? 5_000);
    this.buf = new Array(this.maxQueue);
    this.orders = new OrderProjection(
      Math.max(1, opts.maxCachedOrders ?? 100_000),
      opts.sessionId ?? null,
    );
  }

  /** A writer over the SQL tables of `ds` (checkpoint name `name`). */
  static forDataSource(
    ds: DataSource,
    opts: SqlProjectionWriterOptions & { name?: string } = {},
  ): SqlProjectionWriter {
    return new SqlProjectionWriter(new TypeormProjectionTarget(ds, opts.name), opts);
  }

  enqueue(record: ProjectionRecord): boolean {
    if (this.closed) throw new StateError('SqlProjectionWriter is closed', { seq: record.seq });
    if (this.size >= this.maxQueue) {
      this.dropped++;
      if (this.firstDroppedSeq === null || record.seq < this.firstDroppedSeq)
        this.firstDroppedSeq = record.seq;
      return false;
    }
    this.buf[(this.head + this.size) % this.maxQueue] = record;
    this.size++;
    this.accepted++;
    this.schedule(this.size >= this.batchSize ? 0 : this.flushIntervalMs);
    return true;
  }

  flush(): Promise<void> {
    if (this.completed >= this.accepted) return Promise.resolve();
    const p = new Promise<void>((resolve) => this.waiters.push({ target: this.accepted, resolve }));
    this.schedule(0);
    return p;
  }

  async lastWrittenSeq(): Promise<number> {
    return this.target.readCheckpoint();
  }

  stats(): ProjectionWriterStats {
    return {
      queued: this.size,
      written: this.written,
      dropped: this.dropped,
      ignored: this.ignored,
      failures: this.failures,
      firstDroppedSeq: this.firstDroppedSeq,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    if (this.draining) return;
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.draining = this.drain().finally(() => {
        this.draining = null;
        if (this.size > 0) this.schedule(this.size >= this.batchSize ? 0 : this.flushIntervalMs);
      });
    }, delayMs);
  }

  private takeBatch(): ProjectionRecord[] {
    const n = Math.min(this.batchSize, this.size);
    const out = new Array<ProjectionRecord>(n);
    for (let i = 0; i < n; i++)
      out[i] = this.buf[(this.head + i) % this.maxQueue] as ProjectionRecord;
    return out;
  }

  private release(n: number): void {
    for (let i = 0; i < n; i++) this.buf[(this.head + i) % this.maxQueue] = undefined;
    this.head = (this.head + n) % this.maxQueue;
    this.size -= n;
    this.completed += n;
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.completed >= this.waiters[i].target) this.waiters.splice(i, 1)[0].resolve();
    }
  }

  private async drain(): Promise<void> {
    let attempt = 0;
    while (this.size > 0) {
      const batch = this.takeBatch();
      const mapped = mapProjectionBatch(batch);
      let anomalies: { seq: number; error: Error }[];
      try {
        const events = mapped.orderEvents;
        const missing = this.orders.missing(events);
        const seeded =
          missing.length > 0
            ? this.orders.seed(
                await this.target.loadOrderHistory(missing),
                Math.min(...events.map((e) => e.seq)),
              )
            : undefined;
        const rows: ProjectionRows = { ...mapped.rows, orders: [], fills: [] };
        const staged = this.orders.project(events, rows, seeded);
        await this.target.write(rows);
        let max = this.highestSeq;
        for (const r of batch) if (r.seq > max) max = r.seq;
        const cp = this.firstDroppedSeq === null ? max : Math.min(max, this.firstDroppedSeq - 1);
        if (cp > this.checkpoint) await this.target.writeCheckpoint(cp);
        this.highestSeq = max;
        this.checkpoint = Math.max(this.checkpoint, cp);
        this.orders.commit(staged);
        anomalies = staged.anomalies;
      } catch (e) {
        this.failures++;
        attempt++;
        this.opts.onError?.(e as Error, { attempt });
        await new Promise((r) =>
          setTimeout(r, Math.min(this.maxRetryDelayMs, this.retryDelayMs * 2 ** (attempt - 1))),
        );
        continue;
      }
      attempt = 0;
      for (const bad of [...mapped.invalid, ...anomalies])
        this.opts.onError?.(bad.error, { seq: bad.seq });
      this.ignored += mapped.ignored + mapped.invalid.length;
      this.written += batch.length - mapped.ignored - mapped.invalid.length;
      this.release(batch.length);
    }
  }
}

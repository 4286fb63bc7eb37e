import type { JsonValue } from './common';

/** A WAL record as the projection writer receives it. */
export interface ProjectionRecord {
  /** WAL sequence number (strictly increasing, the idempotency key). */
  readonly seq: number;
  /** Record type, e.g. `order.event`, `order.state`, `fill`, `position.snapshot`. */
  readonly type: string;
  readonly payload: JsonValue;
}

/** Counters of a projection writer. */
export interface ProjectionWriterStats {
  /** Records waiting in memory. */
  readonly queued: number;
  /** Records written (or found already written) since start. */
  readonly written: number;
  /** Records rejected because the queue was full. */
  readonly dropped: number;
  /** Records whose type has no projection (skipped, still acknowledged). */
  readonly ignored: number;
  /** Failed flush attempts (each is retried). */
  readonly failures: number;
  /** Lowest sequence number dropped since start, or null. */
  readonly firstDroppedSeq: number | null;
}

/**
 * Asynchronous, idempotent writer of WAL records into SQL history tables. `enqueue` never
 * waits for the database; a background loop flushes batches.
 */
export interface ProjectionWriter {
  /** Queues a record (synchronous, O(1)). Returns false when the queue is full and the record was dropped. */
  enqueue(record: ProjectionRecord): boolean;
  /** Resolves when every record queued before the call is written. */
  flush(): Promise<void>;
  /** Highest sequence number up to which every record is durably projected (0 when none). */
  lastWrittenSeq(): Promise<number>;
  /** Counters. */
  stats(): ProjectionWriterStats;
  /** Flushes what is queued and stops the background loop. */
  close(): Promise<void>;
}

import type { InstrumentId } from '@trading/domain';
import type { DecimalValue, EpochMs, TimeRange } from './common';

/** A position at a point in time. */
export interface PositionSnapshotRecord {
  /** WAL sequence number: unique, the idempotency key. */
  readonly walSeq: number;
  readonly sessionId: string | null;
  readonly instrumentId: InstrumentId;
  /** Signed quantity: long > 0, short < 0, flat = 0. */
  readonly quantity: DecimalValue;
  readonly avgPrice: DecimalValue;
  readonly realizedPnl: DecimalValue;
  readonly currency: string;
  readonly ts: EpochMs;
}

/** Position snapshot history. */
export interface PositionSnapshotRepository {
  /** Appends snapshots; existing `walSeq`s are skipped. Resolves to the number inserted. */
  append(snapshots: readonly PositionSnapshotRecord[]): Promise<number>;
  /** The newest snapshot (highest `ts`, then `walSeq`) of one instrument, optionally within a session. */
  latest(instrumentId: InstrumentId, sessionId?: string): Promise<PositionSnapshotRecord | null>;
  /** The newest snapshot of every instrument (optionally within a session), ordered by instrument id. */
  latestAll(sessionId?: string): Promise<PositionSnapshotRecord[]>;
  /** Snapshots of one instrument with `ts` in `range`, oldest first. */
  history(instrumentId: InstrumentId, range?: TimeRange): Promise<PositionSnapshotRecord[]>;
}

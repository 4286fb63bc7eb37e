import type { EpochMs, JsonValue } from './common';

/** Whether an engine session trades live (or paper) or replays history. */
export type SessionMode = 'live' | 'backtest';

/** Lifecycle status of an engine session. */
export type SessionStatus = 'created' | 'running' | 'paused' | 'stopped' | 'failed';

/** One engine session. */
export interface SessionRecord {
  readonly id: string;
  readonly mode: SessionMode;
  readonly status: SessionStatus;
  readonly createdAt: EpochMs;
  readonly startedAt: EpochMs | null;
  readonly stoppedAt: EpochMs | null;
  /** Free-form JSON (config digest, strategy ids, host, ...). */
  readonly meta: JsonValue;
}

/** Filter for {@link SessionRepository.list}. */
export interface SessionQuery {
  readonly mode?: SessionMode;
  readonly status?: SessionStatus;
  readonly limit?: number;
}

/** Engine session history. */
export interface SessionRepository {
  /** Inserts or replaces a session by id. */
  save(session: SessionRecord): Promise<void>;
  /** The session with this id, or null. */
  get(id: string): Promise<SessionRecord | null>;
  /**
   * Changes the status at `ts`: `running` sets `startedAt` (first time only), `stopped`/`failed`
   * set `stoppedAt`. Throws `PersistenceError` when the session does not exist.
   */
  updateStatus(id: string, status: SessionStatus, ts: EpochMs): Promise<SessionRecord>;
  /** Sessions matching the query, newest `createdAt` first. */
  list(query?: SessionQuery): Promise<SessionRecord[]>;
}

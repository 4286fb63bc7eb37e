import type { EpochMs, JsonObject, JsonValue } from './common';

/** Status of a backtest run. */
export type BacktestRunStatus = 'running' | 'completed' | 'failed';

/** One backtest run with its parameters and result metrics. */
export interface BacktestRunRecord {
  readonly id: string;
  /** The engine session the run used, when it has one. */
  readonly sessionId: string | null;
  readonly strategy: string;
  readonly params: JsonValue;
  readonly status: BacktestRunStatus;
  readonly startedAt: EpochMs;
  readonly finishedAt: EpochMs | null;
  /** Result metrics (Sharpe, drawdown, P&L as decimal strings, ...); null while running. */
  readonly metrics: JsonObject | null;
}

/** Filter for {@link BacktestRunRepository.list}. */
export interface BacktestRunQuery {
  readonly strategy?: string;
  readonly status?: BacktestRunStatus;
  readonly limit?: number;
}

/** Backtest run history. */
export interface BacktestRunRepository {
  /** Inserts or replaces a run by id. */
  save(run: BacktestRunRecord): Promise<void>;
  /** The run with this id, or null. */
  get(id: string): Promise<BacktestRunRecord | null>;
  /** Marks a run finished with its metrics. Throws `PersistenceError` when the run does not exist. */
  finish(
    id: string,
    status: Exclude<BacktestRunStatus, 'running'>,
    metrics: JsonObject | null,
    finishedAt: EpochMs,
  ): Promise<BacktestRunRecord>;
  /** Runs matching the query, newest `startedAt` first. */
  list(query?: BacktestRunQuery): Promise<BacktestRunRecord[]>;
}

import type { BacktestRunRepository } from './backtest-run-repository.port';
import type { CandleStore } from './candle-store.port';
import type { FillRepository } from './fill-repository.port';
import type { OrderEventRepository, OrderRepository } from './order-repository.port';
import type { PositionSnapshotRepository } from './position-snapshot-repository.port';
import type { SessionRepository } from './session-repository.port';

/** Every SQL history repository of one storage backend. */
export interface HistoryRepositories {
  readonly orders: OrderRepository;
  readonly orderEvents: OrderEventRepository;
  readonly fills: FillRepository;
  readonly positions: PositionSnapshotRepository;
  readonly sessions: SessionRepository;
  readonly candles: CandleStore;
  readonly backtestRuns: BacktestRunRepository;
}

import type { HistoryRepositories } from '@trading/persistence';
import type { DataSource } from 'typeorm';
import { TypeormBacktestRunRepository } from './typeorm-backtest-run.repository';
import { TypeormCandleStore, type CandleStoreOptions } from './typeorm-candle.store';
import { TypeormFillRepository } from './typeorm-fill.repository';
import { TypeormOrderEventRepository, TypeormOrderRepository } from './typeorm-order.repository';
import { TypeormPositionSnapshotRepository } from './typeorm-position-snapshot.repository';
import { TypeormSessionRepository } from './typeorm-session.repository';

export * from './typeorm-backtest-run.repository';
export * from './typeorm-candle.store';
export * from './typeorm-fill.repository';
export * from './typeorm-order.repository';
export * from './typeorm-position-snapshot.repository';
export * from './typeorm-session.repository';
export { queryRows } from './sql';

/** Every TypeORM repository over one (initialized, migrated) data source. */
export function createTypeormRepositories(
  ds: DataSource,
  opts: { candles?: CandleStoreOptions } = {},
): HistoryRepositories {
  return {
    orders: new TypeormOrderRepository(ds),
    orderEvents: new TypeormOrderEventRepository(ds),
    fills: new TypeormFillRepository(ds),
    positions: new TypeormPositionSnapshotRepository(ds),
    sessions: new TypeormSessionRepository(ds),
    candles: new TypeormCandleStore(ds, opts.candles),
    backtestRuns: new TypeormBacktestRunRepository(ds),
  };
}

/** SQL history repository ports (type-only) and their inversify tokens. */
export * from './common';
export * from './order-repository.port';
export * from './fill-repository.port';
export * from './position-snapshot-repository.port';
export * from './session-repository.port';
export * from './candle-store.port';
export * from './backtest-run-repository.port';
export * from './projection-writer.port';
export * from './repositories';
export * from './tokens';

/**
 * Public API of @trading/strategies: streaming indicators, the strategy SDK helpers (parameter
 * parsing, per-instrument state), example strategies with their registry, the in-memory
 * `RecordingContext` and the look-ahead bias checker.
 */
export * from './lib/indicators/index';
export * from './lib/json-state';
export * from './lib/sdk/params';
export * from './lib/sdk/per-instrument-strategy';
export * from './lib/strategies/sma-cross';
export * from './lib/strategies/dual-sma-cross';
export * from './lib/strategies/rsi-mean-reversion';
export * from './lib/strategies/liquidity-sweep';
export * from './lib/strategies/registry';
export * from './lib/recording-context';
export * from './lib/look-ahead';

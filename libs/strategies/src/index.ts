/**
 * Public API of @trading/strategies: streaming indicators, the strategy SDK helpers (parameter
 * parsing, per-instrument state), example strategies with their registry, the in-memory
 * `RecordingContext` and the look-ahead bias checker.
 */
export * from './lib/indicators/index';

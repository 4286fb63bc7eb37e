/** Backtest analytics: fills, equity curve, round-trip trades, performance metrics, canonical JSON. */
export * from './analytics.types';
export * from './round-trip-tracker';
export * from './equity-series';
export * from './metrics';
export * from './stable-json';

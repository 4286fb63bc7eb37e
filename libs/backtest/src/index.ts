/**
 * @trading/backtest: the backtest event loop over historical bars on the simulated clock and
 * simulated exchange (reusing the live kernel), analytics (metrics, round trips) and the
 * JSON + self-contained HTML report.
 */
export * from './lib/analytics';
export * from './lib/report';
export * from './lib/engine/backtest-runner';

/** Public API of @trading/backtest. */
export {};

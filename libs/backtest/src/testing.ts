/** Fakes and contract suites of @trading/backtest for other libs' tests. */
export {};

/** Fakes and contract suites of @trading/clock for other libs' tests. */
export {};

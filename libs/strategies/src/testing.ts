/** Fakes and contract suites of @trading/strategies for other libs' tests. */
export {};

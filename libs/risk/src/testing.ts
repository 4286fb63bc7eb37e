/** Fakes and contract suites of @trading/risk for other libs' tests. */
export {};

/** Fakes and contract suites of @trading/portfolio for other libs' tests. */
export {};

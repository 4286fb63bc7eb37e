/** Fakes and contract suites of @trading/engine for other libs' tests. */
export {};

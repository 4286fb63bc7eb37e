/** Fakes and contract suites of @trading/persistence for other libs' tests. */
export {};

/** Fakes and contract suites of @trading/persistence-file for other libs' tests. */
export {};

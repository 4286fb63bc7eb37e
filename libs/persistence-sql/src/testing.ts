/** Fakes and contract suites of @trading/persistence-sql for other libs' tests. */
export {};

/** Fakes and contract suites of @trading/data-providers-file for other libs' tests. */
export {};

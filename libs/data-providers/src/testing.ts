/** Fakes and contract suites of @trading/data-providers for other libs' tests. */
export {};

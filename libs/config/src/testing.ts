/** Fakes and contract suites of @trading/config for other libs' tests. */
export {};

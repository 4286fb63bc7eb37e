/** Fakes and contract suites of @trading/brokers for other libs' tests. */
export {};

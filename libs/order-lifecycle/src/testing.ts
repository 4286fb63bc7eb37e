/** Fakes and contract suites of @trading/order-lifecycle for other libs' tests. */
export {};

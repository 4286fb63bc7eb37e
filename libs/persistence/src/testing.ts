/** Fakes and contract suites of @trading/persistence. */
export * from './repositories/testing';

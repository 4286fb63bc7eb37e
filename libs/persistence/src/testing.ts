/** Fakes and contract suites of @trading/persistence. */
export * from './repositories/testing';
export { InMemoryStateStore, InMemorySnapshotStore } from './lib/in-memory-stores';

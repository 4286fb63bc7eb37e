/** Public API of @trading/persistence: WAL/snapshot/recovery core and repository ports. */
// Explicit export first: the merged token object (repository tokens + StateStore/SnapshotStore) wins
// over the repositories' star export of the same name (CommonJS star exports skip defined names).
export { PERSISTENCE_TOKENS, STATE_STORE_TOKENS } from './lib/tokens';
export * from './repositories';
export * from './lib/crc32c';
export type { WalJsonValue } from './lib/json';
export * from './lib/record-format';
export * from './lib/segment-format';
export * from './lib/snapshot-codec';
export * from './lib/wal-scan';
export * from './lib/state-store.port';
export * from './lib/snapshot-store.port';
export * from './lib/recovery-report';
export * from './lib/intent';

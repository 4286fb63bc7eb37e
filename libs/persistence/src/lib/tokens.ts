import { PERSISTENCE_TOKENS as REPOSITORY_TOKENS } from '../repositories';

/** inversify tokens of the WAL/snapshot ports (same symbols as in {@link PERSISTENCE_TOKENS}). */
export const STATE_STORE_TOKENS = {
  /** {@link StateStore} (the WAL). */
  StateStore: Symbol.for('trading.persistence.StateStore'),
  /** {@link SnapshotStore}. */
  SnapshotStore: Symbol.for('trading.persistence.SnapshotStore'),
} as const;

/** Every inversify token of @trading/persistence: the repository ports plus StateStore and SnapshotStore. */
export const PERSISTENCE_TOKENS = { ...REPOSITORY_TOKENS, ...STATE_STORE_TOKENS } as const;

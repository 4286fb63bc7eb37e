import type { PersistenceError } from '@trading/domain';
import type { WalJsonValue } from './json';

/**
 * When an append is acknowledged:
 * - `fsync`: each record is written and fdatasync'ed on its own before its promise resolves.
 * - `group`: records that arrive while a write/fsync is in flight are batched into the next write and
 *   fsync; every append in a batch resolves after that batch is durable (group commit).
 * - `none`: resolves after the write reaches the OS (no fsync). Tests and backtests only.
 */
export type DurabilityMode = 'fsync' | 'group' | 'none';

/** Health of a store. `failed` is terminal: the store never accepts another append (fail-stop). */
export type StateStoreHealth =
  | { readonly status: 'open' }
  | { readonly status: 'failed'; readonly error: PersistenceError }
  | { readonly status: 'closed' };

/**
 * Durable, ordered log of state changes (the WAL port). The engine appends every state change and
 * an order intent before calling the broker, and acts only on resolved appends.
 */
export interface StateStore {
  /** Durability mode of this store. */
  readonly durability: DurabilityMode;
  /**
   * Appends one record and resolves with its sequence number once it is durable per the mode.
   * Rejects with ValidationError for a bad type/payload (store stays open) and with
   * PersistenceError after a write/fsync failure, once failed, or once closed.
   */
  append(type: string, payload: Uint8Array | WalJsonValue): Promise<number>;
  /** Sequence of the last acknowledged (durable) record, 0 if none. */
  lastSequence(): number;
  /** Current health; `failed` after any write or fsync error. */
  health(): StateStoreHealth;
  /** Registers a listener called once when the store fails; returns an unsubscribe function. */
  onFailure(listener: (error: PersistenceError) => void): () => void;
  /** Drops log data wholly at or below `throughSequence` (after a snapshot); resolves with segments removed. */
  compact(throughSequence: number): Promise<number>;
  /** Waits for in-flight appends, then closes. Later appends reject. */
  close(): Promise<void>;
}

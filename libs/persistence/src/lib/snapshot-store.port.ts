import type { Snapshot } from './snapshot-codec';

/** A snapshot loaded by {@link SnapshotStore.loadLatest}, with the ones skipped as invalid. */
export interface LoadedSnapshot {
  /** The newest valid snapshot. */
  readonly snapshot: Snapshot;
  /** Where it came from (file name for file stores). */
  readonly source: string;
  /** Newer snapshots that failed validation and were skipped, with the reason. */
  readonly skipped: readonly { readonly source: string; readonly reason: string }[];
}

/** Listing entry of a stored snapshot. */
export interface SnapshotInfo {
  /** Where it is stored (file name for file stores). */
  readonly source: string;
  /** Its lastSequence (from the name; not validated). */
  readonly lastSequence: number;
}

/** Stores state snapshots atomically and keeps the last N as backups. */
export interface SnapshotStore {
  /** Saves a snapshot atomically (a crash leaves either the old set or the new one, never a torn file). */
  save(snapshot: Snapshot): Promise<void>;
  /** Loads the newest snapshot that passes validation (falling back to older ones), or null. */
  loadLatest(): Promise<LoadedSnapshot | null>;
  /** Lists stored snapshots, newest first. */
  list(): Promise<readonly SnapshotInfo[]>;
}

/** What recovery did: snapshot used, records replayed, tail cut. */
export interface RecoveryReport {
  /** Snapshot used (null: replayed from the beginning of the log). */
  readonly snapshot: { readonly source: string; readonly lastSequence: number } | null;
  /** Newer snapshots skipped because they failed validation. */
  readonly skippedSnapshots: readonly { readonly source: string; readonly reason: string }[];
  /** WAL segments found. */
  readonly segments: number;
  /** Records at or below the snapshot sequence (skipped, already in the snapshot). */
  readonly recordsSkipped: number;
  /** Records passed to `apply`. */
  readonly recordsReplayed: number;
  /** First and last replayed sequence (null when none). */
  readonly replayedRange: { readonly from: number; readonly to: number } | null;
  /** Last sequence of the log after recovery (next append gets this + 1). */
  readonly lastSequence: number;
  /** The torn tail that was cut, if any. */
  readonly tail: {
    readonly segment: string;
    readonly offset: number;
    readonly bytes: number;
    readonly reason: string;
    /** File the bad bytes were copied to before truncating. */
    readonly savedTo: string | null;
    /** True when the whole (torn, newest) segment was removed. */
    readonly segmentRemoved: boolean;
  } | null;
  /** Wall time spent (ms). */
  readonly durationMs: number;
}

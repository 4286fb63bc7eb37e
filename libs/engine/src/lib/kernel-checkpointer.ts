import type { Clock } from '@trading/clock';
import { MS, StateError, ValidationError } from '@trading/domain';
import type { SnapshotStore, WalJsonValue } from '@trading/persistence';
import type { StateStoreJournal } from './state-store-journal';
import type { TradingKernel } from './trading-kernel';

/** Default {@link CheckpointPolicy.everyRecords}: bounds a restart's replay to about half a second. */
export const DEFAULT_CHECKPOINT_EVERY_RECORDS = 50_000;
/** Default {@link CheckpointPolicy.everyMs}: five minutes of Clock time. */
export const DEFAULT_CHECKPOINT_EVERY_MS = 5 * MS.MINUTE;

/** When a {@link KernelCheckpointer} takes a checkpoint (whichever comes first). */
export interface CheckpointPolicy {
  /** After this many journal records since the last checkpoint (default 50,000). */
  readonly everyRecords?: number;
  /** After this much Clock time since the last checkpoint, if anything was journaled (default 5 min; 0 turns it off). */
  readonly everyMs?: number;
  /** Compact the WAL after each checkpoint, through the oldest snapshot the store still keeps (default true). */
  readonly compact?: boolean;
}

/** What one checkpoint did. */
export interface CheckpointResult {
  /** WAL sequence the saved snapshot includes. */
  readonly lastSequence: number;
  /** Journal records appended since the previous checkpoint. */
  readonly records: number;
  /** What the store's `compact` removed (WAL segments for the file WAL; 0 when compaction is off). */
  readonly compacted: number;
  /** Clock time the snapshot was taken (UTC epoch ms). */
  readonly takenAt: number;
}

/** What a {@link KernelCheckpointer} works on. */
export interface KernelCheckpointerDeps {
  readonly kernel: TradingKernel;
  /** The journal the kernel writes to (its store is compacted). */
  readonly journal: StateStoreJournal;
  readonly snapshots: SnapshotStore;
  readonly clock: Clock;
}

/**
 * Takes kernel checkpoints: a snapshot of the kernel's state with the WAL sequence it includes,
 * saved atomically, then compaction of the WAL segments no kept snapshot needs. The cadence bounds
 * how many records a restart replays (`restoreKernel` cost grows with them), and so the recovery
 * time. Call {@link maybeCheckpoint} from the engine loop (after a bar, a report batch or a timer);
 * the state and its sequence are taken together synchronously, so the snapshot never includes a
 * change whose record is not at or below its `lastSequence`.
 */
export class KernelCheckpointer {
  private readonly everyRecords: number;
  private readonly everyMs: number;
  private readonly compact: boolean;
  private recordsAtLast: number;
  private lastAt: number;
  private inFlight: Promise<CheckpointResult> | null = null;

  constructor(
    private readonly deps: KernelCheckpointerDeps,
    policy: CheckpointPolicy = {},
  ) {
    this.everyRecords = policy.everyRecords ?? DEFAULT_CHECKPOINT_EVERY_RECORDS;
    this.everyMs = policy.everyMs ?? DEFAULT_CHECKPOINT_EVERY_MS;
    this.compact = policy.compact ?? true;
    if (!Number.isSafeInteger(this.everyRecords) || this.everyRecords < 1)
      throw new ValidationError('checkpoint.everyRecords', policy.everyRecords, 'an integer ≥ 1');
    if (!Number.isSafeInteger(this.everyMs) || this.everyMs < 0)
      throw new ValidationError('checkpoint.everyMs', policy.everyMs, 'an integer ≥ 0 (ms)');
    this.recordsAtLast = deps.journal.appended;
    this.lastAt = deps.clock.now();
  }

  /** Whether the policy calls for a checkpoint now (records or time since the last one). */
  due(): boolean {
    const records = this.deps.journal.appended - this.recordsAtLast;
    if (records >= this.everyRecords) return true;
    return this.everyMs > 0 && records > 0 && this.deps.clock.now() - this.lastAt >= this.everyMs;
  }

  /**
   * Takes a checkpoint when one is {@link due}, none is in flight and the kernel is not
   * dispatching; resolves null otherwise (the next call tries again).
   */
  maybeCheckpoint(): Promise<CheckpointResult | null> {
    if (this.inFlight || this.deps.kernel.dispatching || !this.due()) return Promise.resolve(null);
    return this.checkpoint();
  }

  /**
   * Takes a checkpoint now (or joins the one in flight). Rejects with StateError inside a kernel
   * dispatch, and when the journal failed (nothing is saved) or the snapshot store fails; the WAL is
   * untouched then and the next call tries again.
   */
  checkpoint(): Promise<CheckpointResult> {
    if (this.inFlight) return this.inFlight;
    const { kernel, journal, clock } = this.deps;
    if (kernel.dispatching)
      return Promise.reject(
        new StateError(
          'a checkpoint cannot be taken while the kernel is dispatching; call it from the engine loop',
        ),
      );
    // Taken together, synchronously: the state includes exactly the records appended so far.
    const state = kernel.snapshot();
    const sequence = journal.settled();
    const appended = journal.appended;
    const takenAt = clock.now();
    const run = this.save(state as unknown as WalJsonValue, sequence, appended, takenAt);
    this.inFlight = run;
    const clear = () => {
      if (this.inFlight === run) this.inFlight = null;
    };
    run.then(clear, clear);
    return run;
  }

  private async save(
    state: WalJsonValue,
    sequence: Promise<number>,
    appended: number,
    takenAt: number,
  ): Promise<CheckpointResult> {
    const { journal, snapshots } = this.deps;
    const lastSequence = await sequence;
    await snapshots.save({ lastSequence, state, takenAt });
    const records = appended - this.recordsAtLast;
    this.recordsAtLast = appended;
    this.lastAt = takenAt;
    let compacted = 0;
    if (this.compact) {
      // Keep the log every kept snapshot needs, so a fallback to an older snapshot can still replay.
      const kept = await snapshots.list();
      const oldest = kept.length > 0 ? kept[kept.length - 1].lastSequence : 0;
      if (oldest > 0) compacted = await journal.store.compact(oldest);
    }
    return { lastSequence, records, compacted, takenAt };
  }
}

/** Recovery runner: newest valid snapshot + exactly-once replay of later WAL records + tail policy. */
import { performance } from 'node:perf_hooks';
import {
  replaySegment,
  type RecoveryReport,
  type SegmentHeader,
  type Snapshot,
  type SnapshotStore,
  type WalRecord,
} from '@trading/persistence';
import { FileWal, type FileWalOptions } from './file-wal';

/** Options of {@link recover}. */
export interface RecoverOptions {
  /** WAL directory. */
  readonly walDir: string;
  /** Snapshot store (omit to replay the whole log). */
  readonly snapshots?: SnapshotStore | null;
  /** Called once with the snapshot used, before any record is applied. */
  restore?(snapshot: Snapshot): void | Promise<void>;
  /** Called for every record after the snapshot, in sequence order, exactly once. */
  apply(record: WalRecord): void | Promise<void>;
  /**
   * Open the WAL for appending after recovery with these options (no second scan). Omit to only
   * recover (the log is still tail-cut).
   */
  readonly open?: Omit<FileWalOptions, 'dir'>;
  /** Options for reading when `open` is omitted (fs, maxRecordBytes). */
  readonly read?: Pick<FileWalOptions, 'fs' | 'maxRecordBytes'>;
}

/** Result of {@link recover}. */
export interface RecoveryResult {
  readonly report: RecoveryReport;
  /** Snapshot used (null: none). */
  readonly snapshot: Snapshot | null;
  /** The WAL opened for appends when `open` was given. */
  readonly wal: FileWal | null;
}

/**
 * Recovers state: loads the newest valid snapshot (falling back to older ones), scans the WAL,
 * cuts a torn tail (copied aside to `.torn`), throws CorruptionError (segment, offset, sequence) for
 * damage in the middle, then replays records with sequence > snapshot.lastSequence exactly once.
 */
export async function recover(opts: RecoverOptions): Promise<RecoveryResult> {
  const t0 = performance.now();
  const loaded = opts.snapshots ? await opts.snapshots.loadLatest() : null;
  const snapshot = loaded?.snapshot ?? null;
  const snapSeq = snapshot?.lastSequence ?? 0;
  const walOpts: FileWalOptions = { ...(opts.open ?? opts.read ?? {}), dir: opts.walDir };
  const state = await FileWal.prepare(walOpts, snapSeq);
  const { scanned, plan, tailCut } = state;

  if (snapshot && opts.restore) await opts.restore(snapshot);
  let replayed = 0;
  let skipped = 0;
  let first: number | null = null;
  for (const scan of scanned.analysis.segments) {
    if (scan.lastSequence <= snapSeq) {
      skipped += scan.records;
      continue;
    }
    const buf = scanned.buffers.get(scan.name) as Uint8Array;
    const firstInSeg = (scan.header as SegmentHeader).firstSequence;
    skipped += Math.max(0, Math.min(scan.lastSequence, snapSeq) - firstInSeg + 1);
    if (first === null) first = Math.max(firstInSeg, snapSeq + 1);
    replayed += await replaySegment(buf, scan, snapSeq, opts.apply);
  }
  const wal = opts.open ? await FileWal.fromScan(walOpts, state) : null;
  const report: RecoveryReport = {
    snapshot: loaded ? { source: loaded.source, lastSequence: snapSeq } : null,
    skippedSnapshots: loaded?.skipped ?? [],
    segments: scanned.scans.length,
    recordsSkipped: skipped,
    recordsReplayed: replayed,
    replayedRange:
      replayed > 0 && first !== null ? { from: first, to: first + replayed - 1 } : null,
    lastSequence: plan.lastSequence,
    tail: plan.tail
      ? {
          segment: plan.tail.segment,
          offset: plan.tail.offset,
          bytes: plan.tail.bytes,
          reason: plan.tail.reason,
          savedTo: tailCut?.savedTo ?? null,
          segmentRemoved: tailCut?.segmentRemoved ?? false,
        }
      : null,
    durationMs: performance.now() - t0,
  };
  return { report, snapshot, wal };
}

/**
 * File-backed WAL: append-only segments of CRC32C-checked records with fsync-per-record, group commit
 * or no-fsync durability, size-based rotation, compaction and fail-stop on any I/O error.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { PersistenceError, ValidationError } from '@trading/domain';
import {
  DEFAULT_MAX_RECORD_BYTES,
  MAX_RECORD_BYTES_LIMIT,
  SEGMENT_HEADER_BYTES,
  encodeRecordInto,
  encodeSegmentHeader,
  planRecovery,
  segmentFileName,
  type DurabilityMode,
  type RecoveryPlan,
  type SegmentHeader,
  type SegmentScan,
  type StateStore,
  type StateStoreHealth,
  type WalJsonValue,
} from '@trading/persistence';
import { cutSegment, scanWalDir, type ScannedWalDir, type TailCutResult } from './wal-dir';
import { NodeWalFs, writeFully, type WalFile, type WalFs } from './wal-fs';

/** Information passed to crash/test hooks about the batch being written. */
export interface WalBatchInfo {
  /** 1-based batch counter of this FileWal instance. */
  readonly batch: number;
  readonly segment: string;
  readonly position: number;
  readonly bytes: number;
  readonly firstSequence: number;
  readonly lastSequence: number;
}

/**
 * Hooks at each step of a batch (tests use them to SIGKILL a child process at a precise point; a
 * throwing hook is treated as an I/O failure). Mid-write crashes are injected through the fs.
 */
export interface WalHooks {
  beforeWrite?(info: WalBatchInfo): void | Promise<void>;
  afterWrite?(info: WalBatchInfo): void | Promise<void>;
  /** After the batch is durable, before any append promise of it resolves. */
  afterSync?(info: WalBatchInfo): void | Promise<void>;
}

/** Options of {@link FileWal.open}. */
export interface FileWalOptions {
  /** WAL directory (created if missing). */
  readonly dir: string;
  /** Durability mode (default `group`). */
  readonly durability?: DurabilityMode;
  /** Rotate to a new segment once the active one would exceed this size (default 64 MiB). */
  readonly maxSegmentBytes?: number;
  /** Largest record body (type + payload) accepted and read back (default 16 MiB). */
  readonly maxRecordBytes?: number;
  /** Largest group-commit batch written with one write + fsync (default 4 MiB). */
  readonly maxBatchBytes?: number;
  /**
   * Group commit only: how many batches may wait on fdatasync at once (default 2). With 2, the next
   * batch is written and its fdatasync issued while the previous one is still in flight, so a slow
   * device flush delays an append once instead of twice. Acknowledgements stay in log order: a batch
   * resolves only after its own fdatasync and every earlier one succeeded. `fsync` mode always uses 1.
   */
  readonly maxSyncsInFlight?: number;
  /** File system (default {@link NodeWalFs}); tests pass a FaultyWalFs. */
  readonly fs?: WalFs;
  /** Crash/test hooks. */
  readonly hooks?: WalHooks;
  /** WAL id for a new log (32 hex chars, default random). Ignored when segments exist. */
  readonly walId?: string;
}

interface SegmentEntry {
  readonly name: string;
  readonly index: number;
  readonly firstSequence: number;
}

/** A queued append; `start`/`end` are logical byte offsets of its encoded record in the arena. */
interface Pending {
  readonly sequence: number;
  readonly start: number;
  readonly end: number;
  readonly resolve: (seq: number) => void;
  readonly reject: (e: Error) => void;
}

/** A written batch waiting on its fdatasync; acknowledged strictly in log order. */
interface SyncingBatch {
  readonly batch: Pending[];
  readonly lastSequence: number;
  readonly lastCrc: number;
  done: boolean;
  /** Settles (never rejects) when the fdatasync and the afterSync hook finished or failed. */
  settled: Promise<void>;
}

const INITIAL_ARENA_BYTES = 1024 * 1024;

/** State handed from a scan to the writer (see {@link FileWal.fromScan}). */
export interface WalOpenState {
  readonly scanned: ScannedWalDir;
  readonly plan: RecoveryPlan;
  readonly tailCut: TailCutResult | null;
}

/** Default segment size limit: 64 MiB. */
export const DEFAULT_MAX_SEGMENT_BYTES = 64 * 1024 * 1024;

/**
 * File WAL implementing the {@link StateStore} port. Open with {@link FileWal.open} (scans the log,
 * cuts a torn tail, throws CorruptionError on damage in the middle) or through `recover()`.
 */
export class FileWal implements StateStore {
  readonly durability: DurabilityMode;
  private readonly fs: WalFs;
  private readonly dir: string;
  private readonly maxSegmentBytes: number;
  private readonly maxRecordBytes: number;
  private readonly maxBatchBytes: number;
  private readonly maxSyncsInFlight: number;
  private readonly hooks: WalHooks;
  private readonly segments: SegmentEntry[];
  private file: WalFile | null = null;
  private activeSize = 0;
  private nextSequence: number;
  private durableSequence: number;
  private lastCrc: number;
  private queue: Pending[] = [];
  private queueHead = 0;
  /**
   * Records are encoded straight into this arena (no per-record buffers, no concat). Logical offset
   * of arena[0] is `arenaBase`; [arenaStart, arenaEnd) holds encoded records not yet taken by a batch.
   * A batch in flight keeps a view of its bytes, so the arena is replaced (never overwritten) while
   * writes are pending, and reused from 0 only when the queue is empty.
   */
  private arena = new Uint8Array(INITIAL_ARENA_BYTES);
  private arenaBase = 0;
  private arenaStart = 0;
  private arenaEnd = 0;
  private flushing: Promise<void> | null = null;
  /** Written batches whose fdatasync is in flight, oldest first. */
  private syncing: SyncingBatch[] = [];
  /** Set while the flush loop idles on an in-flight sync; an append calls it to start the next batch. */
  private wakeFlusher: (() => void) | null = null;
  private batchCount = 0;
  private status: StateStoreHealth = { status: 'open' };
  private closing = false;
  private readonly listeners = new Set<(e: PersistenceError) => void>();

  private constructor(
    opts: FileWalOptions,
    private readonly walId: string,
    segments: SegmentEntry[],
    lastSequence: number,
    lastCrc: number,
  ) {
    this.fs = opts.fs ?? new NodeWalFs();
    this.dir = opts.dir;
    this.durability = opts.durability ?? 'group';
    this.maxSegmentBytes = opts.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT_BYTES;
    this.maxRecordBytes = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    this.maxBatchBytes = opts.maxBatchBytes ?? 4 * 1024 * 1024;
    this.maxSyncsInFlight = this.durability === 'group' ? (opts.maxSyncsInFlight ?? 2) : 1;
    this.hooks = opts.hooks ?? {};
    this.segments = segments;
    this.nextSequence = lastSequence + 1;
    this.durableSequence = lastSequence;
    this.lastCrc = lastCrc;
  }

  /**
   * Opens (or creates) the WAL in `opts.dir` for appending. Scans every segment, cuts a torn tail
   * (saved to a `.torn` file) and throws CorruptionError for damage in the middle or a broken chain.
   * `snapshotSequence` (default 0) is the sequence of the snapshot the caller restored.
   */
  static async open(opts: FileWalOptions, snapshotSequence = 0): Promise<FileWal> {
    const state = await FileWal.prepare(opts, snapshotSequence);
    return FileWal.fromScan(opts, state);
  }

  /** Scans the directory and applies the tail policy; used by `open` and by `recover`. */
  static async prepare(opts: FileWalOptions, snapshotSequence = 0): Promise<WalOpenState> {
    validateOptions(opts);
    const fs = opts.fs ?? new NodeWalFs();
    await fs.mkdir(opts.dir);
    const scanned = await scanWalDir(fs, opts.dir, opts.maxRecordBytes);
    const plan = planRecovery(scanned.analysis, snapshotSequence, opts.dir);
    let tailCut: TailCutResult | null = null;
    if (plan.tail) {
      tailCut = await cutSegment(
        fs,
        opts.dir,
        plan.tail,
        scanned.buffers.get(plan.tail.segment) as Uint8Array,
        'torn',
      );
    }
    return { scanned, plan, tailCut };
  }

  /** Builds a writer from a prepared scan (the tail is already cut). */
  static async fromScan(opts: FileWalOptions, state: WalOpenState): Promise<FileWal> {
    const { scanned, plan, tailCut } = state;
    const segments: SegmentEntry[] = scanned.analysis.segments
      .filter((s) => !(tailCut?.segmentRemoved && plan.tail?.segment === s.name))
      .map((s) => {
        const h = s.header as SegmentHeader; // analysis only lists segments with a valid header
        return { name: s.name, index: h.segmentIndex, firstSequence: h.firstSequence };
      });
    const walId = scanned.analysis.walId ?? opts.walId ?? randomBytes(16).toString('hex');
    const wal = new FileWal(opts, walId, segments, plan.lastSequence, scanned.analysis.lastCrc);
    if (segments.length === 0) {
      await wal.createSegment(1);
    } else {
      const active = segments[segments.length - 1];
      const scan = scanned.analysis.segments.find((s) => s.name === active.name) as SegmentScan;
      wal.file = await wal.fs.open(path.join(opts.dir, active.name), 'existing');
      wal.activeSize = plan.tail?.segment === active.name ? plan.tail.offset : scan.validEnd;
    }
    return wal;
  }

  /** The WAL stream id (32 hex chars) written in every segment header. */
  id(): string {
    return this.walId;
  }

  append(type: string, payload: Uint8Array | WalJsonValue): Promise<number> {
    if (this.status.status !== 'open' || this.closing) return Promise.reject(this.unavailable());
    let size: number;
    try {
      size = encodeRecordInto(
        this.arena,
        this.arenaEnd,
        this.nextSequence,
        type,
        payload,
        this.maxRecordBytes,
      );
      if (size < 0) {
        this.growArena(-size);
        size = encodeRecordInto(
          this.arena,
          this.arenaEnd,
          this.nextSequence,
          type,
          payload,
          this.maxRecordBytes,
        );
      }
    } catch (e) {
      return Promise.reject(e);
    }
    const sequence = this.nextSequence++;
    const start = this.arenaBase + this.arenaEnd;
    this.arenaEnd += size;
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ sequence, start, end: start + size, resolve, reject });
      if (this.flushing === null) this.flushing = this.flushLoop();
      else if (this.wakeFlusher !== null) this.wakeFlusher();
    });
  }

  /** Moves the untaken bytes into a new, larger arena (the old one may still back a write in flight). */
  private growArena(needed: number): void {
    const used = this.arenaEnd - this.arenaStart;
    const size = Math.max(INITIAL_ARENA_BYTES, (used + needed) * 2);
    const next = new Uint8Array(size);
    next.set(this.arena.subarray(this.arenaStart, this.arenaEnd));
    this.arenaBase += this.arenaStart;
    this.arenaEnd = used;
    this.arenaStart = 0;
    this.arena = next;
  }

  lastSequence(): number {
    return this.durableSequence;
  }

  health(): StateStoreHealth {
    return this.status;
  }

  onFailure(listener: (error: PersistenceError) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Segment files currently in the log, oldest first. */
  segmentNames(): string[] {
    return this.segments.map((s) => s.name);
  }

  /**
   * Deletes segments whose records all have sequence ≤ `throughSequence` (call only after a snapshot
   * through that sequence is durably saved). The active segment is never deleted.
   */
  async compact(throughSequence: number): Promise<number> {
    if (this.status.status === 'failed') throw this.unavailable();
    const limit = Math.min(throughSequence, this.durableSequence);
    let removed = 0;
    while (this.segments.length > 1 && this.segments[1].firstSequence - 1 <= limit) {
      const victim = this.segments[0];
      await this.fs.unlink(path.join(this.dir, victim.name));
      // Remove from the list only after the unlink so the list never claims less than the disk has.
      this.segments.shift();
      removed++;
    }
    if (removed > 0) await this.fs.syncDir(this.dir);
    return removed;
  }

  /** Waits until every queued append is written (or failed), then closes the active segment. */
  async close(): Promise<void> {
    this.closing = true;
    while (this.flushing) await this.flushing;
    if (this.file) {
      const f = this.file;
      this.file = null;
      await f.close().catch(() => undefined);
    }
    if (this.status.status === 'open') this.status = { status: 'closed' };
  }

  private unavailable(): PersistenceError {
    if (this.status.status === 'failed') {
      return new PersistenceError(
        `WAL ${this.dir} has failed (fail-stop); no further appends are accepted: ${this.status.error.message}`,
        { dir: this.dir },
        { cause: this.status.error },
      );
    }
    return new PersistenceError(`WAL ${this.dir} is closed`, { dir: this.dir });
  }

  private async flushLoop(): Promise<void> {
    // Let appends issued in the same tick join the first batch.
    await Promise.resolve();
    try {
      // Appends acknowledged while the syncs drain may queue more: loop until both are empty.
      while (this.queueHead < this.queue.length || this.syncing.length > 0) {
        if (this.status.status !== 'open') break;
        if (this.syncing.length >= this.maxSyncsInFlight) {
          await this.settleOldestSync();
          continue;
        }
        if (this.queueHead >= this.queue.length) {
          // Idle with a sync in flight: wake on its completion or on the next append.
          await Promise.race([
            this.syncing[0].settled,
            new Promise<void>((resolve) => (this.wakeFlusher = resolve)),
          ]);
          this.wakeFlusher = null;
          continue;
        }
        const batch = this.takeBatch();
        try {
          await this.writeBatch(batch);
        } catch (e) {
          this.fail(e, batch);
        }
      }
    } finally {
      this.flushing = null;
    }
  }

  private takeBatch(): Pending[] {
    const q = this.queue;
    let i = this.queueHead;
    if (this.durability === 'fsync') {
      i++;
    } else {
      const first = q[i].start;
      i++;
      while (i < q.length && q[i].end - first <= this.maxBatchBytes) i++;
    }
    const batch = q.slice(this.queueHead, i);
    if (i === q.length) {
      this.queue = [];
      this.queueHead = 0;
    } else if (i > 4096) {
      this.queue = q.slice(i);
      this.queueHead = 0;
    } else {
      this.queueHead = i;
    }
    return batch;
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    const first = batch[0];
    const last = batch[batch.length - 1];
    const total = last.end - first.start;
    // View of the batch bytes; later appends only write past arenaEnd or into a new arena.
    const buf = this.arena.subarray(first.start - this.arenaBase, last.end - this.arenaBase);
    const lastCrc =
      (buf[last.start - first.start] |
        (buf[last.start - first.start + 1] << 8) |
        (buf[last.start - first.start + 2] << 16) |
        (buf[last.start - first.start + 3] << 24)) >>>
      0;
    this.arenaStart = last.end - this.arenaBase;
    try {
      if (
        this.activeSize > SEGMENT_HEADER_BYTES &&
        this.activeSize + total > this.maxSegmentBytes
      ) {
        await this.drainSyncs();
        if (this.status.status !== 'open') throw this.unavailable();
        await this.rotate();
      }
      const active = this.segments[this.segments.length - 1];
      const info: WalBatchInfo = {
        batch: ++this.batchCount,
        segment: active.name,
        position: this.activeSize,
        bytes: total,
        firstSequence: first.sequence,
        lastSequence: last.sequence,
      };
      if (this.hooks.beforeWrite) await this.hooks.beforeWrite(info);
      await writeFully(this.file as WalFile, buf, this.activeSize);
      this.activeSize += total;
      if (this.hooks.afterWrite) await this.hooks.afterWrite(info);
      if (this.durability !== 'none') {
        // The fdatasync runs while the loop writes the next batch (up to maxSyncsInFlight at once).
        if (this.status.status === 'failed') throw this.status.error;
        const entry: SyncingBatch = {
          batch,
          lastSequence: last.sequence,
          lastCrc,
          done: false,
          settled: Promise.resolve(),
        };
        this.syncing.push(entry);
        entry.settled = this.syncBatch(this.file as WalFile, entry, info);
        return;
      }
      if (this.hooks.afterSync) await this.hooks.afterSync(info);
      this.lastCrc = lastCrc;
      this.durableSequence = last.sequence;
    } finally {
      if (this.arenaStart === this.arenaEnd) {
        // Nothing queued and nothing in flight: reuse the arena from the start.
        this.arenaBase += this.arenaEnd;
        this.arenaStart = 0;
        this.arenaEnd = 0;
      }
    }
    for (const p of batch) p.resolve(p.sequence);
  }

  /** fdatasync for one written batch, then acknowledges every leading batch that is durable. */
  private async syncBatch(file: WalFile, entry: SyncingBatch, info: WalBatchInfo): Promise<void> {
    try {
      await file.datasync();
      if (this.hooks.afterSync) await this.hooks.afterSync(info);
    } catch (e) {
      this.fail(e, entry.batch);
      return;
    }
    entry.done = true;
    // In log order: a batch is acknowledged only when it and every earlier batch are durable. After
    // a failure nothing is acknowledged (fail() already rejected every batch that was syncing).
    while (this.syncing.length > 0 && this.syncing[0].done && this.status.status === 'open') {
      const head = this.syncing.shift() as SyncingBatch;
      this.lastCrc = head.lastCrc;
      this.durableSequence = head.lastSequence;
      for (const p of head.batch) p.resolve(p.sequence);
    }
  }

  /** Waits until no fdatasync is in flight (before rotating a segment). */
  private async drainSyncs(): Promise<void> {
    while (this.syncing.length > 0) await this.settleOldestSync();
  }

  /**
   * Waits for the oldest in-flight sync. Settled means acknowledged (removed from the list) or
   * failed (list cleared); the head is removed here too in case neither happened, so no caller
   * can spin on an already-settled promise.
   */
  private async settleOldestSync(): Promise<void> {
    const head = this.syncing[0];
    await head.settled;
    if (this.syncing[0] === head) this.syncing.shift();
  }

  private async rotate(): Promise<void> {
    const prev = this.file as WalFile;
    const index = this.segments[this.segments.length - 1].index + 1;
    this.file = null;
    await prev.close();
    await this.createSegment(index);
  }

  /** Creates segment `index` starting after the durable sequence: header, fsync file, fsync dir. */
  private async createSegment(index: number): Promise<void> {
    const name = segmentFileName(index);
    const header = encodeSegmentHeader({
      walId: this.walId,
      segmentIndex: index,
      firstSequence: this.durableSequence + 1,
      prevLastSequence: this.durableSequence,
      prevLastCrc: this.lastCrc,
    });
    const f = await this.fs.open(path.join(this.dir, name), 'create');
    this.file = f;
    await writeFully(f, header, 0);
    this.activeSize = header.length;
    if (this.durability !== 'none') {
      await f.sync();
      await this.fs.syncDir(this.dir);
    }
    // Listed (and so visible to compaction) only once durable.
    this.segments.push({ name, index, firstSequence: this.durableSequence + 1 });
  }

  private fail(cause: unknown, batch: Pending[]): void {
    const first = this.status.status !== 'failed';
    if (this.status.status !== 'failed') {
      const code = (cause as NodeJS.ErrnoException)?.code;
      const error = new PersistenceError(
        `WAL write failed${code ? ` (${code})` : ''} in ${this.dir}: ${(cause as Error)?.message ?? String(cause)}; the store is failed (fail-stop) and accepts no further appends`,
        { dir: this.dir, code: code ?? null, firstSequence: batch[0]?.sequence ?? null },
        { cause },
      );
      this.status = { status: 'failed', error };
    }
    // The first failure's error is kept; later failures only reject what is still pending.
    const error = this.status.error;
    // Nothing after the failure point may be acknowledged: reject every batch still waiting on a
    // sync, the failed batch and everything queued (rejecting a settled promise is a no-op).
    const syncing = this.syncing;
    this.syncing = [];
    for (const s of syncing) for (const p of s.batch) p.reject(error);
    for (const p of batch) p.reject(error);
    const rest = this.queue.slice(this.queueHead);
    this.queue = [];
    this.queueHead = 0;
    for (const p of rest) p.reject(error);
    if (!first) return;
    for (const l of this.listeners) {
      try {
        l(error);
      } catch {
        /* a failing listener must not hide the failure */
      }
    }
  }
}

function validateOptions(opts: FileWalOptions): void {
  if (typeof opts.dir !== 'string' || opts.dir.length === 0)
    throw new ValidationError('wal.dir', opts.dir, 'a directory path');
  if (opts.durability !== undefined && !['fsync', 'group', 'none'].includes(opts.durability)) {
    throw new ValidationError('wal.durability', opts.durability, "one of 'fsync', 'group', 'none'");
  }
  if (
    opts.maxRecordBytes !== undefined &&
    (!Number.isInteger(opts.maxRecordBytes) ||
      opts.maxRecordBytes < 1 ||
      opts.maxRecordBytes > MAX_RECORD_BYTES_LIMIT)
  ) {
    throw new ValidationError(
      'wal.maxRecordBytes',
      opts.maxRecordBytes,
      `an integer in [1, ${MAX_RECORD_BYTES_LIMIT}]`,
    );
  }
  if (
    opts.maxSegmentBytes !== undefined &&
    (!Number.isInteger(opts.maxSegmentBytes) || opts.maxSegmentBytes < 1024)
  ) {
    throw new ValidationError('wal.maxSegmentBytes', opts.maxSegmentBytes, 'an integer ≥ 1024');
  }
  if (
    opts.maxSyncsInFlight !== undefined &&
    (!Number.isInteger(opts.maxSyncsInFlight) ||
      opts.maxSyncsInFlight < 1 ||
      opts.maxSyncsInFlight > 16)
  ) {
    throw new ValidationError(
      'wal.maxSyncsInFlight',
      opts.maxSyncsInFlight,
      'an integer in [1, 16]',
    );
  }
  if (
    opts.maxBatchBytes !== undefined &&
    (!Number.isInteger(opts.maxBatchBytes) || opts.maxBatchBytes < 1)
  ) {
    throw new ValidationError('wal.maxBatchBytes', opts.maxBatchBytes, 'a positive integer');
  }
}

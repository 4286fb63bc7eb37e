import { PersistenceError, ValidationError } from '@trading/domain';
import type { WalJsonValue } from './json';
import { decodeRecord, encodeRecord, type WalRecord } from './record-format';
import { decodeSnapshot, encodeSnapshot, type Snapshot } from './snapshot-codec';
import type { LoadedSnapshot, SnapshotInfo, SnapshotStore } from './snapshot-store.port';
import type { DurabilityMode, StateStore, StateStoreHealth } from './state-store.port';

/**
 * In-memory {@link StateStore} for tests of code that uses the port (engine, sessions). Records are
 * encoded with the real codec, so validation errors match the file WAL. `failNextAppend(err)` makes
 * the next append fail and the store fail-stop, like a disk error.
 */
export class InMemoryStateStore implements StateStore {
  readonly durability: DurabilityMode = 'none';
  private readonly log: Uint8Array[] = [];
  private firstSequence = 1;
  private status: StateStoreHealth = { status: 'open' };
  private readonly listeners = new Set<(e: PersistenceError) => void>();
  private pendingFailure: Error | null = null;

  /** Starts after `lastSequence` (e.g. a snapshot's sequence). */
  constructor(lastSequence = 0) {
    this.firstSequence = lastSequence + 1;
  }

  async append(type: string, payload: Uint8Array | WalJsonValue): Promise<number> {
    if (this.status.status === 'failed')
      throw new PersistenceError('state store has failed; no further appends are accepted', {
        cause: this.status.error.message,
      });
    if (this.status.status === 'closed') throw new PersistenceError('state store is closed');
    const seq = this.firstSequence + this.log.length;
    const bytes = encodeRecord(seq, type, payload);
    if (this.pendingFailure) {
      const cause = this.pendingFailure;
      this.pendingFailure = null;
      const error = new PersistenceError(
        `append of sequence ${seq} failed: ${cause.message}`,
        { sequence: seq },
        { cause },
      );
      this.fail(error);
      throw error;
    }
    this.log.push(bytes);
    return seq;
  }

  lastSequence(): number {
    return this.firstSequence + this.log.length - 1;
  }

  health(): StateStoreHealth {
    return this.status;
  }

  onFailure(listener: (error: PersistenceError) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async compact(throughSequence: number): Promise<number> {
    const drop = Math.max(
      0,
      Math.min(this.log.length - 1, throughSequence - this.firstSequence + 1),
    );
    this.log.splice(0, drop);
    this.firstSequence += drop;
    return drop;
  }

  async close(): Promise<void> {
    if (this.status.status === 'open') this.status = { status: 'closed' };
  }

  /** Makes the next append fail (and the store fail-stop) with `cause`. */
  failNextAppend(cause: Error = new Error('EIO: i/o error')): void {
    this.pendingFailure = cause;
  }

  /** The stored records, decoded, in order. */
  records(): WalRecord[] {
    return this.log.map((b) => decodeRecord(b));
  }

  private fail(error: PersistenceError): void {
    if (this.status.status === 'failed') return;
    this.status = { status: 'failed', error };
    for (const l of this.listeners) l(error);
  }
}

/** In-memory {@link SnapshotStore} keeping the last `keep` encoded snapshots (real codec). */
export class InMemorySnapshotStore implements SnapshotStore {
  private readonly files = new Map<number, Uint8Array>();

  constructor(private readonly keep = 5) {
    if (!Number.isInteger(keep) || keep < 1)
      throw new ValidationError('keep', keep, 'an integer ≥ 1');
  }

  async save(snapshot: Snapshot): Promise<void> {
    this.files.set(snapshot.lastSequence, encodeSnapshot(snapshot));
    const seqs = [...this.files.keys()].sort((a, b) => b - a);
    for (const s of seqs.slice(this.keep)) this.files.delete(s);
  }

  async loadLatest(): Promise<LoadedSnapshot | null> {
    const skipped: { source: string; reason: string }[] = [];
    for (const seq of [...this.files.keys()].sort((a, b) => b - a)) {
      const decoded = decodeSnapshot(this.files.get(seq) as Uint8Array);
      if (typeof decoded === 'string') skipped.push({ source: `memory:${seq}`, reason: decoded });
      else return { snapshot: decoded, source: `memory:${seq}`, skipped };
    }
    return null;
  }

  async list(): Promise<readonly SnapshotInfo[]> {
    return [...this.files.keys()]
      .sort((a, b) => b - a)
      .map((s) => ({ source: `memory:${s}`, lastSequence: s }));
  }

  /** Raw bytes of a stored snapshot (tests flip bits in it). */
  raw(lastSequence: number): Uint8Array | undefined {
    return this.files.get(lastSequence);
  }
}

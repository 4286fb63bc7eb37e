/**
 * File snapshot store: each snapshot is written atomically (temp file in the same directory, fsync,
 * rename, fsync the directory); the newest `keep` are retained as backups; leftover temp files are
 * removed when the store opens; loading falls back to older snapshots when the newest fails its checksum.
 */
import * as path from 'node:path';
import { PersistenceError, ValidationError } from '@trading/domain';
import {
  decodeSnapshot,
  encodeSnapshot,
  parseSnapshotFileName,
  snapshotFileName,
  type LoadedSnapshot,
  type Snapshot,
  type SnapshotInfo,
  type SnapshotStore,
} from '@trading/persistence';
import { NodeWalFs, writeFully, type WalFs } from './wal-fs';

/** Steps of a snapshot save, for crash hooks. */
export type SnapshotStep =
  'beforeTempWrite' | 'afterTempWrite' | 'afterTempSync' | 'afterRename' | 'afterDirSync';

/** Options of {@link FileSnapshotStore.open}. */
export interface FileSnapshotStoreOptions {
  /** Snapshot directory (created if missing). */
  readonly dir: string;
  /** How many snapshots to keep (default 5). */
  readonly keep?: number;
  /** File system (default {@link NodeWalFs}). */
  readonly fs?: WalFs;
  /** Called at each step of a save (tests crash here). */
  readonly onStep?: (step: SnapshotStep, file: string) => void | Promise<void>;
}

const TEMP_SUFFIX = '.tmp';

/** {@link SnapshotStore} over files in one directory. */
export class FileSnapshotStore implements SnapshotStore {
  private readonly fs: WalFs;
  private readonly keep: number;

  private constructor(
    private readonly opts: FileSnapshotStoreOptions,
    /** Leftover temp files removed when the store was opened. */
    readonly tempFilesRemoved: readonly string[],
  ) {
    this.fs = opts.fs ?? new NodeWalFs();
    this.keep = opts.keep ?? 5;
  }

  /** Opens the store: creates the directory and removes leftover temp files of interrupted saves. */
  static async open(opts: FileSnapshotStoreOptions): Promise<FileSnapshotStore> {
    if (opts.keep !== undefined && (!Number.isInteger(opts.keep) || opts.keep < 1))
      throw new ValidationError('snapshots.keep', opts.keep, 'an integer ≥ 1');
    const fs = opts.fs ?? new NodeWalFs();
    await fs.mkdir(opts.dir);
    const temps = (await fs.readdir(opts.dir)).filter(
      (n) => n.startsWith('snapshot-') && n.endsWith(TEMP_SUFFIX),
    );
    for (const t of temps) await fs.unlink(path.join(opts.dir, t));
    if (temps.length > 0) await fs.syncDir(opts.dir);
    return new FileSnapshotStore(opts, temps);
  }

  async save(snapshot: Snapshot): Promise<void> {
    const bytes = encodeSnapshot(snapshot);
    const dir = this.opts.dir;
    const name = snapshotFileName(snapshot.lastSequence);
    const tmp = path.join(dir, name + TEMP_SUFFIX);
    const step = async (s: SnapshotStep) => {
      if (this.opts.onStep) await this.opts.onStep(s, name);
    };
    try {
      await this.fs.unlink(tmp);
      await step('beforeTempWrite');
      const f = await this.fs.open(tmp, 'create');
      try {
        await writeFully(f, bytes, 0);
        await step('afterTempWrite');
        await f.sync();
      } finally {
        await f.close();
      }
      await step('afterTempSync');
      await this.fs.rename(tmp, path.join(dir, name));
      await step('afterRename');
      await this.fs.syncDir(dir);
      await step('afterDirSync');
    } catch (e) {
      await this.fs.unlink(tmp).catch(() => undefined);
      throw new PersistenceError(
        `snapshot ${name} could not be saved in ${dir}: ${(e as Error).message}`,
        { dir, file: name },
        { cause: e },
      );
    }
    await this.prune();
  }

  async loadLatest(): Promise<LoadedSnapshot | null> {
    const skipped: { source: string; reason: string }[] = [];
    for (const info of await this.list()) {
      let decoded: Snapshot | string;
      try {
        decoded = decodeSnapshot(await this.fs.readFile(path.join(this.opts.dir, info.source)));
      } catch (e) {
        decoded = `unreadable: ${(e as Error).message}`;
      }
      if (typeof decoded === 'string') {
        skipped.push({ source: info.source, reason: decoded });
        continue;
      }
      if (decoded.lastSequence !== info.lastSequence) {
        skipped.push({
          source: info.source,
          reason: `file name says sequence ${info.lastSequence}, content says ${decoded.lastSequence}`,
        });
        continue;
      }
      return { snapshot: decoded, source: info.source, skipped };
    }
    return null;
  }

  async list(): Promise<readonly SnapshotInfo[]> {
    const out: SnapshotInfo[] = [];
    for (const n of await this.fs.readdir(this.opts.dir)) {
      const seq = parseSnapshotFileName(n);
      if (seq !== null) out.push({ source: n, lastSequence: seq });
    }
    return out.sort((a, b) => b.lastSequence - a.lastSequence);
  }

  private async prune(): Promise<void> {
    const old = (await this.list()).slice(this.keep);
    for (const o of old) await this.fs.unlink(path.join(this.opts.dir, o.source));
    if (old.length > 0) await this.fs.syncDir(this.opts.dir);
  }
}

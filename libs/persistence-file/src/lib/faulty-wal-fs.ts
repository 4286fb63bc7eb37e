import type { WalFile, WalFs } from './wal-fs';

/** An error shaped like Node's fs errors (`code`, `errno`, `syscall`). */
export function fsError(code: 'EIO' | 'ENOSPC' | string, syscall: string): NodeJS.ErrnoException {
  const e = new Error(`${code}: injected failure, ${syscall}`) as NodeJS.ErrnoException;
  e.code = code;
  e.syscall = syscall;
  e.errno = code === 'ENOSPC' ? -28 : -5;
  return e;
}

/** Fault plan of a {@link FaultyWalFs}. Counts are 1-based over the whole fs instance. */
export interface FaultPlan {
  /** Fail the Nth file write with `writeErrorCode` (after writing `partialBytes` of it, default 0). */
  failWriteAt?: number;
  /** Error code for the failing write (default `EIO`). */
  writeErrorCode?: string;
  /** Bytes of the failing write that reach the file before the error (a partial write). */
  partialBytes?: number;
  /** Fail the Nth file fsync/fdatasync with `syncErrorCode`. */
  failSyncAt?: number;
  /** Error code for the failing fsync (default `EIO`). */
  syncErrorCode?: string;
  /** Fail every file write/fsync from these counts on (a dead disk), in addition to the single failures. */
  failAllWritesFrom?: number;
  /** Calls `crash()` in the middle of the Nth write, after writing half of its bytes (partial write). */
  crashMidWriteAt?: number;
  /** Crash action (a child process uses `process.kill(process.pid, 'SIGKILL')`). */
  crash?: () => void;
}

/**
 * A {@link WalFs} wrapper that injects EIO/ENOSPC on the Nth write or fsync and can crash in the
 * middle of a write. Counters are public so tests can aim at "the write of the 3rd batch".
 */
export class FaultyWalFs implements WalFs {
  /** Number of file writes started so far. */
  writes = 0;
  /** Number of file fsync/fdatasync calls started so far. */
  syncs = 0;
  /** Number of directory fsyncs so far. */
  dirSyncs = 0;

  constructor(
    private readonly inner: WalFs,
    /** Mutable fault plan; change it between operations. */
    public plan: FaultPlan = {},
  ) {}

  async open(file: string, mode: 'existing' | 'create'): Promise<WalFile> {
    return new FaultyWalFile(await this.inner.open(file, mode), this);
  }
  readFile(file: string): Promise<Uint8Array> {
    return this.inner.readFile(file);
  }
  readdir(dir: string): Promise<string[]> {
    return this.inner.readdir(dir);
  }
  mkdir(dir: string): Promise<void> {
    return this.inner.mkdir(dir);
  }
  rename(from: string, to: string): Promise<void> {
    return this.inner.rename(from, to);
  }
  unlink(file: string): Promise<void> {
    return this.inner.unlink(file);
  }
  syncDir(dir: string): Promise<void> {
    this.dirSyncs++;
    return this.inner.syncDir(dir);
  }
}

class FaultyWalFile implements WalFile {
  constructor(
    private readonly inner: WalFile,
    private readonly fs: FaultyWalFs,
  ) {}

  async write(buf: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    const n = ++this.fs.writes;
    const p = this.fs.plan;
    if (p.crashMidWriteAt === n && p.crash) {
      const half = Math.max(1, Math.floor(length / 2));
      await this.inner.write(buf, offset, half, position);
      p.crash();
      return half;
    }
    if (p.failWriteAt === n || (p.failAllWritesFrom !== undefined && n >= p.failAllWritesFrom)) {
      const partial = Math.min(length, p.partialBytes ?? 0);
      if (partial > 0) await this.inner.write(buf, offset, partial, position);
      throw fsError(p.writeErrorCode ?? 'EIO', 'write');
    }
    return this.inner.write(buf, offset, length, position);
  }
  datasync(): Promise<void> {
    return this.syncCall(() => this.inner.datasync(), 'fdatasync');
  }
  sync(): Promise<void> {
    return this.syncCall(() => this.inner.sync(), 'fsync');
  }
  truncate(length: number): Promise<void> {
    return this.inner.truncate(length);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  private async syncCall(f: () => Promise<void>, syscall: string): Promise<void> {
    const n = ++this.fs.syncs;
    const p = this.fs.plan;
    if (
      p.failSyncAt === n ||
      (p.failAllWritesFrom !== undefined && this.fs.writes >= p.failAllWritesFrom)
    ) {
      throw fsError(p.syncErrorCode ?? 'EIO', syscall);
    }
    return f();
  }
}

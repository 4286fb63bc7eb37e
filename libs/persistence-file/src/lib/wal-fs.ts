/**
 * Small file-system abstraction under the file WAL and snapshot store, so tests can inject EIO/ENOSPC
 * on the Nth write or fsync and crash at precise points. `NodeWalFs` is the real implementation over
 * `fs.promises` (never blocks the event loop).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/** An open file: positioned writes, fsync, truncate. */
export interface WalFile {
  /** Writes `buf[offset, offset+length)` at `position`; resolves with the bytes written (may be short). */
  write(buf: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** fdatasync: data and the metadata needed to read it (size) are durable. */
  datasync(): Promise<void>;
  /** fsync: data and all metadata are durable. */
  sync(): Promise<void>;
  /** Truncates the file to `length` bytes. */
  truncate(length: number): Promise<void>;
  /** Closes the handle. */
  close(): Promise<void>;
}

/** The file operations the WAL and snapshot store need. */
export interface WalFs {
  /** Opens an existing file for writing (`existing`) or creates a new one, failing if it exists (`create`). */
  open(file: string, mode: 'existing' | 'create'): Promise<WalFile>;
  /** Reads a whole file. */
  readFile(file: string): Promise<Uint8Array>;
  /** Lists the names in a directory ([] when it does not exist). */
  readdir(dir: string): Promise<string[]>;
  /** Creates a directory (and parents) if missing. */
  mkdir(dir: string): Promise<void>;
  /** Atomically renames a file (same file system). */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file (no error when missing). */
  unlink(file: string): Promise<void>;
  /** fsyncs a directory so created/renamed/removed entries are durable. */
  syncDir(dir: string): Promise<void>;
}

class NodeWalFile implements WalFile {
  constructor(private readonly fh: fsp.FileHandle) {}
  async write(buf: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    const r = await this.fh.write(buf, offset, length, position);
    return r.bytesWritten;
  }
  datasync(): Promise<void> {
    return this.fh.datasync();
  }
  sync(): Promise<void> {
    return this.fh.sync();
  }
  truncate(length: number): Promise<void> {
    return this.fh.truncate(length);
  }
  close(): Promise<void> {
    return this.fh.close();
  }
}

/** {@link WalFs} over `node:fs/promises`. */
export class NodeWalFs implements WalFs {
  async open(file: string, mode: 'existing' | 'create'): Promise<WalFile> {
    return new NodeWalFile(await fsp.open(file, mode === 'create' ? 'wx' : 'r+'));
  }
  async readFile(file: string): Promise<Uint8Array> {
    return fsp.readFile(file);
  }
  async readdir(dir: string): Promise<string[]> {
    try {
      return await fsp.readdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }
  async mkdir(dir: string): Promise<void> {
    await fsp.mkdir(dir, { recursive: true });
  }
  rename(from: string, to: string): Promise<void> {
    return fsp.rename(from, to);
  }
  async unlink(file: string): Promise<void> {
    try {
      await fsp.unlink(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  async syncDir(dir: string): Promise<void> {
    const fh = await fsp.open(path.resolve(dir), 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
}

/** Writes all of `buf` at `position`, looping over short writes. */
export async function writeFully(file: WalFile, buf: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const n = await file.write(buf, done, buf.length - done, position + done);
    if (n <= 0)
      throw Object.assign(new Error(`short write: 0 of ${buf.length - done} bytes written`), {
        code: 'EIO',
      });
    done += n;
  }
}

/** Writes a new file (exclusive create), fsyncs and closes it. */
export async function writeNewFile(fs: WalFs, file: string, data: Uint8Array): Promise<void> {
  const f = await fs.open(file, 'create');
  try {
    await writeFully(f, data, 0);
    await f.sync();
  } finally {
    await f.close();
  }
}

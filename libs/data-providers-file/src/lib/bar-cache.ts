import { promises as fsp } from 'node:fs';
import { crc32 } from 'node:zlib';
import { BarBatch, DataIssue, SeriesKind, sliceBarBatch } from '@trading/data-providers';
import { CorruptionError, InstrumentId } from '@trading/domain';

/**
 * Binary bar cache: one file per series, columnar float64 blocks, little-endian.
 *
 * ```
 * header (64 B): magic "TRDBARS\0" | u32 version | u32 blockSize | f64 count | u32 kind (0 bars, 1 ticks)
 *                | u32 blockCount | f64 trailerOffset | u32 trailerLength | u32 trailerCrc | 12 B reserved
 *                | u32 headerCrc (CRC-32 of bytes 0..60)
 * blocks:        per block: u32 n | u32 crc32(data) | data = ts[n] open[n] high[n] low[n] close[n] volume[n] (f64)
 *                (every block but the last holds blockSize bars; offsets stay 8-byte aligned)
 * trailer:       UTF-8 JSON {@link BarCacheMeta}: instrument, source, fingerprint, row stats, issues
 * ```
 * The file is written to a temp name and renamed into place, so readers never see a partial
 * file. A wrong magic/version/CRC/size is a {@link CorruptionError}; a fingerprint mismatch is stale.
 */
export const BAR_CACHE_MAGIC = 'TRDBARS\0';
/** Current cache format version; older files are rebuilt. */
export const BAR_CACHE_VERSION = 1;
const HEADER = 64;

/** Identity of the CSV a cache was built from. */
export interface SourceFingerprint {
  /** CSV size in bytes. */
  readonly size: number;
  /** CSV mtime (ms). */
  readonly mtimeMs: number;
  /** Hash of the parse options and format versions. */
  readonly optionsHash: string;
}

/** Trailer metadata of a cache file. */
export interface BarCacheMeta {
  readonly instrumentId: InstrumentId;
  readonly source: string;
  readonly fingerprint: SourceFingerprint;
  readonly rows: number;
  readonly skipped: number;
  readonly issues: readonly DataIssue[];
}

/** Appends batches to a new cache file (temp name until {@link BarCacheWriter.finish}). */
export class BarCacheWriter {
  private pos = HEADER;
  private count = 0;
  private blocks = 0;
  private blockSize = 0;
  private lastBlockPartial = false;

  private constructor(
    private readonly fh: fsp.FileHandle,
    private readonly tmp: string,
    readonly path: string,
  ) {}

  /** Creates the temp file next to `path`. */
  static async create(path: string, uniq: string): Promise<BarCacheWriter> {
    const tmp = `${path}.${uniq}.tmp`;
    const fh = await fsp.open(tmp, 'w');
    await fh.write(new Uint8Array(HEADER), 0, HEADER, 0);
    return new BarCacheWriter(fh, tmp, path);
  }

  /** Appends one batch as one block (all blocks but the last must have the same size). */
  async append(b: BarBatch): Promise<void> {
    const n = b.length;
    if (n === 0) return;
    if (this.lastBlockPartial || (this.blockSize !== 0 && n > this.blockSize))
      throw new Error('BarCacheWriter: only the last block may be shorter');
    if (this.blockSize === 0) this.blockSize = n;
    else if (n < this.blockSize) this.lastBlockPartial = true;
    const ab = new ArrayBuffer(8 + 48 * n);
    const f = new Float64Array(ab, 8, 6 * n);
    f.set(b.ts.subarray(0, n), 0);
    f.set(b.open.subarray(0, n), n);
    f.set(b.high.subarray(0, n), 2 * n);
    f.set(b.low.subarray(0, n), 3 * n);
    f.set(b.close.subarray(0, n), 4 * n);
    f.set(b.volume.subarray(0, n), 5 * n);
    const dv = new DataView(ab);
    dv.setUint32(0, n, true);
    dv.setUint32(4, crc32(new Uint8Array(ab, 8)), true);
    const u8 = new Uint8Array(ab);
    await this.fh.write(u8, 0, u8.length, this.pos);
    this.pos += u8.length;
    this.count += n;
    this.blocks++;
  }

  /** Writes trailer and header, then atomically renames the file into place. */
  async finish(meta: BarCacheMeta, kind: SeriesKind): Promise<void> {
    const trailer = Buffer.from(JSON.stringify(meta), 'utf8');
    await this.fh.write(trailer, 0, trailer.length, this.pos);
    const h = new ArrayBuffer(HEADER);
    const u8 = new Uint8Array(h);
    const dv = new DataView(h);
    for (let i = 0; i < 8; i++) u8[i] = BAR_CACHE_MAGIC.charCodeAt(i);
    dv.setUint32(8, BAR_CACHE_VERSION, true);
    dv.setUint32(12, this.blockSize, true);
    dv.setFloat64(16, this.count, true);
    dv.setUint32(24, kind === 'ticks' ? 1 : 0, true);
    dv.setUint32(28, this.blocks, true);
    dv.setFloat64(32, this.pos, true);
    dv.setUint32(40, trailer.length, true);
    dv.setUint32(44, crc32(trailer), true);
    dv.setUint32(60, crc32(new Uint8Array(h, 0, 60)), true);
    await this.fh.write(u8, 0, HEADER, 0);
    await this.fh.close();
    await fsp.rename(this.tmp, this.path);
  }

  /** Closes and deletes the temp file. */
  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await fsp.rm(this.tmp, { force: true });
  }
}

/** An open, header-verified cache file. */
export class BarCacheReader {
  private constructor(
    readonly path: string,
    readonly instrumentId: InstrumentId,
    readonly count: number,
    readonly blockSize: number,
    readonly blockCount: number,
    readonly kind: SeriesKind,
    readonly meta: BarCacheMeta,
  ) {}

  /**
   * Opens and verifies header, trailer and total size. Returns null when the file does not
   * exist; throws {@link CorruptionError} when it is damaged.
   */
  static async open(path: string): Promise<BarCacheReader | null> {
    let fh: fsp.FileHandle;
    try {
      fh = await fsp.open(path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    try {
      const size = (await fh.stat()).size;
      const bad = (why: string) => new CorruptionError(`bar cache ${path}: ${why}`, { path });
      if (size < HEADER) throw bad(`truncated (${size} bytes)`);
      const h = new Uint8Array(HEADER);
      await fh.read(h, 0, HEADER, 0);
      const dv = new DataView(h.buffer);
      for (let i = 0; i < 8; i++)
        if (h[i] !== BAR_CACHE_MAGIC.charCodeAt(i)) throw bad('bad magic');
      if (dv.getUint32(60, true) !== crc32(h.subarray(0, 60)))
        throw bad('header checksum mismatch');
      const version = dv.getUint32(8, true);
      if (version !== BAR_CACHE_VERSION)
        throw bad(`version ${version}, expected ${BAR_CACHE_VERSION}`);
      const blockSize = dv.getUint32(12, true);
      const count = dv.getFloat64(16, true);
      const kind: SeriesKind = dv.getUint32(24, true) === 1 ? 'ticks' : 'bars';
      const blockCount = dv.getUint32(28, true);
      const trailerOffset = dv.getFloat64(32, true);
      const trailerLength = dv.getUint32(40, true);
      const expectedBlocks = blockSize === 0 ? 0 : Math.ceil(count / blockSize);
      if (
        blockCount !== expectedBlocks ||
        trailerOffset !== HEADER + 8 * blockCount + 48 * count ||
        trailerOffset + trailerLength !== size
      ) {
        throw bad(
          `size/layout mismatch (count ${count}, blocks ${blockCount}, file ${size} bytes)`,
        );
      }
      const t = Buffer.alloc(trailerLength);
      await fh.read(t, 0, trailerLength, trailerOffset);
      if (crc32(t) !== dv.getUint32(44, true)) throw bad('trailer checksum mismatch');
      const meta = JSON.parse(t.toString('utf8')) as BarCacheMeta;
      return new BarCacheReader(path, meta.instrumentId, count, blockSize, blockCount, kind, meta);
    } finally {
      await fh.close();
    }
  }

  /**
   * Streams the bars from bar index `start` as batches of one block each (columns are views on
   * one buffer per block: a single read, no per-bar work). A block whose CRC does not match
   * throws {@link CorruptionError}.
   */
  async *batches(start = 0): AsyncGenerator<BarBatch> {
    if (this.count === 0 || start >= this.count) return;
    const fh = await fsp.open(this.path, 'r');
    try {
      const first = Math.floor(start / this.blockSize);
      for (let i = first; i < this.blockCount; i++) {
        const n = Math.min(this.blockSize, this.count - i * this.blockSize);
        const len = 8 + 48 * n;
        const ab = new ArrayBuffer(len);
        const u8 = new Uint8Array(ab);
        const pos = HEADER + i * (8 + 48 * this.blockSize);
        const { bytesRead } = await fh.read(u8, 0, len, pos);
        const dv = new DataView(ab);
        if (
          bytesRead !== len ||
          dv.getUint32(0, true) !== n ||
          dv.getUint32(4, true) !== crc32(new Uint8Array(ab, 8))
        ) {
          throw new CorruptionError(`bar cache ${this.path}: block ${i} is damaged`, {
            path: this.path,
            block: i,
          });
        }
        const batch: BarBatch = {
          instrumentId: this.instrumentId,
          length: n,
          ts: new Float64Array(ab, 8, n),
          open: new Float64Array(ab, 8 + 8 * n, n),
          high: new Float64Array(ab, 8 + 16 * n, n),
          low: new Float64Array(ab, 8 + 24 * n, n),
          close: new Float64Array(ab, 8 + 32 * n, n),
          volume: new Float64Array(ab, 8 + 40 * n, n),
        };
        const skip = i === first ? start - i * this.blockSize : 0;
        yield skip > 0 ? sliceBarBatch(batch, skip) : batch;
      }
    } finally {
      await fh.close();
    }
  }
}

/** Reads a WAL directory into segment scans and applies the tail policy (adapter side of recovery). */
import * as path from 'node:path';
import {
  analyzeWal,
  parseSegmentFileName,
  scanSegment,
  type SegmentScan,
  type WalAnalysis,
  type WalProblem,
} from '@trading/persistence';
import { writeNewFile, type WalFs } from './wal-fs';

/** A scanned WAL directory: scans in order plus their buffers (for replay without re-reading). */
export interface ScannedWalDir {
  readonly dir: string;
  readonly scans: readonly SegmentScan[];
  readonly buffers: ReadonlyMap<string, Uint8Array>;
  readonly analysis: WalAnalysis;
}

/** Lists segment files of `dir` in index order. */
export async function listSegments(fs: WalFs, dir: string): Promise<string[]> {
  const names = (await fs.readdir(dir)).filter((n) => parseSegmentFileName(n) !== null);
  return names.sort();
}

/** Reads and scans every segment of `dir`, then analyses the chain. */
export async function scanWalDir(
  fs: WalFs,
  dir: string,
  maxRecordBytes?: number,
): Promise<ScannedWalDir> {
  const scans: SegmentScan[] = [];
  const buffers = new Map<string, Uint8Array>();
  for (const name of await listSegments(fs, dir)) {
    const buf = await fs.readFile(path.join(dir, name));
    buffers.set(name, buf);
    scans.push(scanSegment(name, buf, { maxRecordBytes }));
  }
  return { dir, scans, buffers, analysis: analyzeWal(scans) };
}

/** What was done with a cut tail. */
export interface TailCutResult {
  readonly savedTo: string | null;
  readonly segmentRemoved: boolean;
}

/**
 * Cuts a damaged region: copies bytes [offset, end) of the segment aside to
 * `<segment>.<offset>.<suffix>` (fsynced), then truncates the segment at `offset` (or removes it when
 * the damage starts in its header), and fsyncs the directory.
 */
export async function cutSegment(
  fs: WalFs,
  dir: string,
  problem: WalProblem,
  buf: Uint8Array,
  suffix: 'torn' | 'corrupt',
): Promise<TailCutResult> {
  const file = path.join(dir, problem.segment);
  let savedTo: string | null = null;
  if (problem.bytes > 0) {
    savedTo = `${problem.segment}.${problem.offset}.${suffix}`;
    await fs.unlink(path.join(dir, savedTo));
    await writeNewFile(fs, path.join(dir, savedTo), buf.subarray(problem.offset));
  }
  const segmentRemoved = problem.offset === 0;
  if (segmentRemoved) {
    await fs.unlink(file);
  } else {
    const f = await fs.open(file, 'existing');
    try {
      await f.truncate(problem.offset);
      await f.sync();
    } finally {
      await f.close();
    }
  }
  await fs.syncDir(dir);
  return { savedTo, segmentRemoved };
}

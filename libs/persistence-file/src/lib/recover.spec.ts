import {
  existsSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { CorruptionError } from '@trading/domain';
import { FileWal } from './file-wal';
import { FileSnapshotStore } from './file-snapshot-store';
import { persistenceCli } from './cli';
import { recover } from './recover';
import { plain, tempDirs } from './spec-helpers';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

/** Writes `n` records `{ i }` and returns the dir, segment path and byte offset of every record. */
async function makeLog(n: number, opts: { maxSegmentBytes?: number } = {}) {
  const dir = dirs.make();
  const offsets: number[] = [];
  const wal = await FileWal.open({
    dir,
    durability: 'none',
    maxSegmentBytes: opts.maxSegmentBytes,
    hooks: { beforeWrite: (b) => void offsets.push(b.position) },
  });
  for (let i = 1; i <= n; i++) await wal.append('add', { i });
  await wal.close();
  const segs = readdirSync(dir)
    .filter((f) => f.endsWith('.seg'))
    .sort();
  return { dir, segs, offsets, seg: path.join(dir, segs[segs.length - 1]) };
}

async function replay(dir: string, snapshots?: FileSnapshotStore) {
  const seqs: number[] = [];
  const r = await recover({ walDir: dir, snapshots, apply: (rec) => void seqs.push(rec.sequence) });
  return { seqs, ...r };
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const silent = { out: () => undefined, err: () => undefined };

describe('recover: tail policy', () => {
  it('cuts a torn last record at every byte offset, saving the bytes to a .torn file, and appends after it', async () => {
    const { dir, seg, offsets } = await makeLog(5);
    const full = readFileSync(seg);
    const lastStart = offsets[4];
    for (let cut = lastStart + 1; cut < full.length; cut++) {
      writeFileSync(seg, full.subarray(0, cut));
      const { seqs, report } = await replay(dir);
      expect(seqs).toEqual(range(1, 4));
      expect(report.tail).toMatchObject({
        offset: lastStart,
        bytes: cut - lastStart,
        segmentRemoved: false,
      });
      expect(report.lastSequence).toBe(4);
      const torn = path.join(dir, report.tail!.savedTo!);
      expect(readFileSync(torn)).toEqual(full.subarray(lastStart, cut));
      expect(statSync(seg).size).toBe(lastStart);
    }
    const wal = await FileWal.open({ dir });
    expect(await wal.append('add', { i: 5 })).toBe(5);
    await wal.close();
    expect((await replay(dir)).seqs).toEqual(range(1, 5));
  });

  it('cuts zeros and random garbage after the last record', async () => {
    const { dir, seg } = await makeLog(3);
    const size = statSync(seg).size;
    appendFileSync(seg, Buffer.alloc(8192));
    let r = await replay(dir);
    expect(r.seqs).toEqual([1, 2, 3]);
    expect(r.report.tail).toMatchObject({ offset: size, bytes: 8192 });
    appendFileSync(
      seg,
      Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) & 0xff)),
    );
    r = await replay(dir);
    expect(r.seqs).toEqual([1, 2, 3]);
    expect(r.report.tail?.bytes).toBe(3000);
    expect(statSync(seg).size).toBe(size);
  });

  it('removes a newest segment whose header was torn during rotation', async () => {
    const { dir, segs } = await makeLog(50, { maxSegmentBytes: 1024 });
    const last = path.join(dir, segs[segs.length - 1]);
    const before = (await replay(dir)).seqs;
    writeFileSync(
      path.join(dir, `wal-${String(segs.length + 1).padStart(10, '0')}.seg`),
      readFileSync(last).subarray(0, 20),
    );
    const r = await replay(dir);
    expect(r.seqs).toEqual(before);
    expect(r.report.tail).toMatchObject({ segmentRemoved: true, offset: 0, bytes: 20 });
  });
});

describe('recover: corruption stops start-up', () => {
  it.each([
    ['length', 4 + 1],
    ['checksum', 0],
    ['type', 20],
    ['payload', 26],
  ])(
    'one flipped bit in the %s of a middle record → CorruptionError naming file, offset, sequence; repair --force truncates',
    async (_f, byte) => {
      const { dir, seg, segs, offsets } = await makeLog(6);
      const b = readFileSync(seg);
      b[offsets[2] + byte] ^= 0x08;
      writeFileSync(seg, b);
      const err = (await replay(dir).catch((e) => e)) as CorruptionError;
      expect(err).toBeInstanceOf(CorruptionError);
      expect(err.message).toContain(segs[0]);
      expect(err.message).toContain(`byte offset ${offsets[2]}`);
      expect(err.message).toContain('sequence 3');
      expect(err.details).toMatchObject({ segment: segs[0], offset: offsets[2], sequence: 3 });
      // FileWal.open refuses too; the log is unchanged.
      await expect(FileWal.open({ dir })).rejects.toBeInstanceOf(CorruptionError);
      expect(readFileSync(seg)).toEqual(b);
      // Operator repair without --force refuses, with --force truncates at the bad record.
      expect(await persistenceCli(['repair', dir], silent)).toBe(1);
      expect(await persistenceCli(['persistence', 'repair', dir, '--force'], silent)).toBe(0);
      expect(existsSync(path.join(dir, `${segs[0]}.${offsets[2]}.corrupt`))).toBe(true);
      expect((await replay(dir)).seqs).toEqual([1, 2]);
    },
  );

  it('a length of 2^31 in the middle is corruption, in the last record a torn tail (no huge allocation)', async () => {
    const { dir, seg, offsets } = await makeLog(4);
    const b = readFileSync(seg);
    const mid = Buffer.from(b);
    mid.writeUInt32LE(2 ** 31, offsets[1] + 4);
    writeFileSync(seg, mid);
    await expect(replay(dir)).rejects.toThrow(/record length out of bounds/);
    const last = Buffer.from(b);
    last.writeUInt32LE(2 ** 31, offsets[3] + 4);
    writeFileSync(seg, last);
    const r = await replay(dir);
    expect(r.seqs).toEqual([1, 2, 3]);
    expect(r.report.tail?.reason).toMatch(/length out of bounds/);
  });

  it('detects a missing segment and swapped segments', async () => {
    const { dir, segs } = await makeLog(200, { maxSegmentBytes: 1024 });
    expect(segs.length).toBeGreaterThanOrEqual(4);
    const p = (n: string) => path.join(dir, n);
    renameSync(p(segs[1]), p('x'));
    renameSync(p(segs[2]), p(segs[1]));
    renameSync(p('x'), p(segs[2]));
    await expect(replay(dir)).rejects.toThrow(new RegExp(`${segs[1]}.*(swapped|file name)`));
    renameSync(p(segs[1]), p('x'));
    renameSync(p(segs[2]), p(segs[1]));
    renameSync(p('x'), p(segs[2]));
    expect((await replay(dir)).seqs).toEqual(range(1, 200));
    renameSync(p(segs[2]), p('aside'));
    const err = await replay(dir).catch((e) => e);
    expect(err).toBeInstanceOf(CorruptionError);
    expect(err.message).toMatch(/missing or reordered segment/);
    expect(err.message).toContain(segs[3]);
  });
});

describe('recover: snapshots', () => {
  it('uses the newest valid snapshot, replays later records exactly once and reports', async () => {
    const { dir } = await makeLog(30);
    const snapDir = dirs.make('snap-');
    const snaps = await FileSnapshotStore.open({ dir: snapDir, keep: 3 });
    await snaps.save({ lastSequence: 10, state: { sum: 55 } });
    await snaps.save({ lastSequence: 20, state: { sum: 210 } });
    // Corrupt the newest: recovery falls back to 10.
    const newest = path.join(snapDir, (await snaps.list())[0].source);
    const b = readFileSync(newest);
    b[b.length - 2] ^= 1;
    writeFileSync(newest, b);
    let restored: unknown = null;
    const applied: number[] = [];
    const { report, snapshot, wal } = await recover({
      walDir: dir,
      snapshots: snaps,
      restore: (s) => void (restored = s.state),
      apply: (r) => {
        expect(plain(r).value).toEqual({ i: r.sequence });
        applied.push(r.sequence);
      },
      open: { durability: 'group' },
    });
    expect(restored).toEqual({ sum: 55 });
    expect(snapshot?.lastSequence).toBe(10);
    expect(applied).toEqual(range(11, 30));
    expect(report).toMatchObject({
      snapshot: { lastSequence: 10 },
      recordsSkipped: 10,
      recordsReplayed: 20,
      replayedRange: { from: 11, to: 30 },
      lastSequence: 30,
      tail: null,
      segments: 1,
    });
    expect(report.skippedSnapshots[0].reason).toMatch(/checksum/);
    expect(await wal!.append('add', { i: 31 })).toBe(31);
    await wal!.close();
  });

  it('starts a new log after the snapshot when the WAL directory is empty', async () => {
    const snaps = await FileSnapshotStore.open({ dir: dirs.make('snap-') });
    await snaps.save({ lastSequence: 7, state: 'x' });
    const dir = dirs.make();
    const { report, wal } = await recover({
      walDir: dir,
      snapshots: snaps,
      apply: () => undefined,
      open: {},
    });
    expect(report.lastSequence).toBe(7);
    expect(await wal!.append('a', 1)).toBe(8);
    await wal!.close();
    const again = await replay(dir, snaps);
    expect(again.seqs).toEqual([8]);
  });
});

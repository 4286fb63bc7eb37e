import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { CorruptionError, PersistenceError, ValidationError } from '@trading/domain';
import { InMemorySnapshotStore } from '@trading/persistence/testing';
import { FileWal } from './file-wal';
import { FaultyWalFs } from './faulty-wal-fs';
import { recover } from './recover';
import { NodeWalFs } from './wal-fs';
import { plain, tempDirs, type PlainRecord } from './spec-helpers';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

async function readAll(dir: string): Promise<PlainRecord[]> {
  const out: PlainRecord[] = [];
  await recover({ walDir: dir, apply: (r) => void out.push(plain(r)) });
  return out;
}

describe('FileWal', () => {
  it.each(['fsync', 'group', 'none'] as const)(
    'appends and reads back records in %s mode',
    async (durability) => {
      const dir = dirs.make();
      const wal = await FileWal.open({ dir, durability });
      expect(wal.durability).toBe(durability);
      expect(await wal.append('a', { n: 1 })).toBe(1);
      expect(await wal.append('b', Uint8Array.of(7, 8))).toBe(2);
      expect(wal.lastSequence()).toBe(2);
      await wal.close();
      expect(wal.health()).toEqual({ status: 'closed' });
      await expect(wal.append('a', 1)).rejects.toThrow(/closed/);
      expect(await readAll(dir)).toEqual([
        { sequence: 1, type: 'a', value: { n: 1 } },
        { sequence: 2, type: 'b', value: [7, 8] },
      ]);
      const again = await FileWal.open({ dir });
      expect(again.lastSequence()).toBe(2);
      expect(await again.append('c', null)).toBe(3);
      await again.close();
      expect((await readAll(dir)).map((r) => r.sequence)).toEqual([1, 2, 3]);
    },
  );

  it('group-commits concurrent appends: fewer fsyncs than records, every promise resolves in order', async () => {
    const dir = dirs.make();
    const fs = new FaultyWalFs(new NodeWalFs());
    const wal = await FileWal.open({ dir, durability: 'group', fs });
    const syncsBefore = fs.syncs;
    const seqs = await Promise.all(
      Array.from({ length: 2000 }, (_, i) => wal.append('add', { i })),
    );
    expect(seqs).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
    expect(fs.syncs - syncsBefore).toBeLessThan(50);
    expect(fs.syncs - syncsBefore).toBeGreaterThan(0);
    await wal.close();
    expect((await readAll(dir)).length).toBe(2000);
  });

  it('grows its encoding arena for large concurrent records without corrupting in-flight batches', async () => {
    const dir = dirs.make();
    const wal = await FileWal.open({ dir, maxBatchBytes: 700_000 });
    const big = (i: number) => new Uint8Array(300_000).fill(i);
    const first = await Promise.all(
      Array.from({ length: 6 }, (_, i) => wal.append('blob', big(i))),
    );
    const second = await Promise.all(
      Array.from({ length: 6 }, (_, i) => wal.append('blob', big(10 + i))),
    );
    expect([...first, ...second]).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    await wal.close();
    const seen: number[] = [];
    await recover({
      walDir: dir,
      apply: (r) => void seen.push(r.payload[0] + (r.payload[299_999] === r.payload[0] ? 0 : 1000)),
    });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]);
  });

  it('fsync mode writes and syncs every record on its own', async () => {
    const dir = dirs.make();
    const fs = new FaultyWalFs(new NodeWalFs());
    const wal = await FileWal.open({ dir, durability: 'fsync', fs });
    const w0 = fs.writes;
    const s0 = fs.syncs;
    await Promise.all(Array.from({ length: 20 }, (_, i) => wal.append('add', i)));
    expect(fs.writes - w0).toBe(20);
    expect(fs.syncs - s0).toBe(20);
    await wal.close();
  });

  it('rotates segments by size, chains them, and compacts below a snapshot sequence', async () => {
    const dir = dirs.make();
    const wal = await FileWal.open({ dir, maxSegmentBytes: 2048 });
    for (let i = 1; i <= 200; i++) await wal.append('add', { i, pad: 'p'.repeat(20) });
    const segs = wal.segmentNames();
    expect(segs.length).toBeGreaterThan(3);
    for (const s of segs) expect(statSync(path.join(dir, s)).size).toBeLessThanOrEqual(2048 + 100);
    expect((await readAll(dir)).map((r) => r.sequence)).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    const removed = await wal.compact(120);
    expect(removed).toBeGreaterThan(0);
    expect(wal.segmentNames()).toHaveLength(segs.length - removed);
    expect(readdirSync(dir).filter((n) => n.endsWith('.seg'))).toEqual(wal.segmentNames());
    // Without a snapshot the compacted log is refused; with the snapshot through 120 it replays 121..200.
    await expect(readAll(dir)).rejects.toThrow(/records 1\.\.\d+ are missing/);
    const snapshots = new InMemorySnapshotStore();
    await snapshots.save({ lastSequence: 120, state: null });
    const rest: number[] = [];
    const { report } = await recover({
      walDir: dir,
      snapshots,
      apply: (r) => void rest.push(r.sequence),
    });
    expect(rest).toEqual(Array.from({ length: 80 }, (_, i) => 121 + i));
    expect(report.recordsSkipped).toBeGreaterThanOrEqual(0);
    expect(await wal.compact(10_000)).toBeGreaterThanOrEqual(0);
    expect(wal.segmentNames().length).toBeGreaterThanOrEqual(1);
    await wal.append('add', { i: 201 });
    await wal.close();
    await expect(recover({ walDir: dir, apply: () => undefined })).rejects.toThrow(CorruptionError); // no snapshot covers the compacted prefix
  });

  it('rejects invalid records without failing the store or consuming a sequence', async () => {
    const wal = await FileWal.open({ dir: dirs.make(), maxRecordBytes: 64 });
    await expect(wal.append('', 1)).rejects.toBeInstanceOf(ValidationError);
    await expect(wal.append('t', 'x'.repeat(100))).rejects.toThrow(/at most 64 bytes/);
    expect(await wal.append('t', 1)).toBe(1);
    expect(wal.health().status).toBe('open');
    await wal.close();
  });

  it('validates options', async () => {
    await expect(FileWal.open({ dir: '' })).rejects.toBeInstanceOf(ValidationError);
    await expect(
      FileWal.open({ dir: dirs.make(), durability: 'sometimes' as never }),
    ).rejects.toThrow(/durability/);
    await expect(FileWal.open({ dir: dirs.make(), maxRecordBytes: 2 ** 31 })).rejects.toThrow(
      /maxRecordBytes/,
    );
    await expect(FileWal.open({ dir: dirs.make(), maxSegmentBytes: 10 })).rejects.toThrow(
      /maxSegmentBytes/,
    );
    await expect(FileWal.open({ dir: dirs.make(), maxBatchBytes: 0 })).rejects.toThrow(
      /maxBatchBytes/,
    );
  });

  it('keeps a given WAL id for a new log and the stored one afterwards', async () => {
    const dir = dirs.make();
    const id = '0123456789abcdef0123456789abcdef';
    const wal = await FileWal.open({ dir, walId: id });
    expect(wal.id()).toBe(id);
    await wal.close();
    const again = await FileWal.open({ dir, walId: 'ffffffffffffffffffffffffffffffff' });
    expect(again.id()).toBe(id);
    await again.close();
    expect(existsSync(path.join(dir, 'wal-0000000001.seg'))).toBe(true);
  });
});

describe('FileWal fault injection (fail-stop)', () => {
  async function setup(durability: 'group' | 'fsync' = 'group') {
    const dir = dirs.make();
    const fs = new FaultyWalFs(new NodeWalFs());
    const wal = await FileWal.open({ dir, durability, fs });
    const failures: PersistenceError[] = [];
    wal.onFailure((e) => failures.push(e));
    return { dir, fs, wal, failures };
  }

  it.each([
    ['EIO', 0],
    ['ENOSPC', 0],
    ['ENOSPC', 25],
  ])(
    '%s on the Nth write (partial %i bytes): failing appends reject, later ones too, acknowledged ones survive',
    async (code, partialBytes) => {
      const { dir, fs, wal, failures } = await setup();
      const acked: number[] = [];
      for (let i = 1; i <= 5; i++) acked.push(await wal.append('add', { i }));
      fs.plan = { failWriteAt: fs.writes + 1, writeErrorCode: code, partialBytes };
      const batch = [wal.append('add', { i: 6 }), wal.append('add', { i: 7 })];
      for (const p of batch)
        await expect(p).rejects.toThrow(new RegExp(`WAL write failed \\(${code}\\)`));
      expect(wal.health().status).toBe('failed');
      expect(failures).toHaveLength(1);
      expect(failures[0]).toBeInstanceOf(PersistenceError);
      await expect(wal.append('add', { i: 8 })).rejects.toThrow(/has failed \(fail-stop\)/);
      await expect(wal.compact(1)).rejects.toBeInstanceOf(PersistenceError);
      expect(wal.lastSequence()).toBe(5);
      await wal.close();
      expect(wal.health().status).toBe('failed');
      const { report } = await recover({ walDir: dir, apply: () => undefined });
      expect(report.lastSequence).toBe(5);
      expect(report.tail === null).toBe(partialBytes === 0);
    },
  );

  it.each(['EIO', 'ENOSPC'])(
    '%s on the Nth fsync: nothing of that batch is acknowledged; the store fails',
    async (code) => {
      const { dir, fs, wal, failures } = await setup();
      for (let i = 1; i <= 3; i++) await wal.append('add', { i });
      fs.plan = { failSyncAt: fs.syncs + 1, syncErrorCode: code };
      const resolved: number[] = [];
      const ps = [4, 5, 6].map((i) => wal.append('add', { i }).then((s) => void resolved.push(s)));
      const results = await Promise.allSettled(ps);
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
      expect(resolved).toEqual([]);
      expect(failures[0].message).toContain(code);
      expect(wal.lastSequence()).toBe(3);
      await wal.close();
      // The written-but-unsynced batch may or may not be on disk: the log is a prefix that holds every acked record.
      const seqs: number[] = [];
      await recover({ walDir: dir, apply: (r) => void seqs.push(r.sequence) });
      expect(seqs.slice(0, 3)).toEqual([1, 2, 3]);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    },
  );

  it('fails when a segment cannot be created during rotation', async () => {
    const dir = dirs.make();
    const fs = new FaultyWalFs(new NodeWalFs());
    const wal = await FileWal.open({ dir, fs, maxSegmentBytes: 1024 });
    for (let i = 0; i < 10; i++) await wal.append('add', { i, pad: 'x'.repeat(50) });
    fs.plan = { failAllWritesFrom: fs.writes + 1 };
    const all = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => wal.append('add', { i, pad: 'x'.repeat(50) })),
    );
    expect(all.some((r) => r.status === 'rejected')).toBe(true);
    expect(wal.health().status).toBe('failed');
    await wal.close();
    const { report } = await recover({ walDir: dir, apply: () => undefined });
    expect(report.lastSequence).toBe(wal.lastSequence());
  });

  it('treats a throwing hook as a failure and tells every listener even if one throws', async () => {
    const dir = dirs.make();
    const wal = await FileWal.open({
      dir,
      hooks: {
        afterSync: (info) => {
          if (info.lastSequence >= 2) throw new Error('boom');
        },
      },
    });
    const seen: string[] = [];
    wal.onFailure(() => {
      throw new Error('listener bug');
    });
    const off = wal.onFailure((e) => seen.push(e.message));
    expect(await wal.append('a', 1)).toBe(1);
    await expect(wal.append('a', 2)).rejects.toThrow(/boom/);
    expect(seen).toHaveLength(1);
    off();
    await wal.close();
  });

  it('close waits for queued appends', async () => {
    const wal = await FileWal.open({ dir: dirs.make() });
    const ps = Array.from({ length: 100 }, (_, i) => wal.append('a', i));
    await wal.close();
    expect(await Promise.all(ps)).toHaveLength(100);
    expect(wal.lastSequence()).toBe(100);
  });
});

describe('FileWal pipelined group commit (maxSyncsInFlight)', () => {
  /** A WalFs whose fdatasync calls wait until the test releases them (in any order). */
  class GatedSyncFs extends NodeWalFs {
    readonly gates: { release: (error?: Error) => void }[] = [];
    gate = false;
    override async open(file: string, mode: 'existing' | 'create') {
      const f = await super.open(file, mode);
      const gates = this.gates;
      return {
        write: (b: Uint8Array, o: number, l: number, p: number) => f.write(b, o, l, p),
        datasync: async () => {
          if (!this.gate) return f.datasync();
          await new Promise<void>((resolve, reject) =>
            gates.push({ release: (e?: Error) => (e ? reject(e) : resolve()) }),
          );
          return f.datasync();
        },
        sync: () => f.sync(),
        truncate: (n: number) => f.truncate(n),
        close: () => f.close(),
      };
    }
  }
  const tick = () => new Promise((r) => setTimeout(r, 20));

  it('writes the next batch while a sync is in flight and acknowledges strictly in log order', async () => {
    const fs = new GatedSyncFs();
    const wal = await FileWal.open({ dir: dirs.make(), durability: 'group', fs });
    fs.gate = true;
    const acked: number[] = [];
    const first = wal.append('a', 1).then((s) => acked.push(s));
    await tick();
    const second = wal.append('a', 2).then((s) => acked.push(s));
    await tick();
    // Two syncs in flight at once; a third batch must wait for a slot.
    expect(fs.gates).toHaveLength(2);
    const third = wal.append('a', 3).then((s) => acked.push(s));
    await tick();
    expect(fs.gates).toHaveLength(2);
    // The second batch's sync finishes first: nothing is acknowledged before the first is durable.
    fs.gates[1].release();
    await tick();
    expect(acked).toEqual([]);
    expect(wal.lastSequence()).toBe(0);
    fs.gates[0].release();
    await Promise.all([first, second]);
    expect(acked).toEqual([1, 2]);
    expect(wal.lastSequence()).toBe(2);
    await tick();
    expect(fs.gates).toHaveLength(3);
    fs.gates[2].release();
    await third;
    expect(acked).toEqual([1, 2, 3]);
    await wal.close();
  });

  it('a failed earlier sync rejects a later batch whose own sync succeeded (no hole is ever acknowledged)', async () => {
    const fs = new GatedSyncFs();
    const dir = dirs.make();
    const wal = await FileWal.open({ dir, durability: 'group', fs });
    expect(await wal.append('a', 0)).toBe(1);
    fs.gate = true;
    const first = wal.append('a', 1);
    await tick();
    const second = wal.append('a', 2);
    await tick();
    fs.gates[1].release();
    await tick();
    fs.gates[0].release(Object.assign(new Error('disk gone'), { code: 'EIO' }));
    await expect(first).rejects.toThrow(/WAL write failed \(EIO\)/);
    await expect(second).rejects.toThrow(/WAL write failed \(EIO\)/);
    expect(wal.health().status).toBe('failed');
    expect(wal.lastSequence()).toBe(1);
    await wal.close();
  });

  it('fsync mode and maxSyncsInFlight 1 keep one sync in flight', async () => {
    for (const opts of [{ durability: 'fsync' as const }, { maxSyncsInFlight: 1 }]) {
      const fs = new GatedSyncFs();
      const wal = await FileWal.open({ dir: dirs.make(), fs, ...opts });
      fs.gate = true;
      const a = wal.append('a', 1);
      await tick();
      const b = wal.append('a', 2);
      await tick();
      expect(fs.gates).toHaveLength(1);
      fs.gates[0].release();
      await a;
      await tick();
      expect(fs.gates).toHaveLength(2);
      fs.gates[1].release();
      expect(await b).toBe(2);
      await wal.close();
    }
  });

  it('rejects a bad maxSyncsInFlight naming the field', async () => {
    await expect(FileWal.open({ dir: dirs.make(), maxSyncsInFlight: 0 })).rejects.toThrow(
      /wal\.maxSyncsInFlight/,
    );
  });
});

import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PersistenceError, ValidationError } from '@trading/domain';
import { FileSnapshotStore, type SnapshotStep } from './file-snapshot-store';
import { FaultyWalFs } from './faulty-wal-fs';
import { NodeWalFs } from './wal-fs';
import { tempDirs } from './spec-helpers';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

describe('FileSnapshotStore', () => {
  it('saves atomically, keeps the last N and loads the newest', async () => {
    const dir = dirs.make('snap-');
    const s = await FileSnapshotStore.open({ dir, keep: 3 });
    expect(await s.loadLatest()).toBeNull();
    for (let i = 1; i <= 5; i++)
      await s.save({ lastSequence: i * 10, state: { i }, takenAt: 1000 + i });
    expect((await s.list()).map((x) => x.lastSequence)).toEqual([50, 40, 30]);
    expect(readdirSync(dir).sort()).toHaveLength(3);
    expect(await s.loadLatest()).toMatchObject({
      snapshot: { lastSequence: 50, state: { i: 5 }, takenAt: 1005 },
      skipped: [],
    });
  });

  it('removes leftover temp files at open and falls back past corrupt or mislabelled snapshots', async () => {
    const dir = dirs.make('snap-');
    const s = await FileSnapshotStore.open({ dir });
    await s.save({ lastSequence: 1, state: 'one' });
    await s.save({ lastSequence: 2, state: 'two' });
    writeFileSync(path.join(dir, 'snapshot-00000000000000000003.snap.tmp'), 'half');
    writeFileSync(path.join(dir, 'snapshot-00000000000000000004.snap'), 'garbage');
    // A valid snapshot file renamed to a higher sequence.
    const s2 = await FileSnapshotStore.open({ dir });
    expect(s2.tempFilesRemoved).toEqual(['snapshot-00000000000000000003.snap.tmp']);
    expect(existsSync(path.join(dir, 'snapshot-00000000000000000003.snap.tmp'))).toBe(false);
    const loaded = await s2.loadLatest();
    expect(loaded?.snapshot.state).toBe('two');
    expect(loaded?.skipped).toEqual([
      {
        source: 'snapshot-00000000000000000004.snap',
        reason: expect.stringMatching(/shorter|magic/),
      },
    ]);
    const { readFileSync } = await import('node:fs');
    writeFileSync(
      path.join(dir, 'snapshot-00000000000000000009.snap'),
      readFileSync(path.join(dir, 'snapshot-00000000000000000002.snap')),
    );
    expect((await s2.loadLatest())?.skipped[0].reason).toMatch(/file name says sequence 9/);
  });

  it.each<SnapshotStep>([
    'beforeTempWrite',
    'afterTempWrite',
    'afterTempSync',
    'afterRename',
    'afterDirSync',
  ])('a failure at %s leaves a loadable snapshot (old or new) and no temp file', async (failAt) => {
    const dir = dirs.make('snap-');
    const ok = await FileSnapshotStore.open({ dir });
    await ok.save({ lastSequence: 1, state: 'old' });
    const s = await FileSnapshotStore.open({
      dir,
      onStep: (step) => {
        if (step === failAt) throw new Error(`crash at ${step}`);
      },
    });
    await expect(s.save({ lastSequence: 2, state: 'new' })).rejects.toBeInstanceOf(
      PersistenceError,
    );
    const reopened = await FileSnapshotStore.open({ dir });
    const expected = failAt === 'afterRename' || failAt === 'afterDirSync' ? 'new' : 'old';
    expect((await reopened.loadLatest())?.snapshot.state).toBe(expected);
    expect(readdirSync(dir).some((n) => n.endsWith('.tmp'))).toBe(false);
  });

  it('reports EIO on the temp file fsync as a PersistenceError and keeps the old snapshot', async () => {
    const dir = dirs.make('snap-');
    const fs = new FaultyWalFs(new NodeWalFs());
    const s = await FileSnapshotStore.open({ dir, fs });
    await s.save({ lastSequence: 1, state: 'old' });
    fs.plan = { failSyncAt: fs.syncs + 1 };
    await expect(s.save({ lastSequence: 2, state: 'new' })).rejects.toThrow(
      /could not be saved.*EIO/,
    );
    expect((await s.loadLatest())?.snapshot.state).toBe('old');
  });

  it('validates keep', async () => {
    await expect(FileSnapshotStore.open({ dir: dirs.make(), keep: 0 })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Container } from 'inversify';
import { PERSISTENCE_TOKENS } from '@trading/persistence';
import { InMemorySnapshotStore, InMemoryStateStore } from '@trading/persistence/testing';
import { persistenceCli } from './cli';
import { FileWal } from './file-wal';
import { filePersistenceModule } from './file-persistence.module';
import { inspectWal, repairWal } from './repair';
import { tempDirs } from './spec-helpers';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (l: string) => void out.push(l), err: (l: string) => void err.push(l) },
    out,
    err,
  };
}

async function log(n: number) {
  const dir = dirs.make();
  const wal = await FileWal.open({ dir, durability: 'none' });
  for (let i = 0; i < n; i++) await wal.append('x', i);
  await wal.close();
  return { dir, seg: path.join(dir, 'wal-0000000001.seg') };
}

describe('persistenceCli', () => {
  it('prints usage for bad arguments', async () => {
    const c = capture();
    expect(await persistenceCli([], c.io)).toBe(1);
    expect(await persistenceCli(['inspect'], c.io)).toBe(1);
    expect(await persistenceCli(['repair', 'd', '--yes'], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/usage: persistence inspect/);
  });

  it('inspects a clean log, a torn tail and corruption with distinct exit codes', async () => {
    const { dir, seg } = await log(3);
    let c = capture();
    expect(await persistenceCli(['inspect', dir], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(
      /wal-0000000001.seg .*3 records\s+first 1\s+last 3[\s\S]*status: clean/,
    );
    appendFileSync(seg, Buffer.alloc(10));
    c = capture();
    expect(await persistenceCli(['inspect', dir], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/torn tail of 10 bytes/);
    const b = readFileSync(seg);
    b[64 + 25] ^= 1;
    writeFileSync(seg, b);
    c = capture();
    expect(await persistenceCli(['inspect', dir], c.io)).toBe(2);
    expect(c.out.join('\n')).toMatch(
      /CORRUPTION in wal-0000000001.seg at byte offset 86 \(sequence 2\): record checksum mismatch; a valid record \(sequence 3\) follows/,
    );
    expect((await inspectWal(dir)).problem?.kind).toBe('corruption');
  });

  it('repair reports a clean log, refuses without --force, truncates with it', async () => {
    const { dir, seg } = await log(3);
    let c = capture();
    expect(await persistenceCli(['repair', dir, '--force'], c.io)).toBe(0);
    expect(c.out[0]).toMatch(/clean/);
    appendFileSync(seg, Buffer.alloc(5));
    c = capture();
    expect(await persistenceCli(['repair', dir], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/refusing without --force/);
    c = capture();
    expect(await persistenceCli(['repair', dir, '--force'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/saved to wal-0000000001.seg.\d+.torn/);
    expect((await repairWal(dir)).applied).toBe(false);
  });

  it('reports errors with exit code 3', async () => {
    const c = capture();
    const failingFs = { readdir: async () => Promise.reject(new Error('EACCES')) } as never;
    expect(await persistenceCli(['inspect', '/nope'], { ...c.io, fs: failingFs })).toBe(3);
    expect(c.err[0]).toMatch(/EACCES/);
  });
});

describe('filePersistenceModule', () => {
  it('binds the stores to the persistence tokens', async () => {
    const stateStore = new InMemoryStateStore();
    const snapshotStore = new InMemorySnapshotStore();
    const c = new Container();
    await c.load(filePersistenceModule({ stateStore, snapshotStore }));
    expect(c.get(PERSISTENCE_TOKENS.StateStore)).toBe(stateStore);
    expect(c.get(PERSISTENCE_TOKENS.SnapshotStore)).toBe(snapshotStore);
    const c2 = new Container();
    await c2.load(filePersistenceModule({ stateStore }));
    expect(c2.isBound(PERSISTENCE_TOKENS.SnapshotStore)).toBe(false);
  });
});

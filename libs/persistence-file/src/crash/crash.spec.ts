/**
 * Crash test: a child process appends with group commit and reports acknowledged sequences on stdout;
 * it is SIGKILLed at random moments and at each crash hook (before write, mid-write, after write
 * before fsync, after fsync before acknowledgement, and at each step of a snapshot save). After every
 * kill, recovery must yield a log that is a prefix of what was written, holds every acknowledged
 * record, and rebuilds the same state as a model replay. CRASH_ITERATIONS (default 20) sets the kills.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { FileSnapshotStore } from '../lib/file-snapshot-store';
import { recover } from '../lib/recover';
import { tempDirs } from '../lib/spec-helpers';
import {
  applyPayload,
  emptyModel,
  modelThrough,
  payloadFor,
  type CrashModel,
  type CrashPayload,
} from './crash-model';
import type { CrashPoint } from './crash-child';
import { buildCrashChild } from './crash-build';

const ITERATIONS = Number(process.env.CRASH_ITERATIONS ?? 20);
const ROOT = path.resolve(__dirname, '../../../..');
let launcher = '';

const POINTS: CrashPoint[] = [
  'random',
  'beforeWrite',
  'midWrite',
  'afterWrite',
  'afterSync',
  'random',
  'snapshot:beforeTempWrite',
  'snapshot:midTempWrite',
  'snapshot:afterTempWrite',
  'snapshot:afterTempSync',
  'snapshot:afterRename',
  'snapshot:afterDirSync',
];

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ChildRun {
  acked: number[];
  ready: number;
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

function runChild(cfg: object, killAfterMs: number | null): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [launcher], {
      cwd: ROOT,
      env: { ...process.env, CRASH_CFG: JSON.stringify(cfg) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: ChildRun = { acked: [], ready: -1, signal: null, code: null, stderr: '' };
    let buf = '';
    let timer: NodeJS.Timeout | null = null;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('ACK ')) run.acked.push(Number(line.slice(4)));
        else if (line.startsWith('READY ')) {
          run.ready = Number(line.slice(6));
          if (killAfterMs !== null) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        }
      }
    });
    child.stderr.on('data', (c) => (run.stderr += String(c)));
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      clearTimeout(guard);
      run.code = code;
      run.signal = signal;
      resolve(run);
    });
  });
}

describe(`crash test (${ITERATIONS} SIGKILLs)`, () => {
  const dirs = tempDirs();
  beforeAll(() => {
    launcher = buildCrashChild(ROOT, dirs.make('crash-build-'));
  });
  afterAll(() => dirs.cleanup());

  it(
    'after every kill the log is a prefix of what was written, holds every acknowledged record, and the state equals a model replay',
    async () => {
      const walDir = dirs.make('crash-wal-');
      const snapDir = dirs.make('crash-snap-');
      const random = rng(0xc0ffee);
      let maxAcked = 0;
      let killed = 0;
      const byPoint = new Map<string, number>();
      for (let i = 0; i < ITERATIONS; i++) {
        const point = POINTS[i % POINTS.length];
        const isSnapshot = point.startsWith('snapshot:');
        const cfg = {
          walDir,
          snapDir,
          point,
          at: isSnapshot ? 1 : 1 + Math.floor(random() * 20),
          appends: 3000,
          concurrency: 1 + Math.floor(random() * 64),
          snapshotEvery: isSnapshot ? 50 : 200 + Math.floor(random() * 300),
        };
        const run = await runChild(cfg, point === 'random' ? 5 + Math.floor(random() * 150) : null);
        if (run.code === 3 || run.ready < 0)
          throw new Error(`child failed (iteration ${i}, ${point}): ${run.stderr}`);
        if (run.signal === 'SIGKILL') killed++;
        byPoint.set(point, (byPoint.get(point) ?? 0) + (run.signal === 'SIGKILL' ? 1 : 0));
        // Everything acknowledged in earlier runs and this one must survive.
        expect(run.ready).toBeGreaterThanOrEqual(maxAcked);
        if (run.acked.length > 0) maxAcked = Math.max(maxAcked, run.acked[run.acked.length - 1]);
        expect(run.acked).toEqual(
          Array.from({ length: run.acked.length }, (_, k) => run.ready + 1 + k),
        );

        const snapshots = await FileSnapshotStore.open({ dir: snapDir });
        expect(readdirSync(snapDir).some((n) => n.endsWith('.tmp'))).toBe(false);
        let state: CrashModel = emptyModel();
        const replayed: number[] = [];
        const { report } = await recover({
          walDir,
          snapshots,
          restore: (s) => void (state = s.state as CrashModel),
          apply: (r) => {
            const p = r.json<CrashPayload>();
            // Prefix of what was written: record s carries exactly payloadFor(s).
            expect(p).toEqual(payloadFor(r.sequence));
            replayed.push(r.sequence);
            applyPayload(state, p);
          },
        });
        expect(report.lastSequence).toBeGreaterThanOrEqual(maxAcked);
        const from = (report.snapshot?.lastSequence ?? 0) + 1;
        expect(replayed).toEqual(
          Array.from({ length: report.lastSequence - from + 1 }, (_, k) => from + k),
        );
        expect(state).toEqual(modelThrough(report.lastSequence));
      }
      // The hooks really killed the child (not just normal exits).
      expect(killed).toBeGreaterThanOrEqual(Math.floor(ITERATIONS * 0.8));
      expect(maxAcked).toBeGreaterThan(0);
    },
    Math.max(60_000, ITERATIONS * 5_000),
  );
});

/**
 * WAL benchmarks: group-commit throughput, paced append-to-ack latency, recovery of a snapshot plus
 * 1,000,000 records. Data lives under os.tmpdir() and is removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileSnapshotStore, FileWal, recover } from '@trading/persistence-file';
import { BenchResult, percentile } from './harness';

const now = () => Number(process.hrtime.bigint()) / 1e6;
/** User+system CPU ms of this process (load-independent companion figure on a busy machine). */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function record(i: number) {
  // ~150 bytes of JSON, like a fill/order event.
  return {
    id: `ord-${i}`,
    sym: 'AAPL',
    side: i % 2 ? 'buy' : 'sell',
    qty: String(100 + (i % 50)),
    px: '187.2500',
    ts: 1_700_000_000_000 + i,
    venue: 'SIM',
    note: 'x'.repeat(30),
  };
}

async function groupThroughput(dir: string): Promise<{ perSec: number; perCpuSec: number }> {
  const wal = await FileWal.open({ dir, durability: 'group' });
  const total = 300_000;
  const inFlight = 8_000;
  let issued = 0;
  const t0 = now();
  const c0 = cpu();
  await new Promise<void>((resolve, reject) => {
    let done = 0;
    const issue = () => {
      const i = issued++;
      wal.append('bench.fill', record(i)).then(() => {
        done++;
        if (issued < total) issue();
        else if (done === total) resolve();
      }, reject);
    };
    for (let k = 0; k < inFlight; k++) issue();
  });
  const ms = now() - t0;
  const cpuMs = cpu() - c0;
  await wal.close();
  return { perSec: Math.round(total / (ms / 1000)), perCpuSec: Math.round(total / (cpuMs / 1000)) };
}

async function pacedLatency(dir: string, ratePerSec: number, seconds: number): Promise<number[]> {
  const wal = await FileWal.open({ dir, durability: 'group' });
  const total = Math.round(ratePerSec * seconds);
  // Preallocated bookkeeping: the benchmark itself must not keep thousands of promises alive (that
  // turns every young-generation GC into a multi-millisecond copy and measures the harness).
  const lat = new Float64Array(total);
  const t0 = now();
  let sent = 0;
  let done = 0;
  await new Promise<void>((resolve, reject) => {
    const ack = (start: number, i: number) => () => {
      lat[i] = now() - start;
      if (++done === total) resolve();
    };
    // Tick every 1 ms and send whatever the schedule says is due (open-loop load).
    const tick = () => {
      const due = Math.min(total, Math.floor(((now() - t0) / 1000) * ratePerSec));
      while (sent < due) {
        const i = sent++;
        wal.append('bench.fill', record(i)).then(ack(now(), i), reject);
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  await wal.close();
  return Array.from(lat);
}

async function writeLog(dir: string, snapDir: string, records: number): Promise<FileSnapshotStore> {
  const wal = await FileWal.open({ dir, durability: 'none', maxBatchBytes: 8 * 1024 * 1024 });
  const chunk = 50_000;
  for (let base = 0; base < records + 1000; base += chunk) {
    await Promise.all(
      Array.from({ length: chunk }, (_, k) => wal.append('bench.fill', record(base + k))),
    );
  }
  await wal.close();
  const snaps = await FileSnapshotStore.open({ dir: snapDir });
  await snaps.save({
    lastSequence: 1000,
    state: { positions: { AAPL: '1000' }, cash: '100000.00' },
  });
  return snaps;
}

/** Recovers (snapshot + every later record); `decodeJson` parses each payload as an engine would. */
async function recovery(
  dir: string,
  snaps: FileSnapshotStore,
  decodeJson: boolean,
): Promise<{ ms: number; cpuMs: number; replayed: number }> {
  const t0 = now();
  const c0 = cpu();
  let sum = 0;
  const { report } = await recover({
    walDir: dir,
    snapshots: snaps,
    apply: decodeJson
      ? (r) => {
          sum += (r.json() as { ts: number }).ts & 1;
        }
      : (r) => {
          sum += r.payload.length + r.type.length;
        },
  });
  const ms = now() - t0;
  const cpuMs = cpu() - c0;
  if (sum < 0) console.log(sum);
  return { ms, cpuMs, replayed: report.recordsReplayed };
}

export async function run(): Promise<BenchResult[]> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'wal-bench-'));
  try {
    const results: BenchResult[] = [];
    // Latency first, in a fresh process heap; the append path is warmed up by a short discarded run.
    await pacedLatency(path.join(root, 'lat-warmup'), 10_000, 0.5);
    (globalThis as { gc?: () => void }).gc?.();
    const lat = await pacedLatency(path.join(root, 'lat'), 10_000, 5);
    results.push({
      name: 'wal: append→ack p50 at 10k records/s (group)',
      value: percentile(lat, 50),
      unit: 'ms',
      goal: null,
      better: 'lower',
    });
    results.push({
      name: 'wal: append→ack p99 at 10k records/s (group)',
      value: percentile(lat, 99),
      unit: 'ms',
      goal: 5,
      better: 'lower',
    });
    const tput = await groupThroughput(path.join(root, 'tput'));
    results.push({
      name: 'wal: group commit durable appends (~150 B, 8k in flight)',
      value: tput.perSec,
      unit: 'records/s',
      goal: 150_000,
      better: 'higher',
    });
    results.push({
      name: 'wal: group commit appends per CPU-second (load-independent)',
      value: tput.perCpuSec,
      unit: 'records/cpu-s',
      goal: null,
      better: 'higher',
    });
    const snaps = await writeLog(path.join(root, 'rec'), path.join(root, 'snap'), 1_000_000);
    const raw = await recovery(path.join(root, 'rec'), snaps, false);
    results.push({
      name: `wal: recover snapshot + ${raw.replayed.toLocaleString('en-US')} records (read+verify+replay)`,
      value: raw.ms,
      unit: 'ms',
      goal: 1000,
      better: 'lower',
    });
    results.push({
      name: 'wal: recovery CPU time, raw (load-independent)',
      value: raw.cpuMs,
      unit: 'cpu ms',
      goal: null,
      better: 'lower',
    });
    const json = await recovery(path.join(root, 'rec'), snaps, true);
    results.push({
      // Informational: the engine's restart (recovery.bench.ts) is bounded by the checkpoint cadence.
      name: 'wal: same recovery, apply parses every JSON payload',
      value: json.ms,
      unit: 'ms',
      goal: null,
      better: 'lower',
    });
    results.push({
      name: 'wal: recovery CPU time, JSON (load-independent)',
      value: json.cpuMs,
      unit: 'cpu ms',
      goal: null,
      better: 'lower',
    });
    return results;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

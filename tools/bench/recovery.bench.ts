/**
 * Engine recovery benchmark: a live-wired kernel (FileWal journal, file snapshots, the default
 * KernelCheckpointer cadence) trades an order every bar until the log holds the worst case a crash
 * can leave: a snapshot plus a full cadence of records (the next checkpoint would be due). Then a
 * restart is timed: `recover(...)` (snapshot load, WAL scan and verify) + `restoreKernel(...)`
 * (JSON payloads decoded, every order event re-applied). Data lives under os.tmpdir().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SimulatedClock } from '@trading/clock';
import { SimulatedExchange } from '@trading/brokers';
import { Bar, MS, strategyId } from '@trading/domain';
import { testEquity } from '@trading/domain/testing';
import {
  DEFAULT_CHECKPOINT_EVERY_RECORDS,
  JournalRecord,
  journalRecordOf,
  KernelCheckpointer,
  KernelSnapshot,
  restoreKernel,
  stateStoreJournal,
  Strategy,
} from '@trading/engine';
import { wireTestKernel } from '@trading/engine/testing';
import { FileSnapshotStore, FileWal, recover } from '@trading/persistence-file';
import type { Snapshot } from '@trading/persistence';
import { BenchResult } from './harness';

const now = () => Number(process.hrtime.bigint()) / 1e6;
const inst = testEquity('RCV');
const T0 = Date.UTC(2024, 0, 2, 14, 30);

/** An order every bar, alternating buy/sell one share (market, filled at the next bar's open). */
function strategy(): Strategy {
  let n = 0;
  return {
    id: strategyId('RC'),
    instruments: [inst.id],
    onBar(b, ctx) {
      n++;
      ctx.submit({ instrumentId: b.instrumentId, side: n % 2 ? 'BUY' : 'SELL', quantity: 1 });
    },
  };
}

/** Trades until `checkpoints` checkpoints were taken and the tail after the last one is a full cadence. */
async function writeLive(walDir: string, snapDir: string, checkpoints: number) {
  const clock = new SimulatedClock(T0);
  const exchange = new SimulatedExchange({ clock, instruments: [inst] });
  const wal = await FileWal.open({ dir: walDir, durability: 'none' });
  const snapshots = await FileSnapshotStore.open({ dir: snapDir });
  const journal = stateStoreJournal(wal);
  const kernel = wireTestKernel({
    clock,
    broker: exchange,
    instruments: [inst],
    strategies: [strategy()],
    startingCash: '1000000',
    journal,
  });
  const checkpointer = new KernelCheckpointer({ kernel, journal, snapshots, clock });
  kernel.start();
  let taken = 0;
  let lastCheckpoint = 0;
  for (let i = 1; ; i++) {
    const t = T0 + i * MS.MINUTE;
    clock.advanceTo(t);
    const px = 100 + (i % 13) * 0.05;
    const bar: Bar = {
      instrumentId: inst.id,
      ts: t,
      open: px,
      high: px + 0.1,
      low: px - 0.1,
      close: px,
      volume: 1e6,
    };
    exchange.processBar(bar);
    kernel.onBar(bar);
    if (i % 64 === 0) await journal.settled();
    if (taken < checkpoints) {
      const r = await checkpointer.maybeCheckpoint();
      if (r) {
        taken++;
        lastCheckpoint = r.lastSequence;
      }
    } else if (journal.appended - lastCheckpoint >= DEFAULT_CHECKPOINT_EVERY_RECORDS - 4) break;
  }
  const last = await journal.settled();
  await wal.close();
  return { snapshots, lastCheckpoint, last };
}

async function restart(walDir: string, snapDir: string) {
  const t0 = now();
  const snapshots = await FileSnapshotStore.open({ dir: snapDir });
  const records: JournalRecord[] = [];
  let snap: Snapshot | null = null;
  const { report } = await recover({
    walDir,
    snapshots,
    restore: (s) => void (snap = s),
    apply: (r) => void records.push(journalRecordOf(r)),
  });
  const t1 = now();
  const s = snap as Snapshot | null;
  const clock = new SimulatedClock(T0 + 365 * MS.DAY);
  const restored = restoreKernel({
    snapshot: s ? (s.state as unknown as KernelSnapshot) : null,
    snapshotSequence: s?.lastSequence ?? 0,
    records,
    deps: {
      clock,
      broker: new SimulatedExchange({ clock, instruments: [inst] }),
      instruments: [inst],
      strategies: [strategy()],
      portfolio: { startingCash: '1000000' },
      risk: {},
    },
  });
  const t2 = now();
  return { ms: t2 - t0, scanMs: t1 - t0, rebuildMs: t2 - t1, report, restored };
}

export async function run(): Promise<BenchResult[]> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'recovery-bench-'));
  try {
    const walDir = path.join(root, 'wal');
    const snapDir = path.join(root, 'snap');
    const live = await writeLive(walDir, snapDir, 2);
    await restart(walDir, snapDir); // warm-up (JIT), same work
    const best = [];
    for (let k = 0; k < 3; k++) best.push(await restart(walDir, snapDir));
    best.sort((a, b) => a.ms - b.ms);
    const r = best[1]; // median of three
    const replayed = r.restored.report.recordsReplayed;
    if (
      r.report.snapshot?.lastSequence !== live.lastCheckpoint ||
      r.restored.report.lastSequence !== live.last
    )
      throw new Error(
        `recovery bench: restored ${JSON.stringify(r.report)} does not match the live run`,
      );
    return [
      {
        name: `engine: restart at the default checkpoint cadence (snapshot + ${replayed.toLocaleString('en-US')} records, kernel rebuilt)`,
        value: r.ms,
        unit: 'ms',
        goal: 1000,
        better: 'lower',
      },
      {
        name: 'engine: of which snapshot load + WAL scan + JSON decode',
        value: r.scanMs,
        unit: 'ms',
        goal: null,
        better: 'lower',
      },
      {
        name: 'engine: kernel rebuild rate (order events re-applied)',
        value: Math.round(replayed / (r.rebuildMs / 1000)),
        unit: 'records/s',
        goal: null,
        better: 'higher',
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

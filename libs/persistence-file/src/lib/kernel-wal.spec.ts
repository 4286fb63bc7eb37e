/**
 * Integration: the trading kernel journaling to a FileWal (through stateStoreJournal), file
 * snapshots, then `recover(...)` + `restoreKernel(...)` rebuilding the same state; a torn tail
 * (crash during a write) loses only unacknowledged records.
 */
import { readdirSync, statSync, truncateSync } from 'node:fs';
import * as path from 'node:path';
import { Bar, ClientOrderId, Instrument, localToUtc, MS, strategyId } from '@trading/domain';
import { testEquity } from '@trading/domain/testing';
import { SimulatedClock } from '@trading/clock';
import { SimulatedExchange } from '@trading/brokers';
import {
  JournalRecord,
  journalRecordOf,
  CheckpointPolicy,
  CheckpointResult,
  KernelCheckpointer,
  KernelRecoveryDeps,
  KernelSnapshot,
  restoreKernel,
  stateStoreJournal,
  StateStoreJournal,
  Strategy,
  StrategyContext,
  TradingKernel,
} from '@trading/engine';
import { wireTestKernel } from '@trading/engine/testing';
import type { Snapshot, WalJsonValue } from '@trading/persistence';
import { RiskConfigInput } from '@trading/risk';
import { FileSnapshotStore } from './file-snapshot-store';
import { FileWal } from './file-wal';
import { recover } from './recover';
import { tempDirs } from './spec-helpers';

const T0 = localToUtc('2024-03-04T16:00:00', 'America/New_York');
const RISK: RiskConfigInput = { maxOrderQuantity: 1000, maxOrdersPerSecond: 5 };
const dirs = tempDirs();
afterAll(() => dirs.cleanup());

/** Buys on odd bars, sells one on even bars, a bracket on bar 3, a resting limit order on bar 5. */
function strategy(inst: Instrument): Strategy {
  let n = 0;
  return {
    id: strategyId('FW'),
    instruments: [inst.id],
    onBar(b: Bar, ctx: StrategyContext) {
      n++;
      if (n === 3)
        ctx.submitBracket({
          instrumentId: b.instrumentId,
          side: 'BUY',
          quantity: 2,
          takeProfitPrice: '40.00',
          stopLossPrice: '2.00',
        });
      else if (n === 5)
        ctx.submit({
          instrumentId: b.instrumentId,
          side: 'BUY',
          quantity: 1,
          type: 'LIMIT',
          limitPrice: '1.00',
        });
      else
        ctx.submit({
          instrumentId: b.instrumentId,
          side: n % 2 ? 'BUY' : 'SELL',
          quantity: n % 2 ? 3 : 1,
        });
    },
  };
}

function deps(inst: Instrument): KernelRecoveryDeps {
  const clock = new SimulatedClock(T0 + 100 * MS.DAY);
  return {
    clock,
    broker: new SimulatedExchange({ clock, instruments: [inst] }),
    instruments: [inst],
    strategies: [strategy(inst)],
    portfolio: { startingCash: '50000' },
    risk: RISK,
  };
}

/** Waits until every record is durable and the kernel sent what it had queued behind intents. */
async function quiesce(journal: StateStoreJournal): Promise<number> {
  for (;;) {
    const seq = await journal.settled();
    await new Promise((r) => setImmediate(r));
    if ((await journal.settled()) === seq) return seq;
  }
}

/** Runs a live kernel on a FileWal for `bars` bars, saving a file snapshot after bar `snapshotAt`. */
async function runLive(
  durability: 'none' | 'group',
  bars: number,
  snapshotAt: number,
  opts: { maxSegmentBytes?: number; checkpoint?: CheckpointPolicy } = {},
) {
  const walDir = dirs.make('kwal-');
  const snapDir = dirs.make('ksnap-');
  const inst = testEquity('FWAL');
  const clock = new SimulatedClock(T0);
  const exchange = new SimulatedExchange({ clock, instruments: [inst] });
  const wal = await FileWal.open({
    dir: walDir,
    durability,
    maxSegmentBytes: opts.maxSegmentBytes ?? 4096,
  });
  const snapshots = await FileSnapshotStore.open({ dir: snapDir, keep: 2 });
  const journal = stateStoreJournal(wal);
  const kernel = wireTestKernel({
    clock,
    broker: exchange,
    instruments: [inst],
    strategies: [strategy(inst)],
    startingCash: '50000',
    risk: RISK,
    journal,
  });
  const checkpointer = opts.checkpoint
    ? new KernelCheckpointer({ kernel, journal, snapshots, clock }, opts.checkpoint)
    : null;
  const checkpoints: CheckpointResult[] = [];
  const segmentsSeen = new Set<string>();
  kernel.start();
  let snapshotSeq = 0;
  for (let i = 1; i <= bars; i++) {
    const t = T0 + i * MS.DAY;
    clock.advanceTo(t);
    const px = 10 + (i % 4) * 0.75;
    const bar: Bar = {
      instrumentId: inst.id,
      ts: t,
      open: px,
      high: px + 0.25,
      low: px - 0.25,
      close: px,
      volume: 1e6,
    };
    exchange.processBar(bar);
    kernel.onBar(bar);
    await quiesce(journal);
    if (checkpointer) {
      for (const f of readdirSync(walDir)) if (f.endsWith('.seg')) segmentsSeen.add(f);
      const r = await checkpointer.maybeCheckpoint();
      if (r) checkpoints.push(r);
    }
    if (i === snapshotAt) {
      const state = kernel.snapshot();
      snapshotSeq = await journal.settled();
      await snapshots.save({
        lastSequence: snapshotSeq,
        state: state as unknown as WalJsonValue,
        takenAt: clock.now(),
      });
    }
  }
  const lastSeq = await quiesce(journal);
  await wal.close();
  return {
    walDir,
    snapDir,
    inst,
    kernel,
    snapshots,
    snapshotSeq,
    lastSeq,
    checkpoints,
    segmentsSeen,
  };
}

/** recover(...) → restoreKernel(...). */
async function restoreFromDisk(
  walDir: string,
  inst: Instrument,
  snapshots: FileSnapshotStore | null,
) {
  const records: JournalRecord[] = [];
  let snap: Snapshot | null = null;
  const { report, wal } = await recover({
    walDir,
    snapshots,
    restore: (s) => void (snap = s),
    apply: (r) => void records.push(journalRecordOf(r)),
    open: { durability: 'group' },
  });
  const s = snap as Snapshot | null;
  const journal = stateStoreJournal(wal as FileWal);
  const restored = restoreKernel({
    snapshot: s ? (s.state as unknown as KernelSnapshot) : null,
    snapshotSequence: s?.lastSequence ?? 0,
    records,
    deps: { ...deps(inst), journal },
  });
  return { ...restored, recovery: report, wal: wal as FileWal, journal, records };
}

function stateOf(k: TradingKernel) {
  const pf = k.portfolio.toSnapshot();
  return {
    orders: k.orders.toSnapshot(),
    contingencies: k.contingencies.toSnapshot(),
    cash: pf.cash,
    positions: pf.positions.map((p) => [
      p.instrumentId,
      p.quantity,
      p.bookCost,
      p.realisedPnl,
      p.commissions,
    ]),
    risk: k.risk.toSnapshot(),
    idSequences: k.snapshot().idSequences,
  };
}

describe.each(['none', 'group'] as const)('kernel on a FileWal (durability %s)', (durability) => {
  it('snapshot + WAL tail, and the whole WAL, restore the state the kernel had at close', async () => {
    const live = await runLive(durability, 12, 6);
    expect(live.snapshotSeq).toBeGreaterThan(0);
    expect(readdirSync(live.walDir).filter((f) => f.endsWith('.seg')).length).toBeGreaterThan(1); // rotated segments

    const fromSnapshot = await restoreFromDisk(live.walDir, live.inst, live.snapshots);
    expect(fromSnapshot.recovery).toMatchObject({
      snapshot: { lastSequence: live.snapshotSeq },
      recordsReplayed: live.lastSeq - live.snapshotSeq,
      lastSequence: live.lastSeq,
      tail: null,
    });
    expect(fromSnapshot.report).toMatchObject({
      snapshotSequence: live.snapshotSeq,
      lastSequence: live.lastSeq,
      recordsReplayed: live.lastSeq - live.snapshotSeq,
      inFlight: [],
      warnings: [],
    });
    expect(stateOf(fromSnapshot.kernel)).toEqual(stateOf(live.kernel));
    await fromSnapshot.wal.close();

    const whole = await restoreFromDisk(live.walDir, live.inst, null);
    expect(whole.report).toMatchObject({ snapshotSequence: 0, recordsReplayed: live.lastSeq });
    expect(stateOf(whole.kernel)).toEqual(stateOf(live.kernel));
    await whole.wal.close();
  });
});

describe('kernel on a FileWal: crash', () => {
  it('a torn last record is cut; the restored kernel equals a replay of the acknowledged prefix and trades on', async () => {
    const live = await runLive('group', 9, 4);
    const segs = readdirSync(live.walDir)
      .filter((f) => f.endsWith('.seg'))
      .sort();
    const last = path.join(live.walDir, segs[segs.length - 1]);
    truncateSync(last, statSync(last).size - 3); // crash in the middle of the last write

    const r = await restoreFromDisk(live.walDir, live.inst, live.snapshots);
    expect(r.recovery.tail).toMatchObject({ segment: segs[segs.length - 1] });
    expect(r.report.lastSequence).toBe(live.lastSeq - 1);
    await r.wal.close();

    // the repaired log without the snapshot gives the same state
    const again = await restoreFromDisk(live.walDir, live.inst, null);
    expect(again.recovery.tail).toBeNull();
    expect(stateOf(again.kernel)).toEqual(stateOf(r.kernel));

    // the restored kernel journals to the reopened WAL and trades on; the next recovery sees it
    again.kernel.start();
    const t = T0 + 20 * MS.DAY;
    again.kernel.onBar({
      instrumentId: live.inst.id,
      ts: t,
      open: 11,
      high: 11,
      low: 11,
      close: 11,
      volume: 1e6,
    });
    await quiesce(again.journal);
    const id = 'FW-12' as ClientOrderId; // FW-1..FW-11 were used before the crash
    expect(again.kernel.orders.get(id)?.status).toBe('ACCEPTED');
    await again.wal.close();
    const after = await restoreFromDisk(live.walDir, live.inst, null);
    expect(after.report.lastSequence).toBe(live.lastSeq - 1 + 3); // OrderInitialized, OrderSubmitted, OrderAccepted
    expect(stateOf(after.kernel)).toEqual(stateOf(again.kernel));
    await after.wal.close();
  });
});

describe('kernel on a FileWal: checkpoints', () => {
  it('KernelCheckpointer snapshots on cadence and compacts segments; a restart rebuilds the same state', async () => {
    const live = await runLive('group', 30, 0, {
      maxSegmentBytes: 2048,
      checkpoint: { everyRecords: 12, everyMs: 0 },
    });
    expect(live.checkpoints.length).toBeGreaterThanOrEqual(4);
    expect(live.checkpoints.reduce((n, r) => n + r.compacted, 0)).toBeGreaterThan(0);
    const left = readdirSync(live.walDir).filter((f) => f.endsWith('.seg'));
    expect(left.length).toBeLessThan(live.segmentsSeen.size);

    const restored = await restoreFromDisk(
      live.walDir,
      live.inst,
      await FileSnapshotStore.open({ dir: live.snapDir }),
    );
    expect(restored.recovery.snapshot?.lastSequence).toBe(
      (await live.snapshots.list())[0].lastSequence,
    );
    expect(restored.report.lastSequence).toBe(live.lastSeq);
    expect(stateOf(restored.kernel)).toEqual(stateOf(live.kernel));
    await restored.wal.close();
  });
});

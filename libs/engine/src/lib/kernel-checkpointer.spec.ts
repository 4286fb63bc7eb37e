import { Bar, localToUtc, MS, StateError, strategyId } from '@trading/domain';
import { testEquity } from '@trading/domain/testing';
import { SimulatedClock } from '@trading/clock';
import { SimulatedExchange } from '@trading/brokers';
import type { Snapshot, SnapshotStore, WalRecord } from '@trading/persistence';
import { InMemorySnapshotStore, InMemoryStateStore } from '@trading/persistence/testing';
import { CheckpointPolicy, KernelCheckpointer } from './kernel-checkpointer';
import { restoreKernel } from './kernel-recovery';
import { journalRecordOf, stateStoreJournal } from './state-store-journal';
import type { Strategy } from './strategy.port';
import { wireTestKernel } from '../testing';
import { KernelSnapshot, TradingKernel } from './trading-kernel';

const T0 = localToUtc('2024-01-02T16:00:00', 'America/New_York');
const flush = () => new Promise((r) => setImmediate(r));
const inst = testEquity('CKP');

/** Buys one on odd bars, sells one on even bars (market orders). */
function strategy(): Strategy {
  let n = 0;
  return {
    id: strategyId('CK'),
    instruments: [inst.id],
    onBar(b, ctx) {
      n++;
      ctx.submit({ instrumentId: b.instrumentId, side: n % 2 ? 'BUY' : 'SELL', quantity: 1 });
    },
  };
}

function setup(store = new InMemoryStateStore()) {
  const clock = new SimulatedClock(T0);
  const exchange = new SimulatedExchange({ clock, instruments: [inst] });
  const journal = stateStoreJournal(store);
  const kernel = wireTestKernel({
    clock,
    broker: exchange,
    instruments: [inst],
    strategies: [strategy()],
    startingCash: '10000',
    journal,
  });
  kernel.start();
  let i = 0;
  const bar = async () => {
    i++;
    const t = clock.now() + MS.MINUTE;
    clock.advanceTo(t);
    const px = 10 + (i % 3) * 0.5;
    const b: Bar = {
      instrumentId: inst.id,
      ts: t,
      open: px,
      high: px,
      low: px,
      close: px,
      volume: 1e6,
    };
    exchange.processBar(b);
    kernel.onBar(b);
    await flush();
    await flush();
  };
  const checkpointer = (snapshots: SnapshotStore, policy?: CheckpointPolicy) =>
    new KernelCheckpointer({ kernel, journal, snapshots, clock }, policy);
  return { clock, store, journal, kernel, bar, checkpointer };
}

/** A fresh kernel rebuilt from `snapshot` and the stored WAL `records`. */
function restoreFrom(snapshot: Snapshot, records: readonly WalRecord[]) {
  const clock = new SimulatedClock(T0);
  return restoreKernel({
    snapshot: snapshot.state as unknown as KernelSnapshot,
    snapshotSequence: snapshot.lastSequence,
    records: records.map(journalRecordOf),
    deps: {
      clock,
      broker: new SimulatedExchange({ clock, instruments: [inst] }),
      instruments: [inst],
      strategies: [strategy()],
      portfolio: { startingCash: '10000' },
      risk: {},
    },
  });
}

/** Journaled state (marks and the equity curve are not journaled). */
function stateOf(k: TradingKernel) {
  const { orderBook, contingencies, risk, idSequences } = k.snapshot();
  const pf = k.portfolio.toSnapshot();
  const positions = pf.positions.map((p) => [
    p.instrumentId,
    p.quantity,
    p.bookCost,
    p.realisedPnl,
  ]);
  return { orderBook, contingencies, risk, idSequences, cash: pf.cash, positions };
}

describe('KernelCheckpointer', () => {
  it('checkpoints every N records; snapshot + the kept log rebuild the live state', async () => {
    const s = setup();
    const snapshots = new InMemorySnapshotStore(2);
    const cp = s.checkpointer(snapshots, { everyRecords: 10, everyMs: 0 });
    const taken = [];
    for (let i = 0; i < 12; i++) {
      await s.bar();
      const r = await cp.maybeCheckpoint();
      if (r) taken.push(r);
    }
    // 3 records per bar after the first (Initialized, Submitted, Accepted; then Filled on the next bar)
    expect(s.journal.appended).toBeGreaterThan(40);
    expect(taken.length).toBeGreaterThanOrEqual(3);
    for (const r of taken) expect(r.records).toBeGreaterThanOrEqual(10);
    expect(taken.map((r) => r.lastSequence)).toEqual(
      [...taken.map((r) => r.lastSequence)].sort((a, b) => a - b),
    );
    const kept = await snapshots.list();
    expect(kept.map((k) => k.lastSequence)).toEqual(
      taken
        .slice(-2)
        .map((r) => r.lastSequence)
        .reverse(),
    );
    // the log was compacted through the older kept snapshot, and still reaches back to it
    const records = s.store.records();
    expect(records[0].sequence).toBe(kept[1].lastSequence + 1);
    expect(records[records.length - 1].sequence).toBe(s.store.lastSequence());

    const latest = (await snapshots.loadLatest())!.snapshot;
    const restored = restoreFrom(latest, records);
    expect(restored.report.recordsReplayed).toBe(s.store.lastSequence() - latest.lastSequence);
    expect(stateOf(restored.kernel)).toEqual(stateOf(s.kernel));
  });

  it('an older kept snapshot still recovers after compaction (fallback path)', async () => {
    const s = setup();
    const snapshots = new InMemorySnapshotStore(2);
    const cp = s.checkpointer(snapshots, { everyRecords: 7, everyMs: 0 });
    for (let i = 0; i < 10; i++) {
      await s.bar();
      await cp.maybeCheckpoint();
    }
    const older = (await snapshots.list())[1];
    const raw = snapshots.raw((await snapshots.list())[0].lastSequence)!;
    raw[40] ^= 0xff; // corrupt the newest snapshot's payload
    const loaded = (await snapshots.loadLatest())!;
    expect(loaded.snapshot.lastSequence).toBe(older.lastSequence);
    expect(loaded.skipped).toHaveLength(1);
    const restored = restoreFrom(loaded.snapshot, s.store.records());
    expect(stateOf(restored.kernel)).toEqual(stateOf(s.kernel));
  });

  it('is due by Clock time only when something was journaled', async () => {
    const s = setup();
    const cp = new KernelCheckpointer(
      {
        kernel: s.kernel,
        journal: s.journal,
        snapshots: new InMemorySnapshotStore(),
        clock: s.clock,
      },
      { everyRecords: 1_000_000, everyMs: 5 * MS.MINUTE },
    );
    s.clock.advanceTo(T0 + 10 * MS.MINUTE);
    expect(cp.due()).toBe(false); // nothing journaled yet
    expect(await cp.maybeCheckpoint()).toBeNull();
    await s.bar(); // T0+11min: journals the first order
    expect(cp.due()).toBe(true);
    const r = await cp.maybeCheckpoint();
    expect(r).toMatchObject({ records: s.journal.appended, takenAt: s.clock.now() });
    expect(cp.due()).toBe(false);
    await s.bar();
    expect(cp.due()).toBe(false); // 1 minute later
  });

  it('joins a checkpoint in flight instead of starting a second one', async () => {
    const s = setup();
    await s.bar();
    const snapshots = new InMemorySnapshotStore();
    const save = jest.spyOn(snapshots, 'save');
    const cp = new KernelCheckpointer({
      kernel: s.kernel,
      journal: s.journal,
      snapshots,
      clock: s.clock,
    });
    const a = cp.checkpoint();
    const b = cp.checkpoint();
    expect(b).toBe(a);
    expect(await cp.maybeCheckpoint()).toBeNull();
    await a;
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('saves nothing and keeps the log when the journal has failed', async () => {
    const s = setup();
    await s.bar();
    const snapshots = new InMemorySnapshotStore();
    const cp = s.checkpointer(snapshots, { everyRecords: 1 });
    s.store.failNextAppend();
    await s.bar(); // the order intent's append fails
    await expect(cp.checkpoint()).rejects.toThrow(/failed/);
    expect(await snapshots.list()).toEqual([]);
    expect(s.store.records().length).toBeGreaterThan(0);
  });

  it('refuses to checkpoint from inside a kernel dispatch (an event listener)', async () => {
    const s = setup();
    await s.bar();
    const snapshots = new InMemorySnapshotStore();
    const cp = s.checkpointer(snapshots, { everyRecords: 1 });
    const inside: Promise<unknown>[] = [];
    s.kernel.onEvent(() => {
      if (inside.length === 0) {
        inside.push(cp.checkpoint().catch((e: Error) => e));
        inside.push(cp.maybeCheckpoint());
      }
    });
    await s.bar();
    expect(inside).toHaveLength(2);
    const [direct, maybe] = await Promise.all(inside);
    expect(direct).toBeInstanceOf(StateError);
    expect(maybe).toBeNull();
    expect(await snapshots.list()).toEqual([]);
    expect(s.kernel.dispatching).toBe(false);
    expect(await cp.maybeCheckpoint()).not.toBeNull(); // from the loop it works
  });

  it('rejects a bad policy, naming the field', () => {
    const s = setup();
    const deps = {
      kernel: s.kernel,
      journal: s.journal,
      snapshots: new InMemorySnapshotStore(),
      clock: s.clock,
    };
    expect(() => new KernelCheckpointer(deps, { everyRecords: 0 })).toThrow(
      /checkpoint\.everyRecords/,
    );
    expect(() => new KernelCheckpointer(deps, { everyMs: -1 })).toThrow(/checkpoint\.everyMs/);
    expect(() => new KernelCheckpointer(deps, { everyRecords: 1.5 })).toThrow(/everyRecords/);
  });
});

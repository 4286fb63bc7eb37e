import {
  Bar,
  ClientOrderId,
  Instrument,
  localToUtc,
  MS,
  strategyId,
  ValidationError,
} from '@trading/domain';
import { testEquity } from '@trading/domain/testing';
import { SimulatedClock } from '@trading/clock';
import { Broker, SimulatedExchange } from '@trading/brokers';
import { ContingencyManager, encodeOrderEvent } from '@trading/order-lifecycle';
import { OrderEventFactory, testOrderRequest } from '@trading/order-lifecycle/testing';
import { InMemoryStateStore } from '@trading/persistence/testing';
import { RiskConfigInput } from '@trading/risk';
import { MemoryJournal } from './event-journal.port';
import { KernelRecoveryDeps, restoreKernel } from './kernel-recovery';
import { JournalRecord, journalRecordOf, stateStoreJournal } from './state-store-journal';
import { JsonValue, Strategy, StrategyContext } from './strategy.port';
import { KernelSnapshot, TradingKernel } from './trading-kernel';
import { wireTestKernel } from '../testing';

const T0 = localToUtc('2024-01-02T16:00:00', 'America/New_York');
const RISK: RiskConfigInput = { maxOrderQuantity: 1000, maxOrdersPerSecond: 3 };
const flush = () => new Promise((r) => setImmediate(r));

/**
 * A scripted strategy: market buys and sells, a bracket, a resting limit order that is later
 * replaced, fat-finger denials; it counts bars in its saved state.
 */
function scripted(inst: Instrument): Strategy & { bars: number } {
  let limitId: ClientOrderId | undefined;
  const s = {
    id: strategyId('SCR'),
    instruments: [inst.id],
    bars: 0,
    onBar(b: Bar, ctx: StrategyContext) {
      const n = ++s.bars;
      const id = b.instrumentId;
      if (n === 1) ctx.submit({ instrumentId: id, side: 'BUY', quantity: 10 });
      if (n === 2)
        ctx.submitBracket({
          instrumentId: id,
          side: 'BUY',
          quantity: 5,
          takeProfitPrice: '30.00',
          stopLossPrice: '5.00',
        });
      if (n === 3) {
        limitId = ctx.submit({
          instrumentId: id,
          side: 'BUY',
          quantity: 3,
          type: 'LIMIT',
          limitPrice: '1.00',
        });
        ctx.submit({ instrumentId: id, side: 'BUY', quantity: 5000 }); // denied: fat finger
      }
      if (n === 4) ctx.submit({ instrumentId: id, side: 'SELL', quantity: 4 });
      if (n === 5) {
        ctx.submit({ instrumentId: id, side: 'BUY', quantity: 2 });
        ctx.submit({ instrumentId: id, side: 'SELL', quantity: 2000 }); // denied
      }
      if (n === 6 && limitId) ctx.replace(limitId, { quantity: 4, limitPrice: '1.50' });
      if (n === 8) {
        ctx.submit({ instrumentId: id, side: 'SELL', quantity: 1 });
        ctx.submit({ instrumentId: id, side: 'SELL', quantity: 3000 }); // denied
      }
      if (n === 9) {
        ctx.submit({ instrumentId: id, side: 'SELL', quantity: 1 });
        // denied bracket: consumes three ids (entry + exits), the last ids used
        ctx.submitBracket({
          instrumentId: id,
          side: 'BUY',
          quantity: 5000,
          takeProfitPrice: '30.00',
          stopLossPrice: '5.00',
        });
      }
    },
    saveState: (): JsonValue => ({ bars: s.bars }),
    loadState: (st: JsonValue) => void (s.bars = (st as { bars: number }).bars),
  };
  return s;
}

function deps(
  inst: Instrument,
  clock: SimulatedClock,
  broker: Broker,
  strategy: Strategy,
): KernelRecoveryDeps {
  return {
    clock,
    broker,
    instruments: [inst],
    strategies: [strategy],
    portfolio: { startingCash: '100000' },
    risk: RISK,
  };
}

/** Runs the live kernel over 9 bars on an in-memory WAL, snapshotting after bar 4. */
async function runLive() {
  const inst = testEquity('REC');
  const clock = new SimulatedClock(T0);
  const exchange = new SimulatedExchange({ clock, instruments: [inst] });
  const store = new InMemoryStateStore();
  const journal = stateStoreJournal(store);
  const strategy = scripted(inst);
  const kernel = wireTestKernel({
    clock,
    broker: exchange,
    instruments: [inst],
    strategies: [strategy],
    startingCash: '100000',
    risk: RISK,
    journal,
  });
  kernel.start();
  let t = T0;
  let mid: { snapshot: KernelSnapshot; seq: number } | undefined;
  const prices = [10, 11, 12, 11.5, 13, 12.5, 12, 12.8, 13.1];
  for (const [i, px] of prices.entries()) {
    t += MS.DAY;
    clock.advanceTo(t);
    const bar: Bar = {
      instrumentId: inst.id,
      ts: t,
      open: px,
      high: px + 0.5,
      low: px - 0.5,
      close: px,
      volume: 1e6,
    };
    exchange.processBar(bar);
    kernel.onBar(bar);
    await flush();
    if (i === 3) {
      // a snapshot as stored: JSON, with the sequence of the last record it includes
      const snapshot = JSON.parse(JSON.stringify(kernel.snapshot())) as KernelSnapshot;
      mid = { snapshot, seq: await journal.settled() };
    }
    if (i === 6) {
      kernel.risk.tripKillSwitch({ operator: 'ops', reason: 'drill', ts: t });
      await flush();
      kernel.risk.resetKillSwitch({ operator: 'ops', reason: 'drill over', ts: t + 1 });
    }
  }
  await journal.settled();
  const records = store.records().map(journalRecordOf);
  return { inst, kernel, strategy, records, mid: mid! };
}

function fresh(inst: Instrument) {
  const clock = new SimulatedClock(T0 + 20 * MS.DAY);
  return {
    clock,
    broker: new SimulatedExchange({ clock, instruments: [inst] }),
    strategy: scripted(inst),
  };
}

/** The durable state to compare (portfolio marks and the equity curve are not journaled). */
function stateOf(k: TradingKernel) {
  const pf = k.portfolio.toSnapshot();
  const snap = k.snapshot();
  return {
    orders: k.orders.toSnapshot(),
    contingencies: k.contingencies.toSnapshot(),
    cash: pf.cash,
    portfolioSeq: pf.seq,
    positions: pf.positions.map(({ mark: _m, markTs: _t, markDirty: _d, ...p }) => p),
    risk: k.risk.toSnapshot(),
    idSequences: snap.idSequences,
  };
}

describe('restoreKernel', () => {
  let live: Awaited<ReturnType<typeof runLive>>;
  beforeAll(async () => {
    live = await runLive();
  });

  it('the scenario exercises every kind of record', () => {
    const types = live.records.map((r) =>
      r.type === 'order' ? (r.payload as { type: string }).type : r.type,
    );
    for (const t of [
      'OrderInitialized',
      'OrderSubmitted',
      'OrderAccepted',
      'OrderFilled',
      'OrderPendingReplace',
      'OrderReplaced',
      'OrderPendingCancel',
      'OrderCanceled',
      'risk',
      'denial',
    ])
      expect(types).toContain(t);
    expect(live.mid.seq).toBeGreaterThan(0);
    expect(live.mid.seq).toBeLessThan(live.records.length);
    expect(live.kernel.risk.mode).toBe('ACTIVE');
    expect(live.kernel.portfolio.position(live.inst.id).quantity.toString()).toBe('12');
    expect(live.kernel.snapshot().idSequences).toEqual({ SCR: 15 }); // SCR-13..15: a denied bracket
  });

  it('snapshot + later records rebuild the live state', () => {
    const f = fresh(live.inst);
    const r = restoreKernel({
      snapshot: live.mid.snapshot,
      snapshotSequence: live.mid.seq,
      records: live.records,
      deps: deps(live.inst, f.clock, f.broker, f.strategy),
    });
    expect(stateOf(r.kernel)).toEqual(stateOf(live.kernel));
    expect(r.report).toMatchObject({
      snapshotSequence: live.mid.seq,
      lastSequence: live.records.length,
      recordsSkipped: live.mid.seq,
      recordsReplayed: live.records.length - live.mid.seq,
      riskEvents: 2,
      inFlight: [],
      initialized: [],
      openOrders: [{ clientOrderId: 'SCR-12', status: 'ACCEPTED', strategyId: 'SCR' }],
      warnings: [],
    });
    expect(r.report.orderEvents).toBe(
      live.records.slice(live.mid.seq).filter((x) => x.type === 'order').length,
    );
    expect(f.strategy.bars).toBe(4); // loadState from the snapshot (bars are not journaled)
    expect(r.kernel.snapshot().strategies).toEqual({ SCR: { bars: 4 } });
  });

  it('the whole journal without a snapshot rebuilds the live state, order lists included', () => {
    const f = fresh(live.inst);
    const r = restoreKernel({
      snapshot: null,
      records: live.records,
      deps: deps(live.inst, f.clock, f.broker, f.strategy),
    });
    expect(stateOf(r.kernel)).toEqual(stateOf(live.kernel));
    expect(r.kernel.snapshot().strategies).toEqual({ SCR: { bars: 0 } }); // strategy state lives in snapshots only
    expect(r.report).toMatchObject({
      snapshotSequence: 0,
      recordsSkipped: 0,
      recordsReplayed: live.records.length,
      riskEvents: 2,
    });
  });

  it('records up to the snapshot rebuild the snapshot itself (a working bracket included)', () => {
    const f = fresh(live.inst);
    const r = restoreKernel({
      snapshot: null,
      records: live.records.slice(0, live.mid.seq),
      deps: deps(live.inst, f.clock, f.broker, f.strategy),
    });
    const got = JSON.parse(JSON.stringify(r.kernel.snapshot())) as KernelSnapshot;
    const want = live.mid.snapshot;
    expect((want.contingencies as { lists: unknown[] }).lists).toHaveLength(1);
    expect(got.contingencies).toEqual(want.contingencies);
    expect(got.orderBook).toEqual(want.orderBook);
    expect(got.risk).toEqual(want.risk);
    expect(got.idSequences).toEqual(want.idSequences);
    expect((got.portfolio as { cash: string }).cash).toBe(
      (want.portfolio as { cash: string }).cash,
    );
  });

  it('replaying the same records twice changes nothing', () => {
    const f = fresh(live.inst);
    const r = restoreKernel({
      snapshot: live.mid.snapshot,
      snapshotSequence: live.mid.seq,
      records: [...live.records, ...live.records],
      deps: deps(live.inst, f.clock, f.broker, f.strategy),
    });
    expect(r.report.recordsSkipped).toBe(live.mid.seq + live.records.length);
    const before = stateOf(r.kernel);
    expect(r.replay(live.records)).toBe(0);
    expect(stateOf(r.kernel)).toEqual(before);
    expect(before).toEqual(stateOf(live.kernel));
  });

  it('replay() applies later records once, wherever the cut is', () => {
    const f = fresh(live.inst);
    const cut = live.mid.seq + 7;
    const r = restoreKernel({
      snapshot: live.mid.snapshot,
      snapshotSequence: live.mid.seq,
      records: live.records.slice(0, cut),
      deps: deps(live.inst, f.clock, f.broker, f.strategy),
    });
    expect(r.report.lastSequence).toBe(cut);
    expect(r.replay(live.records.slice(cut - 3))).toBe(live.records.length - cut);
    // every id, including the denied bracket's SCR-13..15 applied by replay(), stays used
    expect(stateOf(r.kernel)).toEqual(stateOf(live.kernel));
    expect(r.kernel.snapshot().idSequences).toEqual({ SCR: 15 });
  });

  it('the restored kernel trades on with fresh ids', async () => {
    const f = fresh(live.inst);
    let ctx!: StrategyContext;
    const strategy: Strategy = {
      ...f.strategy,
      id: f.strategy.id,
      instruments: f.strategy.instruments,
      onBar: undefined,
      onStart: (c) => void (ctx = c),
    };
    const r = restoreKernel({
      snapshot: null,
      records: live.records,
      deps: { ...deps(live.inst, f.clock, f.broker, strategy), journal: new MemoryJournal() },
    });
    r.kernel.start();
    expect(ctx.position(live.inst.id).quantity.toString()).toBe('12');
    expect(
      ctx.submit({
        instrumentId: live.inst.id,
        side: 'SELL',
        quantity: 1,
        type: 'LIMIT',
        limitPrice: '50.00',
      }),
    ).toBe('SCR-16'); // after SCR-13..15, consumed by the denied bracket
    expect(r.kernel.orders.get('SCR-16' as ClientOrderId)?.status).toBe('ACCEPTED');
  });

  it('reports orders in flight and initialized intents for reconciliation', () => {
    const inst = testEquity('TEST');
    const ev = new OrderEventFactory(T0);
    const sid = strategyId('S1');
    const req = (id: string) =>
      testOrderRequest({ clientOrderId: id, strategyId: sid, instrumentId: inst.id });
    const events = [
      ev.initialized(req('S1-1')),
      ev.submitted('S1-1'),
      ev.initialized(req('S1-2')),
      ev.submitted('S1-2'),
      ev.accepted('S1-2'),
      ev.pendingCancel('S1-2'),
      ev.initialized(req('S1-3')),
      ev.initialized(req('S1-4')),
      ev.submitted('S1-4'),
      ev.accepted('S1-4'),
    ];
    const records: JournalRecord[] = events.map((e, i) => ({
      seq: i + 1,
      type: 'order',
      payload: encodeOrderEvent(e) as unknown as JsonValue,
    }));
    records.push({ seq: 11, type: 'operator', payload: { note: 'ignored' } });
    const f = fresh(inst);
    const r = restoreKernel({
      snapshot: null,
      records,
      deps: { ...deps(inst, f.clock, f.broker, { id: sid, instruments: [inst.id] }) },
    });
    expect(r.report.inFlight).toEqual([
      { clientOrderId: 'S1-1', strategyId: 'S1', status: 'SUBMITTED' },
      { clientOrderId: 'S1-2', strategyId: 'S1', status: 'PENDING_CANCEL' },
    ]);
    expect(r.report.initialized).toEqual([
      { clientOrderId: 'S1-3', strategyId: 'S1', status: 'INITIALIZED' },
    ]);
    expect(r.report.openOrders.map((o) => o.clientOrderId)).toEqual([
      'S1-1',
      'S1-2',
      'S1-3',
      'S1-4',
    ]);
    expect(r.report).toMatchObject({ recordsReplayed: 11, orderEvents: 10, riskEvents: 0 });
    expect(r.kernel.risk.toSnapshot().counters.dayCount).toBe(3);
    expect(r.kernel.snapshot().idSequences).toEqual({ S1: 4 });
  });

  it('warns about an order list whose orders are not all in the journal', () => {
    const f = fresh(live.inst);
    const bracketInit = live.records.find(
      (x) =>
        x.type === 'order' &&
        (x.payload as { request?: { contingency?: unknown } }).request?.contingency !== undefined,
    )!;
    const r = restoreKernel({
      snapshot: null,
      records: [bracketInit],
      deps: deps(live.inst, f.clock, f.broker, f.strategy),
    });
    expect(r.report.warnings).toEqual([
      expect.stringMatching(/only 1 of its 3 orders are in the journal/),
    ]);
    expect(r.kernel.contingencies.toSnapshot()).toEqual(new ContingencyManager().toSnapshot());
  });

  it('rejects malformed input', () => {
    const f = fresh(live.inst);
    const d = deps(live.inst, f.clock, f.broker, f.strategy);
    expect(() =>
      restoreKernel({ snapshot: null, snapshotSequence: -1, records: [], deps: d }),
    ).toThrow(ValidationError);
    expect(() =>
      restoreKernel({
        snapshot: { version: 2 } as unknown as KernelSnapshot,
        records: [],
        deps: d,
      }),
    ).toThrow(/snapshot.version/);
    expect(() =>
      restoreKernel({
        snapshot: null,
        records: [{ seq: 1, type: 'order', payload: { type: 'Nope' } }],
        deps: d,
      }),
    ).toThrow(/record\[1\]\.payload/);
    expect(() =>
      restoreKernel({
        snapshot: null,
        records: [{ seq: 1.5, type: 'denial', payload: null }],
        deps: d,
      }),
    ).toThrow(/record.seq/);
  });
});

import fc from 'fast-check';
import { Bar, localToUtc, MS, strategyId } from '@trading/domain';
import { testEquity } from '@trading/domain/testing';
import { SimulatedClock } from '@trading/clock';
import { fillModelConfig, SimulatedExchange } from '@trading/brokers';
import { InMemoryStateStore } from '@trading/persistence/testing';
import { RiskConfigInput } from '@trading/risk';
import { wireTestKernel } from '../testing';
import { restoreKernel } from './kernel-recovery';
import { journalRecordOf, stateStoreJournal } from './state-store-journal';
import type { Strategy, StrategyContext } from './strategy.port';
import { KernelSnapshot, TradingKernel } from './trading-kernel';

/**
 * Crash safety of the kernel's state, for random order flows: market, limit and stop orders,
 * brackets, cancels, replaces and risk denials (fat finger, rate limit), with partial fills under
 * a participation cap. After the run, the kernel rebuilt from (a) the whole journal and (b) a
 * snapshot taken at a random bar plus the records after it equals the live kernel: orders, order
 * lists, cash, positions, risk state and client-order-id sequences.
 */
describe('restoreKernel equals the live kernel for random order flows', () => {
  const T0 = localToUtc('2024-01-02T16:00:00', 'America/New_York');
  const RISK: RiskConfigInput = { maxOrderQuantity: 400, maxOrdersPerSecond: 2 };
  const flush = () => new Promise((r) => setImmediate(r));
  const inst = testEquity('KRP');

  const actionArb = fc.record({
    kind: fc.constantFrom('none', 'market', 'limit', 'stop', 'bracket', 'cancel', 'replace'),
    buy: fc.boolean(),
    qty: fc.integer({ min: 1, max: 500 }), // above 400: denied by the fat-finger limit
    offset: fc.integer({ min: -30, max: 30 }),
  });
  type Action = typeof actionArb extends fc.Arbitrary<infer A> ? A : never;

  function strategy(actions: readonly Action[]): Strategy {
    let n = 0;
    return {
      id: strategyId('KRP'),
      instruments: [inst.id],
      onBar(bar: Bar, ctx: StrategyContext) {
        const a = actions[n++ % actions.length];
        const px = (cents: number) =>
          (Math.max(1, Math.round(bar.close * 100) + cents) / 100).toFixed(2);
        const side = a.buy ? ('BUY' as const) : ('SELL' as const);
        const open = ctx.openOrders(bar.instrumentId);
        switch (a.kind) {
          case 'market':
            ctx.submit({ instrumentId: bar.instrumentId, side, quantity: a.qty });
            break;
          case 'limit':
            ctx.submit({
              instrumentId: bar.instrumentId,
              side,
              quantity: a.qty,
              type: 'LIMIT',
              limitPrice: px(a.offset),
            });
            break;
          case 'stop':
            ctx.submit({
              instrumentId: bar.instrumentId,
              side,
              quantity: a.qty,
              type: 'STOP',
              stopPrice: px(a.buy ? Math.abs(a.offset) + 1 : -Math.abs(a.offset) - 1),
            });
            break;
          case 'bracket':
            ctx.submitBracket({
              instrumentId: bar.instrumentId,
              side: 'BUY',
              quantity: a.qty,
              takeProfitPrice: px(Math.abs(a.offset) + 5),
              stopLossPrice: px(-Math.abs(a.offset) - 5),
            });
            break;
          case 'cancel':
            if (open.length > 0) ctx.cancel(open[open.length - 1].clientOrderId);
            break;
          case 'replace': {
            const o = open.find((x) => x.request.type === 'LIMIT' && x.status === 'ACCEPTED');
            if (o) ctx.replace(o.clientOrderId, { limitPrice: px(a.offset) });
            break;
          }
        }
      },
    };
  }

  /**
   * A denied check still rolls the rate limiter's exchange day, and denials are not replayed into the
   * risk engine (documented in restoreKernel): a day rolled with no submission counted in it is the
   * only difference allowed. The next check rolls it the same way, so decisions do not differ.
   */
  function withoutBareDayRoll(risk: ReturnType<TradingKernel['risk']['toSnapshot']>) {
    const c = risk.counters;
    return c.dayCount === 0
      ? { ...risk, counters: { ...c, day: null, dayStart: null, dayEnd: null } }
      : risk;
  }

  function stateOf(k: TradingKernel) {
    const pf = k.portfolio.toSnapshot();
    return {
      orders: k.orders.toSnapshot(),
      contingencies: k.contingencies.toSnapshot(),
      cash: pf.cash,
      // marks are not journaled: an entry that only a mark created holds no ledger state
      positions: pf.positions
        .map(({ mark: _m, markTs: _t, markDirty: _d, ...p }) => p)
        .filter((p) => p.quantity !== '0' || p.realisedPnl !== '0' || p.commissions !== '0'),
      risk: withoutBareDayRoll(k.risk.toSnapshot()),
      idSequences: k.snapshot().idSequences,
    };
  }

  it('from the whole journal and from a snapshot plus the tail', async () => {
    let orders = 0;
    let partial = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(actionArb, { minLength: 3, maxLength: 20 }),
        fc.array(fc.integer({ min: 9_000, max: 11_000 }), { minLength: 4, maxLength: 25 }),
        fc.nat(),
        async (actions, closes, snapAt) => {
          const store = new InMemoryStateStore();
          const journal = stateStoreJournal(store);
          const clock = new SimulatedClock(T0);
          // at most 10% of a bar's 2,000 volume: orders above 200 fill over several bars
          const exchange = new SimulatedExchange({
            clock,
            instruments: [inst],
            fill: fillModelConfig({ participation: '0.1' }),
          });
          const kernel = wireTestKernel({
            clock,
            broker: exchange,
            instruments: [inst],
            strategies: [strategy(actions)],
            startingCash: '10000000',
            risk: RISK,
            journal,
          });
          kernel.start();
          const snapBar = snapAt % closes.length;
          let snap: { state: KernelSnapshot; seq: number } | null = null;
          for (const [i, c] of closes.entries()) {
            const t = T0 + (i + 1) * MS.MINUTE * 7;
            clock.advanceTo(t);
            const p = c / 100;
            const bar: Bar = {
              instrumentId: inst.id,
              ts: t,
              open: p,
              high: p + 0.4,
              low: p - 0.4,
              close: p,
              volume: 2_000,
            };
            exchange.processBar(bar);
            kernel.onBar(bar);
            await flush();
            await flush();
            if (i === snapBar) {
              // as stored: through JSON, with the sequence the state includes
              const state = JSON.parse(JSON.stringify(kernel.snapshot())) as KernelSnapshot;
              snap = { state, seq: await journal.settled() };
            }
          }
          await journal.settled();
          orders += kernel.orders.counts().total;
          for (const o of [...kernel.orders.openOrders(), ...kernel.orders.closedOrders()])
            if (o.fills.length > 1) partial++;
          const records = store.records().map(journalRecordOf);
          const deps = () => {
            const c = new SimulatedClock(clock.now());
            return {
              clock: c,
              broker: new SimulatedExchange({ clock: c, instruments: [inst] }),
              instruments: [inst],
              strategies: [strategy(actions)],
              portfolio: { startingCash: '10000000' },
              risk: RISK,
            };
          };
          const want = stateOf(kernel);
          const whole = restoreKernel({ snapshot: null, records, deps: deps() });
          expect(stateOf(whole.kernel)).toEqual(want);
          const s = snap as { state: KernelSnapshot; seq: number } | null;
          if (s) {
            const fromSnap = restoreKernel({
              snapshot: s.state,
              snapshotSequence: s.seq,
              records,
              deps: deps(),
            });
            expect(fromSnap.report.recordsReplayed).toBe(records.length - s.seq);
            expect(stateOf(fromSnap.kernel)).toEqual(want);
          }
        },
      ),
      { numRuns: 80 },
    );
    expect(orders).toBeGreaterThan(300); // not vacuous
    expect(partial).toBeGreaterThan(20);
  });
});

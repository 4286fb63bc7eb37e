import fc from 'fast-check';
import { commissionModel, fillModelConfig, slippageModel } from '@trading/brokers';
import { Bar, ClientOrderId, Instrument, strategyId, TradingDecimal, ZERO } from '@trading/domain';
import { batchToBars, InMemoryHistoricalData, syntheticBarBatches } from '@trading/data-providers';
import type { Strategy, StrategyContext } from '@trading/engine';
import { runBacktest } from './backtest-runner';

/**
 * End to end, a backtest's outputs must agree with each other whatever the strategy does. Random
 * per-bar actions (market and limit orders of random size and side, cancels) on two instruments
 * (one with a contract multiplier), random commission, slippage and fill models:
 * - final cash = starting cash − Σ signed fill notionals − Σ commissions;
 * - final equity = final cash + Σ (net filled quantity × last close × multiplier), and it is the
 *   equity curve's last point;
 * - for an instrument that ends flat, Σ trade gross P&L = −Σ its signed fill notionals and
 *   Σ trade commissions = Σ its fill commissions;
 * - every fill belongs to an order the strategy submitted; the same inputs give the same fills.
 */
describe('backtest result ledger', () => {
  const instruments = [
    new Instrument({ id: 'AAA.SIM', tickSize: '0.01' }),
    new Instrument({ id: 'BBB.SIM', tickSize: '0.05', multiplier: '10' }),
  ];
  const BARS = 40;
  const actionArb = fc.record({
    kind: fc.constantFrom('none', 'none', 'market', 'limit', 'cancel'),
    buy: fc.boolean(),
    qty: fc.integer({ min: 1, max: 30 }),
    offsetTicks: fc.integer({ min: -20, max: 20 }),
  });
  const configArb = fc.record({
    commission: fc.constantFrom({}, { perUnit: '0.01', minimum: '1' }, { pctOfNotional: '0.0005' }),
    bps: fc.integer({ min: 0, max: 10 }),
    marketFill: fc.constantFrom('next-open', 'close'),
    participation: fc.constantFrom(null, '0.001'),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
  });

  function strategy(
    actions: readonly { kind: string; buy: boolean; qty: number; offsetTicks: number }[],
    submitted: Set<string>,
  ): Strategy {
    const n = new Map<string, number>();
    return {
      id: strategyId('LED'),
      instruments: instruments.map((i) => i.id),
      onBar(bar: Bar, ctx: StrategyContext) {
        const k = n.get(bar.instrumentId) ?? 0;
        n.set(bar.instrumentId, k + 1);
        if (k === BARS - 4) {
          // wind down: cancel what rests and flatten, so the flat-instrument checks get exercised
          for (const o of ctx.openOrders(bar.instrumentId)) ctx.cancel(o.clientOrderId);
          const pos = ctx.position(bar.instrumentId).quantity;
          if (!pos.isZero())
            submitted.add(
              ctx.submit({
                instrumentId: bar.instrumentId,
                side: pos.isNegative() ? 'BUY' : 'SELL',
                quantity: pos.abs().toFixed(),
              }),
            );
        }
        if (k >= BARS - 4) return;
        const a =
          actions[(k * 2 + (bar.instrumentId === instruments[0].id ? 0 : 1)) % actions.length];
        const inst = ctx.instrument(bar.instrumentId);
        if (a.kind === 'market' || a.kind === 'limit') {
          const limit = inst.tickSize.mul(
            Math.max(1, Math.round(bar.close / inst.tickSize.toNumber()) + a.offsetTicks),
          );
          const id = ctx.submit({
            instrumentId: bar.instrumentId,
            side: a.buy ? 'BUY' : 'SELL',
            quantity: a.qty,
            ...(a.kind === 'limit' ? { type: 'LIMIT' as const, limitPrice: limit.toFixed() } : {}),
          });
          submitted.add(id);
        } else if (a.kind === 'cancel') {
          const open = ctx.openOrders(bar.instrumentId);
          if (open.length > 0) ctx.cancel(open[0].clientOrderId);
        }
      },
    };
  }

  it('cash, equity, positions, trades and fills agree', async () => {
    let fillsSeen = 0;
    let flatWithTrades = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(actionArb, { minLength: 4, maxLength: 30 }),
        configArb,
        async (actions, cfg) => {
          const data = new InMemoryHistoricalData(
            instruments.map((inst, k) => ({
              instrumentId: inst.id,
              source: 'syn',
              batches: () =>
                syntheticBarBatches({
                  instrumentId: inst.id,
                  count: BARS,
                  seed: cfg.seed + k,
                  startPrice: 50,
                  volatility: 0.01,
                }),
            })),
          );
          const run = async () => {
            const submitted = new Set<string>();
            const res = await runBacktest({
              instruments,
              data,
              strategies: [strategy(actions, submitted)],
              startingCash: 1_000_000,
              commission: commissionModel(cfg.commission),
              slippage: slippageModel({ bps: cfg.bps }),
              fill: fillModelConfig({
                marketFill: cfg.marketFill,
                participation: cfg.participation,
              }),
              collectPrices: false,
            });
            return { res, submitted };
          };
          const { res, submitted } = await run();
          fillsSeen += res.fills.length;

          const lastClose = new Map<string, number>();
          for (const inst of instruments)
            for (const b of syntheticBarBatches({
              instrumentId: inst.id,
              count: BARS,
              seed: cfg.seed + instruments.indexOf(inst),
              startPrice: 50,
              volatility: 0.01,
            }))
              for (const bar of batchToBars(b)) lastClose.set(inst.id, bar.close);

          let cash = new TradingDecimal(1_000_000);
          const net = new Map<string, TradingDecimal>();
          const flow = new Map<string, TradingDecimal>();
          const fees = new Map<string, TradingDecimal>();
          for (const f of res.fills) {
            expect(submitted.has(f.clientOrderId as ClientOrderId)).toBe(true);
            const mult = f.multiplier ?? new TradingDecimal(1);
            const signed = f.side === 'BUY' ? f.quantity : f.quantity.neg();
            const notional = signed.mul(f.price).mul(mult);
            cash = cash.sub(notional).sub(f.commission);
            net.set(f.instrumentId, (net.get(f.instrumentId) ?? ZERO).add(signed));
            flow.set(f.instrumentId, (flow.get(f.instrumentId) ?? ZERO).sub(notional));
            fees.set(f.instrumentId, (fees.get(f.instrumentId) ?? ZERO).add(f.commission));
          }
          expect(res.finalCash.toFixed()).toBe(cash.toFixed());
          let equity = cash;
          for (const inst of instruments) {
            const q = net.get(inst.id) ?? ZERO;
            equity = equity.add(
              q.mul(new TradingDecimal(lastClose.get(inst.id) as number)).mul(inst.multiplier),
            );
            if (q.isZero()) {
              const trades = res.trades.filter((t) => t.instrumentId === inst.id);
              if (trades.length > 0) flatWithTrades++;
              expect(trades.reduce((s, t) => s.add(t.grossPnl), ZERO).toFixed()).toBe(
                (flow.get(inst.id) ?? ZERO).toFixed(),
              );
              expect(trades.reduce((s, t) => s.add(t.commission), ZERO).toFixed()).toBe(
                (fees.get(inst.id) ?? ZERO).toFixed(),
              );
            }
          }
          expect(res.finalEquity.toFixed()).toBe(equity.toFixed());
          expect(res.equityCurve[res.equityCurve.length - 1].equity.toFixed()).toBe(
            equity.toFixed(),
          );

          const again = await run();
          expect(
            again.res.fills.map((f) => [
              f.clientOrderId,
              f.quantity.toFixed(),
              f.price.toFixed(),
              f.commission.toFixed(),
            ]),
          ).toEqual(
            res.fills.map((f) => [
              f.clientOrderId,
              f.quantity.toFixed(),
              f.price.toFixed(),
              f.commission.toFixed(),
            ]),
          );
        },
      ),
      { numRuns: 60 },
    );
    // not vacuous: the runs trade, and instruments end flat after round trips
    expect(fillsSeen).toBeGreaterThan(300);
    expect(flatWithTrades).toBeGreaterThan(3);
  });
});

import { Bar, instrumentId, OrderSide, StrategyId } from '@trading/domain';
import type { Strategy, StrategyContext } from '@trading/engine';
import { randomWalkBars } from '../testing';
import { checkLookAhead, formatLookAheadReport, lookAheadCuts } from './look-ahead';
import { listStrategies, STRATEGY_REGISTRY } from './strategies/registry';

const ID = instrumentId('RW', 'SIM');
/** ~300 bars of a seeded random walk, generated in the spec (no fixture file: core lib, no fs). */
const BARS = randomWalkBars({ instrumentId: ID, count: 300, seed: 2024, volatility: 0.015 });

const PARAMS: Record<string, Record<string, number>> = {
  'sma-cross': { period: 10, quantity: 5 },
  'dual-sma-cross': { fast: 5, slow: 20, quantity: 5 },
  'rsi-mean-reversion': { period: 7, oversold: 35, overbought: 65, quantity: 5 },
  'liquidity-sweep': {
    lookback: 10,
    consolidationBars: 2,
    maxConsolidationBars: 8,
    rewardRisk: 1.5,
    quantity: 5,
  },
};

/** Planted bias: keeps the history it was built with and trades on the NEXT bar's close. */
class PeekingStrategy implements Strategy {
  readonly id = 'peek' as StrategyId;
  readonly instruments = [ID];
  private i = -1;
  constructor(private readonly history: readonly Bar[]) {}
  onBar(bar: Bar, ctx: StrategyContext): void {
    this.i++;
    const next = this.history[this.i + 1];
    if (next && next.close > bar.close * 1.01 && ctx.position(ID).quantity.isZero())
      ctx.submit({ instrumentId: ID, side: OrderSide.BUY, quantity: 1 });
    else if (next && next.close < bar.close * 0.99 && !ctx.position(ID).quantity.isZero())
      ctx.submit({ instrumentId: ID, side: OrderSide.SELL, quantity: 1 });
  }
}

/** Honest counterpart built the same way (keeps the array but only reads the past). */
class HonestStrategy extends PeekingStrategy {
  override onBar(bar: Bar, ctx: StrategyContext): void {
    if (bar.close > bar.open && ctx.position(ID).quantity.isZero())
      ctx.submit({ instrumentId: ID, side: OrderSide.BUY, quantity: 1 });
  }
}

describe('checkLookAhead', () => {
  it.each(listStrategies().map((s) => s.name))('%s passes on a 300-bar random walk', (name) => {
    const report = checkLookAhead(
      { factory: STRATEGY_REGISTRY[name], id: 'la', instruments: [ID], params: PARAMS[name] },
      BARS,
      { every: 10, randomCuts: 15, seed: 3 },
    );
    expect(report.decisions).toBeGreaterThan(0); // the check is meaningful only if the strategy trades
    expect(formatLookAheadReport(report)).toMatch(/passed/);
    expect(report.ok).toBe(true);
    expect(report.cuts.length).toBeGreaterThanOrEqual(30);
  });

  it('catches a strategy that peeks at bar t+1', () => {
    const report = checkLookAhead((history) => new PeekingStrategy(history), BARS, {
      every: 25,
      randomCuts: 0,
    });
    expect(report.ok).toBe(false);
    const d = report.firstDifference!;
    // the decision at the cut bar itself needed bar cut+1: the truncated run cannot make it
    expect(d.barIndex).toBe(d.cut);
    expect(d.expected?.barIndex).toBe(d.cut);
    expect(formatLookAheadReport(report)).toMatch(
      new RegExp(`bars\\[0\\.\\.${d.cut}\\].*bar ${d.cut}`),
    );
  });

  it('accepts the honest strategy built the same way', () => {
    expect(checkLookAhead((h) => new HonestStrategy(h), BARS).ok).toBe(true);
  });

  it('cut points: explicit, every k, seeded random, deduplicated and sorted', () => {
    expect(lookAheadCuts(10, { cuts: [3, 9], every: 4, randomCuts: 0 })).toEqual([3, 7]);
    expect(lookAheadCuts(100, { every: 1000, randomCuts: 5, seed: 9 })).toEqual(
      lookAheadCuts(100, { every: 1000, randomCuts: 5, seed: 9 }),
    );
    expect(lookAheadCuts(1)).toEqual([]);
    expect(() => lookAheadCuts(10, { cuts: [10] })).toThrow(/cuts/);
    expect(() => lookAheadCuts(10, { every: 0 })).toThrow(/every/);
  });

  it('reports an extra decision in the truncated run', () => {
    // decides only at the LAST bar of whatever history it gets: the truncated run decides at the cut, the full one does not
    const endTrader = (history: readonly Bar[]): Strategy => ({
      id: 'end' as StrategyId,
      instruments: [ID],
      onBar: (bar, ctx) => {
        if (bar === history[history.length - 1]) ctx.cancelAll();
      },
    });
    const r = checkLookAhead(endTrader, BARS.slice(0, 20), {
      cuts: [5],
      every: 100,
      randomCuts: 0,
    });
    expect(r.ok).toBe(false);
    expect(r.firstDifference).toMatchObject({
      cut: 5,
      barIndex: 5,
      expected: undefined,
      actual: expect.objectContaining({ kind: 'cancelAll' }),
    });
    expect(formatLookAheadReport(r)).toMatch(/expected none/);
  });
});

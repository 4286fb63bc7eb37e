import { Bar, Instrument, instrumentId, ValidationError } from '@trading/domain';
import { RecordingContext, runBars } from '../recording-context';
import { createStrategy } from './registry';
import { LiquiditySweepStrategy, LiquiditySweepTracker, SweepPhase } from './liquidity-sweep';

const ID = instrumentId('SWP', 'SIM');
let t = 0;
const bar = (low: number, high: number, close: number, open = close): Bar => ({
  instrumentId: ID,
  ts: (t += 60_000),
  open,
  high,
  low,
  close,
  volume: 1,
});

/** lookback 3, consolidationBars 2, maxConsolidationBars 4. */
const cfg = { lookback: 3, consolidationBars: 2, maxConsolidationBars: 4 };
const warmup = (): Bar[] => [bar(10, 12, 11), bar(10.5, 12, 11.5), bar(10.2, 12, 11)]; // level = 10
const sweep = (): Bar => bar(9.5, 11, 10.5); // trades below 10, closes back above → SWEEP, sweepLow 9.5
const phases = (tr: LiquiditySweepTracker, bars: Bar[]): SweepPhase[] =>
  bars.map((b) => tr.update(b));

describe('LiquiditySweepTracker', () => {
  it('WATCHING → SWEEP → CONSOLIDATION → BREAKOUT, then back to WATCHING', () => {
    const tr = new LiquiditySweepTracker(cfg);
    expect(phases(tr, warmup())).toEqual(['WATCHING', 'WATCHING', 'WATCHING']);
    expect(tr.update(sweep())).toBe('SWEEP');
    expect(tr.level).toBe(10);
    expect(tr.sweepLow).toBe(9.5);
    expect(tr.update(bar(10.4, 11.2, 11))).toBe('CONSOLIDATION');
    expect(tr.update(bar(10.6, 11.1, 10.9))).toBe('CONSOLIDATION');
    expect([tr.bars, tr.rangeHigh, tr.rangeLow]).toEqual([2, 11.2, 10.4]);
    expect(tr.update(bar(10.9, 11.6, 11.5))).toBe('BREAKOUT');
    expect(tr.breakoutClose).toBe(11.5);
    tr.enter();
    expect(tr.phase).toBe('ENTRY');
    expect(tr.update(bar(11, 12, 11.8))).toBe('WATCHING');
    expect(tr.sweepLow).toBeNaN();
  });

  it('a close above the range before consolidationBars bars only widens the range', () => {
    const tr = new LiquiditySweepTracker(cfg);
    phases(tr, [...warmup(), sweep()]);
    expect(tr.update(bar(10.4, 11, 10.8))).toBe('CONSOLIDATION'); // bar 1
    expect(tr.update(bar(10.8, 11.4, 11.3))).toBe('CONSOLIDATION'); // close > 11 but only 1 bar so far → widens to 11.4
    expect(tr.rangeHigh).toBe(11.4);
    expect(tr.update(bar(11, 11.5, 11.35))).toBe('CONSOLIDATION'); // 11.35 < 11.4 → bar 3
    expect(tr.update(bar(11, 11.8, 11.7))).toBe('BREAKOUT');
  });

  it('INVALIDATED when a close is below the sweep low (also right after the sweep)', () => {
    const tr = new LiquiditySweepTracker(cfg);
    phases(tr, [...warmup(), sweep()]);
    expect(tr.update(bar(9.2, 10, 9.4))).toBe('INVALIDATED');
    expect(tr.invalidation).toBe('close-below-sweep-low');
    const tr2 = new LiquiditySweepTracker(cfg);
    phases(tr2, [...warmup(), sweep(), bar(10.4, 11.2, 11)]);
    expect(tr2.update(bar(9.3, 10.5, 9.49))).toBe('INVALIDATED');
    // a low below the sweep low with a close above it is still consolidation
    const tr3 = new LiquiditySweepTracker(cfg);
    phases(tr3, [...warmup(), sweep()]);
    expect(tr3.update(bar(9.4, 10.5, 10))).toBe('CONSOLIDATION');
    expect(tr3.rangeLow).toBe(9.4);
  });

  it('INVALIDATED when consolidation lasts longer than maxConsolidationBars, then a new sweep can start', () => {
    const tr = new LiquiditySweepTracker(cfg);
    phases(tr, [...warmup(), sweep()]);
    expect(
      phases(tr, [
        bar(10.4, 11.2, 11),
        bar(10.5, 11, 10.8),
        bar(10.5, 11, 10.9),
        bar(10.5, 11.1, 11),
      ]),
    ).toEqual(Array(4).fill('CONSOLIDATION'));
    expect(tr.update(bar(10.5, 11, 10.7))).toBe('INVALIDATED');
    expect(tr.invalidation).toBe('consolidation-too-long');
    // lows of the last 3 bars: 10.5, 10.5, 10.5 → a bar below 10.5 closing above is a new sweep
    expect(tr.update(bar(10.3, 11, 10.6))).toBe('SWEEP');
    expect(tr.level).toBe(10.5);
    expect(tr.invalidation).toBeUndefined();
  });

  it('no sweep when the bar closes below the level or does not trade below it', () => {
    const tr = new LiquiditySweepTracker(cfg);
    phases(tr, warmup());
    expect(tr.update(bar(9.5, 10.5, 9.8))).toBe('WATCHING'); // closed below: a breakdown, not a sweep
    expect(tr.update(bar(9.9, 11, 10.5))).toBe('WATCHING'); // window lows 10.5, 10.2, 9.5 → level 9.5: a low of 9.9 is not below it
  });

  it('validates its configuration and enter() only from BREAKOUT', () => {
    expect(() => new LiquiditySweepTracker({ ...cfg, maxConsolidationBars: 1 })).toThrow(
      expect.objectContaining({ field: 'maxConsolidationBars' }),
    );
    expect(() => new LiquiditySweepTracker({ ...cfg, lookback: 0 })).toThrow(
      expect.objectContaining({ field: 'lookback' }),
    );
    expect(() => new LiquiditySweepTracker(cfg).enter()).toThrow(ValidationError);
  });

  it('state round-trip mid-setup', () => {
    const a = new LiquiditySweepTracker(cfg);
    phases(a, [...warmup(), sweep(), bar(10.4, 11.2, 11)]);
    const b = new LiquiditySweepTracker(cfg);
    b.fromState(JSON.parse(JSON.stringify(a.toState())));
    expect(b.phase).toBe('CONSOLIDATION');
    const rest = [bar(10.6, 11.1, 10.9), bar(10.9, 11.6, 11.5)];
    expect(phases(b, rest)).toEqual(phases(a, rest));
    a.invalidate('busy');
    const c = new LiquiditySweepTracker(cfg);
    c.fromState(JSON.parse(JSON.stringify(a.toState())));
    expect(c.invalidation).toBe('busy');
    expect(() => c.fromState({ ...(a.toState() as object), phase: 'NOPE' })).toThrow(/phase/);
    expect(() => c.fromState({ ...(a.toState() as object), invalidation: 'why' })).toThrow(
      /invalidation/,
    );
  });
});

describe('liquidity-sweep strategy', () => {
  const make = () =>
    createStrategy('liquidity-sweep', {
      id: 'ls',
      instruments: [ID],
      params: {
        lookback: 3,
        consolidationBars: 2,
        maxConsolidationBars: 4,
        rewardRisk: 2,
        quantity: 10,
      },
    });

  it('submits a bracket on the breakout: stop one tick under the sweep low, take-profit at rewardRisk × risk', () => {
    const s = make();
    const ctx = runBars(s, [
      ...warmup(),
      sweep(),
      bar(10.4, 11.2, 11),
      bar(10.6, 11.1, 10.9),
      bar(10.9, 11.6, 11.5),
    ]);
    expect(ctx.decisions.map((d) => [d.barIndex, d.kind])).toEqual([[6, 'submitBracket']]);
    // entry 11.5, stop 9.49, risk 2.01, TP 11.5 + 4.02
    expect(ctx.decisions[0].args).toEqual({
      instrumentId: 'SWP.SIM',
      side: 'BUY',
      quantity: '10',
      takeProfitPrice: '15.52',
      stopLossPrice: '9.49',
      tags: ['liquidity-sweep'],
    });
    expect((s as LiquiditySweepStrategy).stateOf(ID)!.tracker.phase).toBe('ENTRY');
    expect(ctx.position(ID).quantity.toNumber()).toBe(10);
    expect(ctx.openOrders(ID).map((o) => `${o.type} ${o.side}`)).toEqual([
      'LIMIT SELL',
      'STOP SELL',
    ]);
    expect(ctx.logs[0].message).toBe('liquidity-sweep entry');
    // the stop is hit: the take-profit is canceled (OCO), flat again
    ctx.step(s, bar(9.3, 11.5, 9.6, 11.4));
    expect(ctx.position(ID).quantity.isZero()).toBe(true);
    expect(ctx.fills.map((f) => `${f.side} ${f.price}`)).toEqual(['BUY 11.5', 'SELL 9.49']);
    expect(ctx.openOrders()).toEqual([]);
  });

  it('rounds prices to the instrument tick', () => {
    const ctx = new RecordingContext({
      strategyId: 'ls',
      instruments: [new Instrument({ id: ID, tickSize: '0.25' })],
    });
    runBars(
      make(),
      [...warmup(), sweep(), bar(10.4, 11.2, 11), bar(10.6, 11.1, 10.9), bar(10.9, 11.6, 11.5)],
      { ctx },
    );
    // stop: 9.5 − 0.25 = 9.25; risk 2.25; TP 11.5 + 4.5 = 16
    expect(ctx.decisions[0].args).toMatchObject({ takeProfitPrice: '16', stopLossPrice: '9.25' });
  });

  it('skips (INVALIDATED busy) a breakout while a position or an order is open', () => {
    const s = make();
    const ctx = new RecordingContext({ strategyId: 'ls' });
    ctx.start(s);
    const series = [...warmup(), sweep(), bar(10.4, 11.2, 11), bar(10.6, 11.1, 10.9)];
    series.forEach((b) => ctx.step(s, b));
    ctx.submit({ instrumentId: ID, side: 'BUY', quantity: 1 }); // now long 1
    ctx.step(s, bar(10.9, 11.6, 11.5));
    expect(ctx.decisions.map((d) => d.kind)).toEqual(['submit']);
    expect((s as LiquiditySweepStrategy).stateOf(ID)!.tracker.invalidation).toBe('busy');
  });

  it('validates rewardRisk', () => {
    expect(() =>
      createStrategy('liquidity-sweep', { id: 'ls', instruments: [ID], params: { rewardRisk: 0 } }),
    ).toThrow(expect.objectContaining({ field: 'rewardRisk' }));
    expect(() =>
      createStrategy('liquidity-sweep', {
        id: 'ls',
        instruments: [ID],
        params: { consolidationBars: 5, maxConsolidationBars: 3 },
      }),
    ).toThrow(expect.objectContaining({ field: 'maxConsolidationBars' }));
  });
});

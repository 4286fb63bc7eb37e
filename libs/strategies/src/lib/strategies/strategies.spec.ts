import { Bar, instrumentId, InstrumentId, ValidationError } from '@trading/domain';
import type { Strategy } from '@trading/engine';
import { RecordingContext, runBars } from '../recording-context';
import { randomWalkBars } from '../../testing';
import { createStrategy, listStrategies, STRATEGY_REGISTRY, strategyFactory } from './registry';
import { SmaCrossStrategy } from './sma-cross';
import { DualSmaCrossStrategy } from './dual-sma-cross';
import { RsiMeanReversionStrategy } from './rsi-mean-reversion';

const AAA = instrumentId('AAA', 'SIM');
const BBB = instrumentId('BBB', 'SIM');

function bars(closes: number[], id: InstrumentId = AAA, t0 = 0): Bar[] {
  return closes.map((c, i) => ({
    instrumentId: id,
    ts: t0 + (i + 1) * 60_000,
    open: c,
    high: c,
    low: c,
    close: c,
    volume: 1,
  }));
}

const summary = (ctx: RecordingContext) =>
  ctx.decisions.map(
    (d) =>
      `${d.barIndex}:${(d.args as { side?: string }).side}:${(d.args as { quantity?: string }).quantity}`,
  );

describe('sma-cross', () => {
  const make = (params = {}) =>
    createStrategy('sma-cross', {
      id: 'sma',
      instruments: [AAA],
      params: { period: 3, quantity: '10', ...params },
    });

  it('buys on a cross above the SMA when flat and sells the position on a cross below', () => {
    // SMA(3) ready at bar 2 (close 10 = sma 10: touch, arms nothing); bar 3 close 9 < sma → below;
    // bar 4 close 12 > sma 10.33 → up → BUY; bar 5 11 > 10.67 stays above; bar 6 8 < 10.33 → down → SELL
    const ctx = runBars(make(), bars([10, 10, 10, 9, 12, 11, 8, 8, 8]));
    expect(summary(ctx)).toEqual(['4:BUY:10', '6:SELL:10']);
    expect(ctx.fills.map((f) => `${f.side} ${f.quantity}@${f.price}`)).toEqual([
      'BUY 10@12',
      'SELL 10@8',
    ]);
    expect(ctx.position(AAA).quantity.isZero()).toBe(true);
    expect(ctx.cash().amount.toNumber()).toBe(1_000_000 - 40);
    expect((ctx.decisions[0].args as { tags: string[] }).tags).toEqual(['sma-cross', 'entry']);
  });

  it('does nothing until the SMA is ready, and the first side only arms the crossover', () => {
    const ctx = runBars(make({ period: 5 }), bars([1, 9, 1, 9, 5, 6, 7]));
    expect(ctx.decisions).toEqual([]);
  });

  it('touching the SMA and returning is not a cross', () => {
    // window 10,10,10 → sma 10; then 11 (above, arms), then 10.5 vs sma... use a flat SMA via equal closes
    const ctx = runBars(make({ period: 1 }), bars([5, 5, 5]));
    expect(ctx.decisions).toEqual([]); // close == SMA(1) always: never a cross
  });

  it('does not send a duplicate order while one is open', () => {
    const s = make();
    const ctx = new RecordingContext({ strategyId: 'sma' });
    ctx.start(s);
    const series = bars([10, 10, 10, 9, 12, 9, 12]);
    // a resting order on the instrument blocks every signal
    ctx.step(s, series[0]);
    ctx.submit({ instrumentId: AAA, side: 'BUY', quantity: 1, type: 'LIMIT', limitPrice: '1' });
    for (const b of series.slice(1)) ctx.step(s, b);
    expect(ctx.decisions.length).toBe(1);
    expect(ctx.openOrders(AAA).length).toBe(1);
  });

  it('ignores a sell signal when flat and a buy signal when long', () => {
    const ctx = runBars(make(), bars([10, 10, 10, 12, 9, 12, 12, 15, 9]));
    // bar 3 arms above; bar 4 down while flat → nothing; bar 5 up → BUY; bar 8 down → SELL
    expect(summary(ctx)).toEqual(['5:BUY:10', '8:SELL:10']);
  });

  it('handles each instrument independently and ignores foreign bars', () => {
    const s = createStrategy('sma-cross', {
      id: 'sma2',
      instruments: [AAA, BBB],
      params: { period: 3, quantity: 1 },
    });
    const a = bars([10, 10, 10, 9, 12], AAA);
    const b = bars([20, 20, 20, 21, 18], BBB);
    const c = bars([1, 2, 3, 4, 5], instrumentId('CCC', 'SIM'));
    const merged: Bar[] = [];
    for (let i = 0; i < 5; i++) merged.push(a[i], b[i], c[i]);
    const ctx = runBars(s, merged);
    expect(
      ctx.decisions.map(
        (d) =>
          `${(d.args as { instrumentId: string }).instrumentId} ${(d.args as { side: string }).side}`,
      ),
    ).toEqual(['AAA.SIM BUY']);
    expect((s as SmaCrossStrategy).stateOf(BBB)?.sma.value).toBeCloseTo(59 / 3);
  });
});

describe('dual-sma-cross', () => {
  it('goes long when the fast SMA crosses above the slow one and flat on the cross below', () => {
    const s = createStrategy('dual-sma-cross', {
      id: 'dual',
      instruments: [AAA],
      params: { fast: 2, slow: 4, quantity: 5 },
    });
    // slow ready at bar 3: fast (8+6)/2=7 < slow 8.5 → below; bar 4 close 20: fast 13 > slow (10+8+6+20)/4=11 → up;
    // bar 5: 20 > 13.5; bar 6 close 2: fast 11 < slow (6+20+20+2)/4=12 → down
    const ctx = runBars(s, bars([10, 10, 8, 6, 20, 20, 2, 1]));
    expect(summary(ctx)).toEqual(['4:BUY:5', '6:SELL:5']);
    expect(s).toBeInstanceOf(DualSmaCrossStrategy);
  });

  it('validates fast < slow naming the parameter', () => {
    expect(() =>
      createStrategy('dual-sma-cross', {
        id: 'd',
        instruments: [AAA],
        params: { fast: 30, slow: 10 },
      }),
    ).toThrow(expect.objectContaining({ field: 'fast' }));
  });
});

describe('rsi-mean-reversion', () => {
  it('buys when RSI crosses up through oversold while flat and sells above overbought while long', () => {
    const s = createStrategy('rsi-mean-reversion', {
      id: 'rsi',
      instruments: [AAA],
      params: { period: 2, oversold: 30, overbought: 70, quantity: 3 },
    });
    // RSI(2): bars 2-4 falling → 0 (below 30); bar 5 +1 → avgGain .5, avgLoss .5 → 50: crosses up through 30 → BUY;
    // bar 6 +1 → .75/.25 → 75: crosses above 70 → SELL
    const closes = [10, 9, 8, 7, 6, 7, 8, 9, 10, 11];
    const ctx = runBars(s, bars(closes));
    const rsi = (s as RsiMeanReversionStrategy).stateOf(AAA)!.rsi;
    expect(rsi.value).toBeCloseTo(100 - 100 / (1 + 0.96875 / 0.03125));
    expect(summary(ctx)).toEqual(['5:BUY:3', '6:SELL:3']);
  });

  it('validates its parameters', () => {
    const mk = (params: Record<string, number | string>) => () =>
      createStrategy('rsi-mean-reversion', { id: 'r', instruments: [AAA], params });
    expect(mk({ oversold: 80, overbought: 70 })).toThrow(
      expect.objectContaining({ field: 'oversold' }),
    );
    expect(mk({ overbought: 170 })).toThrow(expect.objectContaining({ field: 'overbought' }));
    expect(mk({ period: 0 })).toThrow(expect.objectContaining({ field: 'period' }));
    expect(mk({ quantity: '0' })).toThrow(expect.objectContaining({ field: 'quantity' }));
  });
});

describe('registry and parameters', () => {
  it('lists every strategy with documented parameters', () => {
    const list = listStrategies();
    expect(list.map((s) => s.name)).toEqual([
      'sma-cross',
      'dual-sma-cross',
      'rsi-mean-reversion',
      'liquidity-sweep',
    ]);
    for (const s of list) {
      expect(s.description.length).toBeGreaterThan(10);
      for (const p of s.params) expect(p.description.length).toBeGreaterThan(5);
      expect(STRATEGY_REGISTRY[s.name].name).toBe(s.name);
    }
    expect(list.find((s) => s.name === 'sma-cross')!.params).toEqual([
      expect.objectContaining({ name: 'period', type: 'integer', default: 20 }),
      expect.objectContaining({ name: 'quantity', type: 'decimal', default: '100' }),
    ]);
  });

  it('applies defaults and converts CLI strings', () => {
    const s = createStrategy('sma-cross', {
      id: 'x',
      instruments: ['AAA.SIM'],
    }) as SmaCrossStrategy;
    expect(s.period).toBe(20);
    expect(s.quantity.toString()).toBe('100');
    const t = createStrategy('sma-cross', {
      id: 'x',
      instruments: [AAA],
      params: { period: '7', quantity: '2.5' },
    }) as SmaCrossStrategy;
    expect(t.period).toBe(7);
    expect(t.quantity.toString()).toBe('2.5');
  });

  it('errors name the parameter', () => {
    const bad = (params: Record<string, string | number | boolean>, field: string) =>
      expect(() => createStrategy('sma-cross', { id: 'x', instruments: [AAA], params })).toThrow(
        expect.objectContaining({ field }),
      );
    bad({ period: 2.5 }, 'period');
    bad({ period: 'abc' }, 'period');
    bad({ period: true }, 'period');
    bad({ period: 0 }, 'period');
    bad({ quantity: 'lots' }, 'quantity');
    bad({ quantity: true }, 'quantity');
    bad({ quantity: -1 }, 'quantity');
    bad({ perod: 3 }, 'perod');
    expect(() => createStrategy('nope', { id: 'x', instruments: [AAA] })).toThrow(
      expect.objectContaining({ field: 'strategy' }),
    );
    expect(() => createStrategy('toString', { id: 'x', instruments: [AAA] })).toThrow(
      ValidationError,
    );
    expect(() => createStrategy('sma-cross', { id: 'x', instruments: [] })).toThrow(
      expect.objectContaining({ field: 'instruments' }),
    );
    expect(() => createStrategy('sma-cross', { id: 'bad id!', instruments: [AAA] })).toThrow(
      expect.objectContaining({ field: 'strategyId' }),
    );
    expect(strategyFactory('liquidity-sweep').name).toBe('liquidity-sweep');
  });
});

describe('saveState / loadState', () => {
  const series = randomWalkBars({ instrumentId: AAA, count: 400, seed: 7, volatility: 0.02 });
  const cases: [string, Record<string, number | string>][] = [
    ['sma-cross', { period: 10, quantity: 1 }],
    ['dual-sma-cross', { fast: 5, slow: 15, quantity: 1 }],
    ['rsi-mean-reversion', { period: 6, oversold: 35, overbought: 65, quantity: 1 }],
    [
      'liquidity-sweep',
      { lookback: 10, consolidationBars: 2, maxConsolidationBars: 8, rewardRisk: 1.5, quantity: 1 },
    ],
  ];

  it.each(cases)(
    '%s restored mid-series makes the same decisions as one that ran through',
    (name, params) => {
      const make = (): Strategy => createStrategy(name, { id: 's1', instruments: [AAA], params });
      const through = runBars(make(), series);
      expect(through.decisions.length).toBeGreaterThan(1);
      for (const cut of [37, 150, 301]) {
        const first = make();
        const ctx = runBars(first, series.slice(0, cut));
        const saved = JSON.parse(JSON.stringify(first.saveState!()));
        const restored = make();
        restored.loadState!(saved);
        runBars(restored, series.slice(cut), { ctx, start: false });
        expect(ctx.decisions.map((d) => `${d.barIndex} ${d.key}`)).toEqual(
          through.decisions.map((d) => `${d.barIndex} ${d.key}`),
        );
      }
    },
  );

  it('rejects a state of another strategy or version', () => {
    const a = createStrategy('sma-cross', { id: 's', instruments: [AAA] });
    const b = createStrategy('dual-sma-cross', { id: 's', instruments: [AAA] });
    expect(() => a.loadState!(b.saveState!())).toThrow(/kind/);
    expect(() => a.loadState!({ kind: 'sma-cross', version: 2, instruments: {} })).toThrow(
      /version/,
    );
    expect(() => a.loadState!({ kind: 'sma-cross', version: 1, instruments: [] })).toThrow(
      /instruments/,
    );
    a.loadState!({ kind: 'sma-cross', version: 1, instruments: {} }); // missing instrument keeps a fresh state
  });
});

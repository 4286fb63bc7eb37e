import { validateBar } from '@trading/domain';
import { batchToBars, collectBarBatches } from './bar-batch';
import { sfc32, syntheticBarBatches, syntheticBars } from './synthetic-bars';

describe('syntheticBars', () => {
  it('is deterministic per seed and streamed in batches', async () => {
    const a = [
      ...syntheticBarBatches({ instrumentId: 'S.SIM', count: 10_000, seed: 42, batchSize: 4096 }),
    ];
    expect(a.map((b) => b.length)).toEqual([4096, 4096, 1808]);
    const b = await collectBarBatches(
      'S.SIM' as never,
      syntheticBars({ instrumentId: 'S.SIM', count: 10_000, seed: 42 }),
    );
    expect(batchToBars(b)).toEqual(a.flatMap(batchToBars));
    const c = [...syntheticBarBatches({ instrumentId: 'S.SIM', count: 10, seed: 43 })];
    expect(c[0].close[9]).not.toBe(a[0].close[9]);
  });

  it('produces valid OHLC on the 0.01 grid at the requested spacing', () => {
    const [b] = [
      ...syntheticBarBatches({
        instrumentId: 'S.SIM',
        count: 20_000,
        seed: 1,
        startTs: 1_000_000,
        intervalMs: 5_000,
        startPrice: 0.5,
        volatility: 0.05,
      }),
    ];
    const grid = /^\d+(\.\d{1,2})?$/;
    const bad = batchToBars(b).filter((bar) => {
      validateBar(bar);
      return (
        [bar.open, bar.high, bar.low, bar.close].some(
          (p) => !(p >= 0.01) || !grid.test(String(p)),
        ) || !Number.isInteger(bar.volume)
      );
    });
    expect(bad).toEqual([]);
    expect(b.ts[0]).toBe(1_000_000);
    expect(b.ts[19_999]).toBe(1_000_000 + 19_999 * 5_000);
    expect(b.open[0]).toBe(0.5);
    expect(b.open[1]).toBe(b.close[0]);
  });

  it('validates options', () => {
    const ok = { instrumentId: 'S.SIM', count: 1, seed: 1 };
    for (const [extra, field] of [
      [{ count: -1 }, 'count'],
      [{ seed: 1.5 }, 'seed'],
      [{ startTs: 0.5 }, 'startTs'],
      [{ intervalMs: 0 }, 'intervalMs'],
      [{ startPrice: 0 }, 'startPrice'],
      [{ volatility: 2 }, 'volatility'],
      [{ batchSize: 0 }, 'batchSize'],
    ] as const) {
      expect(() => [...syntheticBarBatches({ ...ok, ...extra })]).toThrow(new RegExp(`^${field}:`));
    }
  });

  it('sfc32 yields uniform floats in [0, 1)', () => {
    const r = sfc32(9);
    let sum = 0;
    let out = 0;
    for (let i = 0; i < 10_000; i++) {
      const x = r();
      if (!(x >= 0 && x < 1)) out++;
      sum += x;
    }
    expect(out).toBe(0);
    expect(sum / 10_000).toBeCloseTo(0.5, 1);
  });
});

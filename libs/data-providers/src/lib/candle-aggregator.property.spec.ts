import fc from 'fast-check';
import { Bar, InstrumentId } from '@trading/domain';
import { barsToBatch, batchToBars, collectBarBatches } from './bar-batch';
import { CandleAggregator, resample } from './candle-aggregator';
import { Timeframe } from './timeframe';

/**
 * Resampling is consistent with itself and with the live path. For random tick streams (several
 * ticks per millisecond allowed, boundaries hit exactly, gaps of hours and across session closes):
 * - ticks → M1 → T equals ticks → T for T in M5, H1, D1 (New York sessions closing at 16:00);
 * - ticks → M5 → H1 equals ticks → H1;
 * - the live aggregator fed one tick at a time (onCandle, then flush) equals the batch resampler.
 * Volumes are integers, so sums do not depend on the grouping.
 */
describe('CandleAggregator resampling properties', () => {
  const ID = 'PRP.SIM' as InstrumentId;
  const T0 = Date.UTC(2024, 0, 2, 14, 0);
  const gapArb = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 20_000 }) },
    { weight: 2, arbitrary: fc.constantFrom(0, 1, 59_999, 60_000, 300_000) },
    { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 6 * 3_600_000 }) },
  );
  const ticksArb = fc
    .array(
      fc.record({
        gap: gapArb,
        cents: fc.integer({ min: 1, max: 100_000 }),
        size: fc.integer({ min: 1, max: 1_000 }),
      }),
      { minLength: 1, maxLength: 300 },
    )
    .map((rows) => {
      let t = T0 + rows[0].gap;
      return rows.map((r, i) => {
        if (i > 0) t += r.gap;
        const p = r.cents / 100;
        return { ts: t, open: p, high: p, low: p, close: p, volume: r.size } as Omit<
          Bar,
          'instrumentId'
        >;
      });
    });

  const opts = (timeframe: Timeframe) =>
    timeframe === 'D1' ? { timeframe, timeZone: 'America/New_York' } : { timeframe };

  async function fromTicks(ticks: Omit<Bar, 'instrumentId'>[], timeframe: Timeframe) {
    const out = resample([barsToBatch(ID, ticks)], { ...opts(timeframe), input: 'ticks' });
    return batchToBars(await collectBarBatches(ID, out));
  }
  async function fromBars(bars: Bar[], timeframe: Timeframe) {
    const out = resample([barsToBatch(ID, bars)], opts(timeframe));
    return batchToBars(await collectBarBatches(ID, out));
  }

  it('ticks → M1 → T equals ticks → T, and ticks → M5 → H1 equals ticks → H1', async () => {
    await fc.assert(
      fc.asyncProperty(ticksArb, async (ticks) => {
        const m1 = await fromTicks(ticks, 'M1');
        for (const tf of ['M5', 'H1', 'D1'] as const)
          expect(await fromBars(m1, tf)).toEqual(await fromTicks(ticks, tf));
        expect(await fromBars(await fromTicks(ticks, 'M5'), 'H1')).toEqual(
          await fromTicks(ticks, 'H1'),
        );
        // conservation: one candle per distinct minute, total volume kept
        const volume = ticks.reduce((s, t) => s + t.volume, 0);
        expect(m1.reduce((s, c) => s + c.volume, 0)).toBe(volume);
        expect(m1.length).toBe(new Set(ticks.map((t) => Math.floor(t.ts / 60_000))).size);
      }),
      { numRuns: 150 },
    );
  });

  it('the live aggregator (one tick at a time) emits what the batch resampler returns', async () => {
    await fc.assert(
      fc.asyncProperty(ticksArb, fc.constantFrom('M1', 'M5', 'H1', 'D1'), async (ticks, tf) => {
        const live: Bar[] = [];
        const agg = new CandleAggregator({
          ...opts(tf as Timeframe),
          instrumentId: ID,
          onCandle: (c) => live.push(c),
        });
        for (const t of ticks) agg.addTick(t.ts, t.close, t.volume);
        agg.flush();
        expect(agg.late).toBe(0);
        expect(live).toEqual(await fromTicks(ticks, tf as Timeframe));
      }),
      { numRuns: 150 },
    );
  });
});

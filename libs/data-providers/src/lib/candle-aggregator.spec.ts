import { Bar, InstrumentId, ValidationError } from '@trading/domain';
import { barsToBatch, batchToBars, collectBarBatches } from './bar-batch';
import { CandleAggregator, resample } from './candle-aggregator';
import { syntheticBarBatches } from './synthetic-bars';

const ID = 'X.SIM' as InstrumentId;
const M = 60_000;
const T0 = Date.UTC(2024, 0, 2, 14, 30);

/** Straightforward reference: group by ceil(ts / tf) * tf. */
function reference(bars: Bar[], tf: number): Bar[] {
  const out: Bar[] = [];
  for (const b of bars) {
    const end = Math.ceil(b.ts / tf) * tf;
    const last = out[out.length - 1];
    if (last && last.ts === end)
      out[out.length - 1] = {
        ...last,
        high: Math.max(last.high, b.high),
        low: Math.min(last.low, b.low),
        close: b.close,
        volume: last.volume + b.volume,
      };
    else out.push({ ...b, ts: end });
  }
  return out;
}

describe('CandleAggregator', () => {
  it('builds M1 from ticks: [start, end) buckets stamped at the end', () => {
    const got: Bar[] = [];
    const a = new CandleAggregator({
      instrumentId: ID,
      timeframe: 'M1',
      onCandle: (c) => got.push(c),
    });
    a.addTick(T0 + 1_000, 10, 1);
    a.addTick(T0 + 30_000, 12, 2);
    a.addTick(T0 + 59_999, 9, 3);
    expect(a.current()).toEqual({
      instrumentId: ID,
      ts: T0 + M,
      open: 10,
      high: 12,
      low: 9,
      close: 9,
      volume: 6,
    });
    a.addTick(T0 + M, 11, 1); // exactly on the boundary: next candle
    expect(got).toEqual([
      { instrumentId: ID, ts: T0 + M, open: 10, high: 12, low: 9, close: 9, volume: 6 },
    ]);
    a.advanceTo(T0 + 2 * M - 1);
    expect(got).toHaveLength(1);
    a.advanceTo(T0 + 2 * M); // live: clock reaches the candle end
    expect(got[1]).toMatchObject({ ts: T0 + 2 * M, open: 11, close: 11, volume: 1 });
    expect(a.current()).toBeNull();
    expect(batchToBars(a.take()[0])).toEqual(got);
    a.flush();
    expect(a.take()).toEqual([]);
  });

  it('counts and drops late inputs', () => {
    const a = new CandleAggregator({ instrumentId: ID, timeframe: 'M5' });
    a.addBar(T0 + 5 * M, 1, 2, 1, 2, 1);
    a.addBar(T0 + 6 * M, 1, 2, 1, 2, 1);
    a.addBar(T0 + 2 * M, 1, 9, 1, 2, 1);
    expect(a.late).toBe(1);
    a.flush();
    expect(batchToBars(a.take()[0]).map((b) => [b.ts, b.high])).toEqual([
      [T0 + 5 * M, 2],
      [T0 + 10 * M, 2],
    ]);
  });

  it('resamples M1 → M5 and H1 like the reference (bars by end time)', async () => {
    const src = [
      ...syntheticBarBatches({
        instrumentId: ID,
        count: 5_000,
        seed: 7,
        startTs: T0 + 3 * M,
        batchSize: 999,
      }),
    ];
    const bars = src.flatMap(batchToBars);
    for (const [tf, ms] of [
      ['M5', 5 * M],
      ['M15', 15 * M],
      ['H1', 60 * M],
    ] as const) {
      const out = await collectBarBatches(ID, resample(src, { timeframe: tf, batchSize: 17 }));
      expect(batchToBars(out)).toEqual(reference(bars, ms));
    }
  });

  it('builds D1 candles by exchange session and rolls evening bars to the next session', () => {
    const a = new CandleAggregator({
      instrumentId: ID,
      timeframe: 'D1',
      timeZone: 'America/New_York',
    });
    const day = (d: number, hh: number, mm = 0) => Date.UTC(2024, 2, d, hh, mm); // UTC
    a.addBar(day(8, 15), 1, 2, 1, 2, 1); // 10:00 EST on Fri 8th
    a.addBar(day(8, 21), 2, 3, 2, 3, 1); // 16:00 EST: last bar of the 8th
    a.addBar(day(8, 22), 3, 4, 3, 4, 1); // 17:00 EST: after the close → next session (Sat 9th)
    a.addBar(day(11, 14), 4, 5, 4, 5, 1); // Monday (after DST change): 10:00 EDT
    a.flush();
    const c = batchToBars(a.take()[0]);
    expect(c.map((b) => b.ts)).toEqual([day(8, 21), day(9, 21), day(11, 20)]);
    expect(c[0]).toMatchObject({ open: 1, high: 3, close: 3, volume: 2 });
  });

  it('validates its options', () => {
    expect(() => new CandleAggregator({ instrumentId: ID, timeframe: 'D1' })).toThrow(
      /^timeZone: is required for D1/,
    );
    expect(() => new CandleAggregator({ instrumentId: ID, timeframe: 'W1' as never })).toThrow(
      /^timeframe: must be one of M1, M5/,
    );
    expect(
      () => new CandleAggregator({ instrumentId: ID, timeframe: 'M1', sessionClose: 'x' }),
    ).toThrow(ValidationError);
    expect(
      () => new CandleAggregator({ instrumentId: ID, timeframe: 'M1', input: 'quotes' as never }),
    ).toThrow(/^input:/);
  });

  it('resamples tick batches and takes the instrument from the data', async () => {
    const ticks = barsToBatch(ID, [
      { ts: T0, open: 5, high: 5, low: 5, close: 5, volume: 1 },
      { ts: T0 + 59_999, open: 6, high: 6, low: 6, close: 6, volume: 1 },
      { ts: T0 + M, open: 4, high: 4, low: 4, close: 4, volume: 1 },
    ]);
    const out = await collectBarBatches(ID, resample([ticks], { timeframe: 'M1', input: 'ticks' }));
    expect(batchToBars(out)).toEqual([
      { instrumentId: ID, ts: T0 + M, open: 5, high: 6, low: 5, close: 6, volume: 2 },
      { instrumentId: ID, ts: T0 + 2 * M, open: 4, high: 4, low: 4, close: 4, volume: 1 },
    ]);
    expect(await collectBarBatches(ID, resample([], { timeframe: 'M1' }))).toMatchObject({
      length: 0,
    });
  });
});

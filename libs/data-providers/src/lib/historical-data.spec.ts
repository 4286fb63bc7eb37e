import { DataError, InstrumentId } from '@trading/domain';
import {
  allocBarBatch,
  BarBatchBuilder,
  barsToBatch,
  batchToBars,
  collectBarBatches,
  concatBarBatches,
  sliceBarBatch,
  withLength,
} from './bar-batch';
import { clipBatches, lowerBound, validateBarRequest } from './bar-request';
import { DATA_TOKENS } from './historical-data.port';
import { InMemoryHistoricalData } from './in-memory-historical-data';
import { syntheticBarBatches } from './synthetic-bars';
import { timeframeMs } from './timeframe';

const ID = 'AAA.SIM' as InstrumentId;
const M = 60_000;
const T0 = Date.UTC(2024, 0, 2, 14, 30);
const gen =
  (count: number, batchSize = 100) =>
  () =>
    syntheticBarBatches({ instrumentId: ID, count, seed: 3, startTs: T0 + M, batchSize });

describe('BarBatch helpers', () => {
  it('slices, concatenates and converts', () => {
    const b = barsToBatch(ID, [
      { ts: 1, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 },
      { ts: 2, open: 1.5, high: 3, low: 1, close: 2, volume: 20 },
      { ts: 3, open: 2, high: 2, low: 1, close: 1, volume: 30 },
    ]);
    expect(batchToBars(sliceBarBatch(b, 1)).map((x) => x.ts)).toEqual([2, 3]);
    expect(sliceBarBatch(b, 5, 9).length).toBe(0);
    const c = concatBarBatches(ID, [b, sliceBarBatch(b, 0, 1)]);
    expect(Array.from(c.volume)).toEqual([10, 20, 30, 10]);
    expect(() => withLength(b, 4)).toThrow(/^length:/);
    expect(() => allocBarBatch(ID, -1)).toThrow(/^capacity:/);
    expect(() => new BarBatchBuilder(ID, 0)).toThrow(/^batchSize:/);
  });

  it('builder emits full batches and a trimmed partial one', () => {
    const w = new BarBatchBuilder(ID, 2);
    for (let i = 1; i <= 5; i++) w.push(i, 1, 1, 1, 1, i);
    expect(w.pending).toBe(1);
    expect(w.takeFull().map((b) => b.length)).toEqual([2, 2]);
    const [last] = w.takeAll();
    expect(last.length).toBe(1);
    expect(last.ts.length).toBe(1);
    expect(w.takeAll()).toEqual([]);
  });
});

describe('bar requests', () => {
  it('validates requests naming the field', () => {
    expect(() => validateBarRequest(null as never)).toThrow(/^request:/);
    expect(() => validateBarRequest({ instrumentId: '' as InstrumentId })).toThrow(
      /^request.instrumentId/,
    );
    expect(() => validateBarRequest({ instrumentId: ID, from: 1.5 })).toThrow(/^request.from/);
    expect(() => validateBarRequest({ instrumentId: ID, to: NaN })).toThrow(/^request.to/);
    expect(() => validateBarRequest({ instrumentId: ID, from: 5, to: 4 })).toThrow(
      /^request.to: must be ≥ from/,
    );
    expect(() => validateBarRequest({ instrumentId: ID, timeframe: 'Y1' as never })).toThrow(
      /^request.timeframe/,
    );
    expect(() => validateBarRequest({ instrumentId: ID, source: '' })).toThrow(/^request.source/);
  });

  it('lowerBound and clipBatches keep [from, to)', async () => {
    const ts = new Float64Array([1, 3, 3, 5]);
    expect([0, 1, 3, 4, 6].map((x) => lowerBound(ts, 4, x))).toEqual([0, 0, 1, 3, 4]);
    const batches = [...gen(1000)()];
    const out = await collectBarBatches(
      ID,
      clipBatches(
        (async function* () {
          yield* batches;
        })(),
        T0 + 150 * M,
        T0 + 351 * M,
      ),
    );
    expect(out.length).toBe(201);
    expect(out.ts[0]).toBe(T0 + 150 * M);
    expect(out.ts[200]).toBe(T0 + 350 * M);
  });
});

describe('InMemoryHistoricalData', () => {
  const data = new InMemoryHistoricalData([
    { instrumentId: ID, source: 'synthetic', batches: gen(1000) },
    { instrumentId: ID, source: 'fixed', batches: [...gen(10)()], timeZone: 'America/New_York' },
  ]);

  it('streams a series, selecting by source', async () => {
    expect(data.describe()).toEqual([
      {
        instrumentId: ID,
        source: 'synthetic',
        kind: undefined,
        timeZone: undefined,
        sessionClose: undefined,
      },
      {
        instrumentId: ID,
        source: 'fixed',
        kind: undefined,
        timeZone: 'America/New_York',
        sessionClose: undefined,
      },
    ]);
    expect((await collectBarBatches(ID, data.loadBars({ instrumentId: ID }))).length).toBe(1000);
    expect(
      (await collectBarBatches(ID, data.loadBars({ instrumentId: ID, source: 'fixed' }))).length,
    ).toBe(10);
    expect(DATA_TOKENS.HistoricalData).toBe(Symbol.for('trading.HistoricalData'));
  });

  it('applies from/to to resampled candles and stops reading early', async () => {
    let produced = 0;
    const counting = new InMemoryHistoricalData([
      {
        instrumentId: ID,
        source: 's',
        batches: function* () {
          for (const b of gen(100_000, 50)()) {
            produced += b.length;
            yield b;
          }
        },
      },
    ]);
    const all = batchToBars(
      await collectBarBatches(ID, data.loadBars({ instrumentId: ID, timeframe: 'M5' })),
    );
    const part = batchToBars(
      await collectBarBatches(
        ID,
        counting.loadBars({
          instrumentId: ID,
          timeframe: 'M5',
          from: T0 + 100 * M,
          to: T0 + 200 * M,
        }),
      ),
    );
    expect(part).toEqual(all.filter((b) => b.ts >= T0 + 100 * M && b.ts < T0 + 200 * M));
    expect(part).toHaveLength(20);
    expect(produced).toBeLessThan(400);
    expect(timeframeMs('M5')).toBe(5 * M);
  });

  it('resamples to D1 by session in the series zone', async () => {
    const d1 = batchToBars(
      await collectBarBatches(
        ID,
        data.loadBars({ instrumentId: ID, source: 'fixed', timeframe: 'D1' }),
      ),
    );
    expect(d1).toHaveLength(1);
    expect(d1[0].ts).toBe(Date.UTC(2024, 0, 2, 21));
  });

  it('fails clearly for an unknown series', () => {
    expect(() => data.loadBars({ instrumentId: 'ZZZ.SIM' as InstrumentId })).toThrow(DataError);
    expect(() => data.loadBars({ instrumentId: ID, source: 'nope' })).toThrow(
      /no historical series for AAA.SIM \(source nope\); known: AAA.SIM\/synthetic, AAA.SIM\/fixed/,
    );
  });
});

/** Fakes and contract suites of @trading/data-providers for other libs' tests. */
import { InstrumentId } from '@trading/domain';
import { BarBatch, batchToBars, collectBarBatches } from './lib/bar-batch';
import { resample } from './lib/candle-aggregator';
import { HistoricalData } from './lib/historical-data.port';
import { InMemoryHistoricalData } from './lib/in-memory-historical-data';
import { syntheticBarBatches, SyntheticBarsOptions } from './lib/synthetic-bars';

export { InMemoryHistoricalData } from './lib/in-memory-historical-data';

/** A HistoricalData serving one synthetic M1 series (streamed, deterministic). */
export function syntheticHistoricalData(
  opts: SyntheticBarsOptions & { source?: string },
): InMemoryHistoricalData {
  return new InMemoryHistoricalData([
    {
      instrumentId: opts.instrumentId as InstrumentId,
      source: opts.source ?? 'synthetic',
      batches: () => syntheticBarBatches(opts),
    },
  ]);
}

/**
 * Contract every {@link HistoricalData} adapter passes. `make()` must serve `instrumentId` with
 * exactly the bars of `expected` (M1 bars, at least a few hundred).
 */
export function historicalDataContract(
  name: string,
  make: () => Promise<HistoricalData> | HistoricalData,
  instrumentId: InstrumentId,
  expected: () => BarBatch,
): void {
  describe(`HistoricalData contract: ${name}`, () => {
    it('streams every bar in ts order', async () => {
      const d = await make();
      const got = await collectBarBatches(instrumentId, d.loadBars({ instrumentId }));
      const want = expected();
      expect(batchToBars(got)).toEqual(batchToBars(want));
      for (let i = 1; i < got.length; i++)
        if (!(got.ts[i] > got.ts[i - 1])) throw new Error(`ts not increasing at ${i}`);
      expect(d.describe().some((s) => s.instrumentId === instrumentId)).toBe(true);
    });

    it('applies from (inclusive) and to (exclusive)', async () => {
      const d = await make();
      const want = expected();
      const from = want.ts[10];
      const to = want.ts[100];
      const got = await collectBarBatches(instrumentId, d.loadBars({ instrumentId, from, to }));
      expect(got.length).toBe(90);
      expect(got.ts[0]).toBe(from);
      expect(got.ts[89]).toBe(want.ts[99]);
    });

    it('resamples with the CandleAggregator rule', async () => {
      const d = await make();
      const got = await collectBarBatches(
        instrumentId,
        d.loadBars({ instrumentId, timeframe: 'M5' }),
      );
      const ref = await collectBarBatches(
        instrumentId,
        resample([expected()], { timeframe: 'M5' }),
      );
      expect(batchToBars(got)).toEqual(batchToBars(ref));
    });

    it('rejects an unknown instrument', async () => {
      const d = await make();
      const run = async () => {
        for await (const _ of d.loadBars({ instrumentId: 'UNKNOWN.NONE' as InstrumentId })) {
          // drain
        }
      };
      await expect(run()).rejects.toThrow(/UNKNOWN.NONE/);
    });
  });
}

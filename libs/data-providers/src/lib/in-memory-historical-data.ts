import { parseInstrumentId } from '@trading/domain';
import { BarBatch } from './bar-batch';
import { applyBarRequest, selectSeries, validateBarRequest } from './bar-request';
import { BarRequest, HistoricalData, HistoricalSeriesInfo } from './historical-data.port';

/** A series served by {@link InMemoryHistoricalData}: fixed batches or a stream factory (e.g. synthetic). */
export interface InMemorySeries extends HistoricalSeriesInfo {
  /** The batches, or a function opening a fresh stream per load. */
  readonly batches: readonly BarBatch[] | (() => AsyncIterable<BarBatch> | Iterable<BarBatch>);
}

/**
 * {@link HistoricalData} over batches held in memory or produced on demand (e.g.
 * `() => syntheticBarBatches({...})`): for tests, demos and benchmarks.
 */
export class InMemoryHistoricalData implements HistoricalData {
  private readonly series: InMemorySeries[];

  constructor(series: readonly InMemorySeries[]) {
    this.series = series.map((s, i) => ({
      ...s,
      instrumentId: parseInstrumentId(s.instrumentId, `series[${i}].instrumentId`),
    }));
  }

  /** {@inheritDoc HistoricalData.loadBars} */
  loadBars(request: BarRequest): AsyncIterable<BarBatch> {
    const req = validateBarRequest(request);
    const s = selectSeries(this.series, req);
    const b = s.batches;
    async function* open(): AsyncGenerator<BarBatch> {
      yield* typeof b === 'function' ? b() : b;
    }
    return applyBarRequest(open(), req, s);
  }

  /** {@inheritDoc HistoricalData.describe} */
  describe(): readonly HistoricalSeriesInfo[] {
    return this.series.map(({ instrumentId, source, kind, timeZone, sessionClose }) => ({
      instrumentId,
      source,
      kind,
      timeZone,
      sessionClose,
    }));
  }
}

import { InstrumentId } from '@trading/domain';
import { BarBatch } from './bar-batch';
import { DataIssue } from './csv-bar-parser';
import { SeriesKind } from './csv-options';
import { Timeframe } from './timeframe';

/** What to load. */
export interface BarRequest {
  /** Instrument. */
  readonly instrumentId: InstrumentId;
  /** Series name when an instrument has several sources (e.g. two files); default: its only/first one. */
  readonly source?: string;
  /** Inclusive lower bound on bar `ts` (UTC ms). */
  readonly from?: number;
  /** Exclusive upper bound on bar `ts` (UTC ms). */
  readonly to?: number;
  /** Resample to this timeframe with the {@link CandleAggregator} rule (from/to apply to the resampled candles). */
  readonly timeframe?: Timeframe;
}

/** One series a {@link HistoricalData} can serve. */
export interface HistoricalSeriesInfo {
  /** Instrument. */
  readonly instrumentId: InstrumentId;
  /** Series name (unique per instrument). */
  readonly source: string;
  /** Bars, or ticks (one-price bars at trade time). */
  readonly kind?: SeriesKind;
  /** Zone of the data's exchange, when known. */
  readonly timeZone?: string;
  /** Session close `HH:mm` used for D1, when known. */
  readonly sessionClose?: string;
}

/** Outcome of the last load of a series (row counts, skipped bad rows). */
export interface LoadReport {
  /** Instrument. */
  readonly instrumentId: InstrumentId;
  /** Series name. */
  readonly source: string;
  /** Data rows in the input. */
  readonly rows: number;
  /** Bars in the series (before from/to/timeframe). */
  readonly bars: number;
  /** Bad rows skipped. */
  readonly skipped: number;
  /** The skipped rows (at most `maxIssues`). */
  readonly issues: readonly DataIssue[];
  /** Whether the bars came from a binary cache. */
  readonly fromCache: boolean;
}

/**
 * Historical market data port. `loadBars` streams columnar batches in `ts` order with bounded
 * memory (never the whole series at once); the backtester iterates them without per-bar
 * allocation. Errors (bad data, missing series) surface as the iterator's rejection.
 */
export interface HistoricalData {
  /** Streams the bars of one series. */
  loadBars(request: BarRequest): AsyncIterable<BarBatch>;
  /** The series this source serves. */
  describe(): readonly HistoricalSeriesInfo[];
}

/** DI tokens of this lib. */
export const DATA_TOKENS = {
  HistoricalData: Symbol.for('trading.HistoricalData'),
} as const;

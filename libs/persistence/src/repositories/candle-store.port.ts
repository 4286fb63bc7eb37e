import type { EpochMs } from './common';

/**
 * One OHLCV candle. Prices and volume are numbers, like the domain `Bar` (exact for ≤ 15
 * significant digits); they are stored as `numeric`. `ts` is the candle's close time.
 */
export interface Candle {
  readonly symbol: string;
  /** Timeframe label, e.g. `1m`, `5m`, `1h`, `1d`. */
  readonly timeframe: string;
  readonly ts: EpochMs;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** Summary of the candles of one symbol and timeframe. */
export interface CandleStats {
  readonly count: number;
  /** Oldest `ts`, or null when there are none. */
  readonly firstTs: EpochMs | null;
  /** Newest `ts`, or null when there are none. */
  readonly lastTs: EpochMs | null;
}

/** Candle store keyed by (symbol, timeframe, ts). */
export interface CandleStore {
  /**
   * Inserts candles in bulk; an existing (symbol, timeframe, ts) is overwritten with the new
   * values. Within one call the last candle for a key wins. Resolves to the number of candles written.
   */
  upsertMany(candles: readonly Candle[]): Promise<number>;
  /** Candles with `from ≤ ts < to`, oldest first, at most `limit` when given. */
  range(
    symbol: string,
    timeframe: string,
    from: EpochMs,
    to: EpochMs,
    limit?: number,
  ): Promise<Candle[]>;
  /** The newest candle, or null. */
  latest(symbol: string, timeframe: string): Promise<Candle | null>;
  /** Count and first/last timestamps. */
  stats(symbol: string, timeframe: string): Promise<CandleStats>;
}

import { DataError, InstrumentId, MS, ValidationError } from '@trading/domain';
import { BarBatch, sliceBarBatch } from './bar-batch';
import { resample } from './candle-aggregator';
import { SeriesKind } from './csv-options';
import { BarRequest, HistoricalSeriesInfo } from './historical-data.port';
import { assertTimeframe, timeframeMs } from './timeframe';

/** Validates a {@link BarRequest}; errors name the field. */
export function validateBarRequest(req: BarRequest): BarRequest {
  if (req === null || typeof req !== 'object')
    throw new ValidationError('request', req, 'must be an object');
  if (typeof req.instrumentId !== 'string' || req.instrumentId === '')
    throw new ValidationError('request.instrumentId', req.instrumentId, 'must be an instrument id');
  if (req.from !== undefined && !Number.isSafeInteger(req.from))
    throw new ValidationError('request.from', req.from, 'must be an integer epoch-ms timestamp');
  if (req.to !== undefined && !Number.isSafeInteger(req.to))
    throw new ValidationError('request.to', req.to, 'must be an integer epoch-ms timestamp');
  if (req.from !== undefined && req.to !== undefined && req.to < req.from)
    throw new ValidationError('request.to', req.to, `must be ≥ from (${req.from})`);
  if (req.timeframe !== undefined) assertTimeframe(req.timeframe, 'request.timeframe');
  if (req.source !== undefined && (typeof req.source !== 'string' || req.source === ''))
    throw new ValidationError('request.source', req.source, 'must be a non-empty string');
  return req;
}

/** Picks the series a request means (by instrument, then source). Throws a DataError when none. */
export function selectSeries<T extends HistoricalSeriesInfo>(
  series: readonly T[],
  req: BarRequest,
): T {
  const hit = series.find(
    (s) =>
      s.instrumentId === req.instrumentId && (req.source === undefined || s.source === req.source),
  );
  if (!hit) {
    const known = series.map((s) => `${s.instrumentId}/${s.source}`).join(', ') || 'none';
    throw new DataError(
      `no historical series for ${req.instrumentId}${req.source ? ` (source ${req.source})` : ''}; known: ${known}`,
      {
        instrumentId: req.instrumentId,
        source: req.source,
      },
    );
  }
  return hit;
}

/** First index in `ts[0, n)` with `ts[i] ≥ x` (ts sorted). */
export function lowerBound(ts: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Keeps bars with `from ≤ ts < to` (zero-copy views), stopping the source early once past `to`. */
export async function* clipBatches(
  source: AsyncIterable<BarBatch>,
  from = -Infinity,
  to = Infinity,
  stopAfter = to,
): AsyncGenerator<BarBatch> {
  for await (const b of source) {
    const n = b.length;
    if (n === 0) continue;
    if (b.ts[0] >= stopAfter) return;
    const s = b.ts[0] >= from ? 0 : lowerBound(b.ts, n, from);
    const e = b.ts[n - 1] < to ? n : lowerBound(b.ts, n, to);
    if (e > s) yield s === 0 && e === n ? b : sliceBarBatch(b, s, e);
    if (b.ts[n - 1] >= stopAfter) return;
  }
}

/**
 * Applies a request's `timeframe` (resampling with the aggregator rule) and `from`/`to` to a
 * raw series stream, reading the source no further than needed.
 */
export function applyBarRequest(
  source: AsyncIterable<BarBatch>,
  req: BarRequest,
  info: {
    kind?: SeriesKind;
    timeZone?: string;
    sessionClose?: string;
    instrumentId?: InstrumentId;
  },
): AsyncIterable<BarBatch> {
  const from = req.from ?? -Infinity;
  const to = req.to ?? Infinity;
  if (!req.timeframe)
    return from === -Infinity && to === Infinity ? source : clipBatches(source, from, to);
  // Inputs at or past `to + one bucket` cannot contribute to a candle stamped before `to`.
  const reach = req.timeframe === 'D1' ? 2 * MS.DAY : timeframeMs(req.timeframe);
  const raw = clipBatches(
    source,
    req.timeframe === 'D1' ? from - 2 * MS.DAY : from - reach,
    Infinity,
    to + reach,
  );
  const candles = resample(raw, {
    timeframe: req.timeframe,
    input: info.kind ?? 'bars',
    timeZone: info.timeZone,
    sessionClose: info.sessionClose,
    instrumentId: info.instrumentId ?? req.instrumentId,
  });
  return clipBatches(candles, from, to);
}

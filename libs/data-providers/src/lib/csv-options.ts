import { assertZone, InstrumentId, MS, parseInstrumentId, ValidationError } from '@trading/domain';
import { DEFAULT_BATCH_SIZE } from './bar-batch';
import { parseClockTime } from './zone-time';

/**
 * CSV layouts:
 * - `ohlcv`: `Date|Datetime,Open,High,Low,Close[,Volume[,OpenInterest]]`
 * - `date-time-ohlcv`: separate `Date,Time,Open,High,Low,Close[,Volume[,OpenInterest]]` (also when the
 *   header omits `Time`, as in backtrader's minute files)
 * - `yahoo`: `Date,Open,High,Low,Close,Adj Close,Volume` (Close is used; `adjust` scales OHLC)
 * - `tick`: one trade per row: `timestamp,price[,size]`, or `Datetime,Open,High,Low,Close,Volume,…`
 *   with O=H=L=C (Close is taken as the price, Volume as the size)
 * - `auto` (default): detected from the header (and the first data row).
 */
export type CsvFormat = 'auto' | 'ohlcv' | 'date-time-ohlcv' | 'yahoo' | 'tick';

/** What a parsed series holds: bars, or trades (one-price bars stamped at the trade time). */
export type SeriesKind = 'bars' | 'ticks';

/** Options of the CSV bar parser. */
export interface CsvParseOptions {
  /** Instrument the rows belong to. */
  instrumentId: InstrumentId | string;
  /** Name of the input used in error messages (e.g. the file name). */
  source: string;
  /** Layout; `auto` detects it. */
  format?: CsvFormat;
  /** IANA zone of naive timestamps (required unless every timestamp has an offset or is epoch). */
  timeZone?: string;
  /** Local session close `HH:mm` that stamps daily (date-only) bars; default `16:00`. */
  sessionClose?: string;
  /** Whether an intraday row's time is the bar's close (default, backtrader) or its open. */
  barTimestamp?: 'close' | 'open';
  /** Bar length in ms; required with `barTimestamp: 'open'` (ts = time + barDurationMs). */
  barDurationMs?: number;
  /** Yahoo: scale Open/High/Low/Close by AdjClose/Close (volume unchanged). Default false. */
  adjust?: boolean;
  /** Skip and report bad rows instead of failing the whole load. Default false. */
  skipBadRows?: boolean;
  /** Most issues kept in the report (all are counted). Default 1000. */
  maxIssues?: number;
  /** Bars per emitted batch. Default 65,536. */
  batchSize?: number;
  /** Field delimiter; detected from the first line when omitted. */
  delimiter?: ',' | ';' | '\t';
}

/** Validated, defaulted parse options. */
export interface ResolvedCsvParseOptions {
  readonly instrumentId: InstrumentId;
  readonly source: string;
  readonly format: CsvFormat;
  readonly timeZone: string | undefined;
  readonly sessionClose: string;
  readonly sessionCloseMs: number;
  readonly barTimestamp: 'close' | 'open';
  readonly barDurationMs: number;
  readonly adjust: boolean;
  readonly skipBadRows: boolean;
  readonly maxIssues: number;
  readonly batchSize: number;
  readonly delimiter: ',' | ';' | '\t' | undefined;
}

const FORMATS: readonly CsvFormat[] = ['auto', 'ohlcv', 'date-time-ohlcv', 'yahoo', 'tick'];
/** Every option name {@link CsvParseOptions} accepts (unknown names are rejected). */
export const CSV_PARSE_OPTION_KEYS: ReadonlySet<string> = new Set([
  'instrumentId',
  'source',
  'format',
  'timeZone',
  'sessionClose',
  'barTimestamp',
  'barDurationMs',
  'adjust',
  'skipBadRows',
  'maxIssues',
  'batchSize',
  'delimiter',
]);

/**
 * Validates parse options; errors name the field (prefixed with `prefix`, e.g. `series[0].`).
 * Unknown keys are rejected only when `strict` (the adapter passes its own extra keys).
 */
export function resolveCsvParseOptions(
  opts: CsvParseOptions,
  prefix = '',
  strict = true,
): ResolvedCsvParseOptions {
  if (opts === null || typeof opts !== 'object')
    throw new ValidationError(prefix || 'options', opts, 'must be an object');
  if (strict)
    for (const k of Object.keys(opts))
      if (!CSV_PARSE_OPTION_KEYS.has(k))
        throw new ValidationError(
          prefix + k,
          (opts as unknown as Record<string, unknown>)[k],
          'is not a known option',
        );
  const f = (k: string): string => prefix + k;
  const instrumentId = parseInstrumentId(opts.instrumentId, f('instrumentId'));
  if (typeof opts.source !== 'string' || opts.source === '')
    throw new ValidationError(f('source'), opts.source, 'must be a non-empty string');
  const format = opts.format ?? 'auto';
  if (!FORMATS.includes(format))
    throw new ValidationError(f('format'), format, `must be one of ${FORMATS.join(', ')}`);
  const timeZone =
    opts.timeZone === undefined ? undefined : assertZone(opts.timeZone, f('timeZone'));
  const sessionClose = opts.sessionClose ?? '16:00';
  const sessionCloseMs = typeof sessionClose === 'string' ? parseClockTime(sessionClose) : NaN;
  if (Number.isNaN(sessionCloseMs))
    throw new ValidationError(
      f('sessionClose'),
      sessionClose,
      'must be a local time "HH:mm" like "16:00"',
    );
  const barTimestamp = opts.barTimestamp ?? 'close';
  if (barTimestamp !== 'close' && barTimestamp !== 'open')
    throw new ValidationError(f('barTimestamp'), barTimestamp, 'must be "close" or "open"');
  const barDurationMs = opts.barDurationMs ?? 0;
  if (!Number.isSafeInteger(barDurationMs) || barDurationMs < 0 || barDurationMs > 7 * MS.DAY) {
    throw new ValidationError(
      f('barDurationMs'),
      opts.barDurationMs,
      'must be an integer number of ms in [0, 7 days]',
    );
  }
  if (barTimestamp === 'open' && barDurationMs === 0)
    throw new ValidationError(
      f('barDurationMs'),
      opts.barDurationMs,
      'is required (> 0) when barTimestamp is "open"',
    );
  const adjust = opts.adjust ?? false;
  if (typeof adjust !== 'boolean')
    throw new ValidationError(f('adjust'), adjust, 'must be a boolean');
  if (adjust && format !== 'auto' && format !== 'yahoo')
    throw new ValidationError(
      f('adjust'),
      adjust,
      'needs an Adj Close column (format "yahoo" or "auto")',
    );
  const skipBadRows = opts.skipBadRows ?? false;
  if (typeof skipBadRows !== 'boolean')
    throw new ValidationError(f('skipBadRows'), skipBadRows, 'must be a boolean');
  const maxIssues = opts.maxIssues ?? 1000;
  if (!Number.isSafeInteger(maxIssues) || maxIssues < 0)
    throw new ValidationError(f('maxIssues'), maxIssues, 'must be a non-negative integer');
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 16_777_216)
    throw new ValidationError(f('batchSize'), batchSize, 'must be an integer in [1, 16777216]');
  const delimiter = opts.delimiter;
  if (delimiter !== undefined && delimiter !== ',' && delimiter !== ';' && delimiter !== '\t')
    throw new ValidationError(f('delimiter'), delimiter, 'must be ",", ";" or "\\t"');
  return {
    instrumentId,
    source: opts.source,
    format,
    timeZone,
    sessionClose,
    sessionCloseMs,
    barTimestamp,
    barDurationMs,
    adjust,
    skipBadRows,
    maxIssues,
    batchSize,
    delimiter,
  };
}

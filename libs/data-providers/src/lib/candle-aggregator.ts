import { Bar, InstrumentId, MS, parseInstrumentId, ValidationError } from '@trading/domain';
import { BarBatch, BarBatchBuilder, DEFAULT_BATCH_SIZE } from './bar-batch';
import { SeriesKind } from './csv-options';
import { assertTimeframe, Timeframe, timeframeMs } from './timeframe';
import { parseClockTime, ZoneConverter } from './zone-time';

/** Options of a {@link CandleAggregator}. */
export interface CandleAggregatorOptions {
  /** Instrument of the candles. */
  instrumentId: InstrumentId | string;
  /** Target timeframe. */
  timeframe: Timeframe;
  /** Exchange zone; required for `D1` (sessions are local dates). */
  timeZone?: string;
  /** Local session close `HH:mm` for `D1` buckets; default `16:00`. */
  sessionClose?: string;
  /** What {@link CandleAggregator.addBatch} receives: bars stamped at their close (default) or ticks. */
  input?: SeriesKind;
  /** Called with every completed candle (live use); completed candles are also buffered for {@link CandleAggregator.take}. */
  onCandle?: (candle: Bar) => void;
  /** Candles per output batch. Default 65,536. */
  batchSize?: number;
}

/**
 * Builds candles of one timeframe from ticks or from shorter bars; live feeds and historical
 * resampling share it, so a backtest resampled series equals the live candles.
 *
 * Bucketing rule (by bar end time): every input is reduced to its last instant `x`:
 * a tick at `t` → `x = t`; a bar stamped at its close `ts` covers `[ts − d, ts)` → `x = ts − 1 ms`.
 * - Intraday timeframes (M1…H1): the candle ending at `E = floor(x / tf) · tf + tf` (UTC epoch
 *   aligned), i.e. the bucket `(E − tf, E]` for bar close times, `[E − tf, E)` for ticks.
 *   An M1 bar stamped 09:01 goes to the M5 candle stamped 09:05; a tick at 09:04:59.999 too; a
 *   tick at exactly 09:05:00.000 opens the 09:10 candle.
 * - D1: the exchange session whose close (`sessionClose`, local time in `timeZone`, every
 *   calendar day) is the first one strictly after `x`; the candle is stamped at that close.
 *   With a 16:00 close, bars up to 16:00 belong to that date; later (evening) bars roll into the
 *   next day's session: set `sessionClose` to the real close of the data (e.g. `22:00`).
 * Candles are emitted when an input falls into a later bucket ({@link advanceTo} does it on a
 * clock tick, {@link flush} at the end of data); an input older than the current bucket is late:
 * counted in {@link late} and ignored.
 */
export class CandleAggregator {
  /** Instrument of the candles. */
  readonly instrumentId: InstrumentId;
  /** Target timeframe. */
  readonly timeframe: Timeframe;
  /** Inputs dropped because they were older than the current bucket. */
  late = 0;
  private readonly tf: number;
  private readonly daily: boolean;
  private readonly conv: ZoneConverter | null;
  private readonly closeMs: number;
  private readonly ticks: boolean;
  private readonly onCandle?: (candle: Bar) => void;
  private readonly out: BarBatchBuilder;
  private has = false;
  private start = 0;
  private end = 0;
  private o = 0;
  private h = 0;
  private l = 0;
  private c = 0;
  private v = 0;

  constructor(opts: CandleAggregatorOptions) {
    this.instrumentId = parseInstrumentId(opts.instrumentId);
    this.timeframe = assertTimeframe(opts.timeframe);
    this.tf = timeframeMs(this.timeframe);
    this.daily = this.timeframe === 'D1';
    if (this.daily && !opts.timeZone)
      throw new ValidationError(
        'timeZone',
        opts.timeZone,
        'is required for D1 candles (sessions are exchange-local dates)',
      );
    this.conv = opts.timeZone ? ZoneConverter.for(opts.timeZone) : null;
    const sc = opts.sessionClose ?? '16:00';
    this.closeMs = parseClockTime(sc);
    if (Number.isNaN(this.closeMs))
      throw new ValidationError('sessionClose', sc, 'must be a local time "HH:mm" like "16:00"');
    if (opts.input !== undefined && opts.input !== 'bars' && opts.input !== 'ticks')
      throw new ValidationError('input', opts.input, 'must be "bars" or "ticks"');
    this.ticks = opts.input === 'ticks';
    this.onCandle = opts.onCandle;
    this.out = new BarBatchBuilder(this.instrumentId, opts.batchSize ?? DEFAULT_BATCH_SIZE);
  }

  /** Adds a bar stamped at its close time `ts`. */
  addBar(ts: number, open: number, high: number, low: number, close: number, volume: number): void {
    this.add(ts - 1, open, high, low, close, volume);
  }

  /** Adds a trade. */
  addTick(ts: number, price: number, size: number): void {
    this.add(ts, price, price, price, price, size);
  }

  /** Adds a batch of bars or ticks (per the `input` option; ticks: Close is the price, Volume the size). */
  addBatch(batch: BarBatch): void {
    const n = batch.length;
    const { ts, open, high, low, close, volume } = batch;
    const shift = this.ticks ? 0 : 1;
    for (let i = 0; i < n; i++)
      this.add(ts[i] - shift, open[i], high[i], low[i], close[i], volume[i]);
  }

  /** Emits the current candle if `now` (UTC ms) is at or past its end (live: call on clock ticks). */
  advanceTo(now: number): void {
    if (this.has && now >= this.end) this.emit();
  }

  /** Emits the current (possibly incomplete) candle: end of historical data. */
  flush(): void {
    if (this.has) this.emit();
  }

  /** The candle being built, if any (its `ts` is the bucket end). */
  current(): Bar | null {
    return this.has
      ? {
          instrumentId: this.instrumentId,
          ts: this.end,
          open: this.o,
          high: this.h,
          low: this.l,
          close: this.c,
          volume: this.v,
        }
      : null;
  }

  /** Completed candles as batches (full batches only unless `all`), removed from the buffer. */
  take(all = true): BarBatch[] {
    return all ? this.out.takeAll() : this.out.takeFull();
  }

  /** Bucket end for last instant `x` (sets this.start/this.end). */
  private bucket(x: number): void {
    if (!this.daily) {
      this.end = Math.floor(x / this.tf) * this.tf + this.tf;
      this.start = this.end - this.tf;
      return;
    }
    const conv = this.conv as ZoneConverter;
    const wall = conv.toWall(x);
    let closeWall = Math.floor(wall / MS.DAY) * MS.DAY + this.closeMs;
    if (wall >= closeWall) closeWall += MS.DAY;
    this.end = this.wallToUtc(closeWall, x);
    this.start = this.wallToUtc(closeWall - MS.DAY, x - MS.DAY);
  }

  private wallToUtc(wall: number, near: number): number {
    const conv = this.conv as ZoneConverter;
    const u = conv.toUtc(wall);
    return Number.isNaN(u) ? wall - conv.offsetAtUtc(near) : u;
  }

  private add(x: number, o: number, h: number, l: number, c: number, v: number): void {
    if (this.has) {
      if (x < this.end) {
        if (x >= this.start) {
          if (h > this.h) this.h = h;
          if (l < this.l) this.l = l;
          this.c = c;
          this.v += v;
        } else this.late++;
        return;
      }
      this.emit();
    }
    this.bucket(x);
    this.has = true;
    this.o = o;
    this.h = h;
    this.l = l;
    this.c = c;
    this.v = v;
  }

  private emit(): void {
    this.has = false;
    this.out.push(this.end, this.o, this.h, this.l, this.c, this.v);
    if (this.onCandle)
      this.onCandle({
        instrumentId: this.instrumentId,
        ts: this.end,
        open: this.o,
        high: this.h,
        low: this.l,
        close: this.c,
        volume: this.v,
      });
  }
}

/** Options of {@link resample}: the aggregator's, instrument taken from the batches when omitted. */
export type ResampleOptions = Omit<CandleAggregatorOptions, 'onCandle' | 'instrumentId'> & {
  instrumentId?: InstrumentId | string;
};

/**
 * Resamples a stream of batches to `timeframe` with a {@link CandleAggregator} (the live rule),
 * emitting the last, possibly incomplete, candle at the end.
 */
export async function* resample(
  source: AsyncIterable<BarBatch> | Iterable<BarBatch>,
  opts: ResampleOptions,
): AsyncGenerator<BarBatch> {
  let agg: CandleAggregator | null = opts.instrumentId
    ? new CandleAggregator({ ...opts, instrumentId: opts.instrumentId })
    : null;
  for await (const b of source) {
    agg ??= new CandleAggregator({ ...opts, instrumentId: b.instrumentId });
    agg.addBatch(b);
    for (const out of agg.take(false)) yield out;
  }
  if (agg) {
    agg.flush();
    for (const out of agg.take(true)) yield out;
  }
}

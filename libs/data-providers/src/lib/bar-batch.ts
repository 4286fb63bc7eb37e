import { Bar, InstrumentId, ValidationError } from '@trading/domain';

/**
 * A columnar batch of bars of one instrument, sorted by `ts`.
 *
 * `ts` is the bar's close (end) time in UTC epoch ms, like {@link Bar.ts}. Column `i < length`
 * of every array belongs to bar `i`; arrays may be longer than `length` (reused buffers) or be
 * `subarray` views of a larger buffer, so always loop to `length`, never to `ts.length`.
 * The backtester iterates batches without allocating per bar.
 */
export interface BarBatch {
  readonly instrumentId: InstrumentId;
  readonly length: number;
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** Default number of bars per batch produced by parsers, generators and the cache (≈3 MB). */
export const DEFAULT_BATCH_SIZE = 65_536;

/** Allocates an empty batch with room for `capacity` bars (length 0 until filled via {@link withLength}). */
export function allocBarBatch(instrumentId: InstrumentId, capacity: number): BarBatch {
  if (!Number.isSafeInteger(capacity) || capacity < 0)
    throw new ValidationError('capacity', capacity, 'must be a non-negative integer');
  const buf = new ArrayBuffer(capacity * 48);
  return {
    instrumentId,
    length: 0,
    ts: new Float64Array(buf, 0, capacity),
    open: new Float64Array(buf, capacity * 8, capacity),
    high: new Float64Array(buf, capacity * 16, capacity),
    low: new Float64Array(buf, capacity * 24, capacity),
    close: new Float64Array(buf, capacity * 32, capacity),
    volume: new Float64Array(buf, capacity * 40, capacity),
  };
}

/** The same columns with a different `length` (≤ capacity). No copy. */
export function withLength(batch: BarBatch, length: number): BarBatch {
  if (!Number.isSafeInteger(length) || length < 0 || length > batch.ts.length) {
    throw new ValidationError('length', length, `must be an integer in [0, ${batch.ts.length}]`);
  }
  return { ...batch, length };
}

/** Bars `[start, end)` of a batch as zero-copy `subarray` views. */
export function sliceBarBatch(
  batch: BarBatch,
  start: number,
  end: number = batch.length,
): BarBatch {
  const s = Math.max(0, Math.min(start, batch.length));
  const e = Math.max(s, Math.min(end, batch.length));
  return {
    instrumentId: batch.instrumentId,
    length: e - s,
    ts: batch.ts.subarray(s, e),
    open: batch.open.subarray(s, e),
    high: batch.high.subarray(s, e),
    low: batch.low.subarray(s, e),
    close: batch.close.subarray(s, e),
    volume: batch.volume.subarray(s, e),
  };
}

/** Builds a batch from bar objects (convenience for tests and small inputs; copies). */
export function barsToBatch(
  instrumentId: InstrumentId,
  bars: readonly Omit<Bar, 'instrumentId'>[],
): BarBatch {
  const b = allocBarBatch(instrumentId, bars.length);
  for (let i = 0; i < bars.length; i++) {
    const x = bars[i];
    b.ts[i] = x.ts;
    b.open[i] = x.open;
    b.high[i] = x.high;
    b.low[i] = x.low;
    b.close[i] = x.close;
    b.volume[i] = x.volume;
  }
  return withLength(b, bars.length);
}

/** Converts a batch to `Bar` objects (allocates one object per bar: for convenience, not hot paths). */
export function batchToBars(batch: BarBatch): Bar[] {
  const out: Bar[] = new Array(batch.length);
  for (let i = 0; i < batch.length; i++) {
    out[i] = {
      instrumentId: batch.instrumentId,
      ts: batch.ts[i],
      open: batch.open[i],
      high: batch.high[i],
      low: batch.low[i],
      close: batch.close[i],
      volume: batch.volume[i],
    };
  }
  return out;
}

/** Concatenates batches of one instrument into one (copies; for tests and small series only). */
export function concatBarBatches(
  instrumentId: InstrumentId,
  batches: readonly BarBatch[],
): BarBatch {
  let n = 0;
  for (const b of batches) n += b.length;
  const out = allocBarBatch(instrumentId, n);
  let k = 0;
  for (const b of batches) {
    out.ts.set(b.ts.subarray(0, b.length), k);
    out.open.set(b.open.subarray(0, b.length), k);
    out.high.set(b.high.subarray(0, b.length), k);
    out.low.set(b.low.subarray(0, b.length), k);
    out.close.set(b.close.subarray(0, b.length), k);
    out.volume.set(b.volume.subarray(0, b.length), k);
    k += b.length;
  }
  return withLength(out, n);
}

/** Collects an async stream of batches into one batch (tests and small series only). */
export async function collectBarBatches(
  instrumentId: InstrumentId,
  stream: AsyncIterable<BarBatch>,
): Promise<BarBatch> {
  const parts: BarBatch[] = [];
  for await (const b of stream) parts.push(b);
  return concatBarBatches(instrumentId, parts);
}

/**
 * Growable columnar writer: append bars one by one, take full batches out. Used by parsers,
 * the aggregator and the generator so every producer emits the same shape.
 */
export class BarBatchBuilder {
  private cur: BarBatch | null = null;
  private n = 0;
  private readonly done: BarBatch[] = [];

  /** @param batchSize bars per emitted batch. */
  constructor(
    readonly instrumentId: InstrumentId,
    readonly batchSize: number = DEFAULT_BATCH_SIZE,
  ) {
    if (!Number.isSafeInteger(batchSize) || batchSize < 1)
      throw new ValidationError('batchSize', batchSize, 'must be a positive integer');
  }

  /** Bars appended but not yet taken. */
  get pending(): number {
    return this.n;
  }

  /** Appends one bar. */
  push(ts: number, open: number, high: number, low: number, close: number, volume: number): void {
    const c = this.cur ?? (this.cur = allocBarBatch(this.instrumentId, this.batchSize));
    const i = this.n;
    c.ts[i] = ts;
    c.open[i] = open;
    c.high[i] = high;
    c.low[i] = low;
    c.close[i] = close;
    c.volume[i] = volume;
    if (++this.n === this.batchSize) {
      this.done.push(withLength(c, this.n));
      this.cur = null;
      this.n = 0;
    }
  }

  /** Full batches completed so far (removes them from the builder). */
  takeFull(): BarBatch[] {
    return this.done.splice(0, this.done.length);
  }

  /** All batches including the partial last one (removes them). */
  takeAll(): BarBatch[] {
    if (this.n > 0 && this.cur) {
      this.done.push(sliceBarBatch(withLength(this.cur, this.n), 0, this.n));
      this.cur = null;
      this.n = 0;
    }
    return this.takeFull();
  }
}

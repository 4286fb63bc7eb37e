import { InstrumentId, MS, parseInstrumentId, ValidationError } from '@trading/domain';
import { allocBarBatch, BarBatch, DEFAULT_BATCH_SIZE, withLength } from './bar-batch';

/** Options of {@link syntheticBars}. */
export interface SyntheticBarsOptions {
  /** Instrument of the bars. */
  instrumentId: InstrumentId | string;
  /** Number of bars. */
  count: number;
  /** PRNG seed (any 32-bit integer); the same seed gives the same bars. */
  seed: number;
  /** Close time (UTC ms) of the first bar. Default 2020-01-01T00:01:00Z. */
  startTs?: number;
  /** Bar spacing in ms. Default 60,000 (M1). */
  intervalMs?: number;
  /** First open. Default 100. */
  startPrice?: number;
  /** Per-bar volatility of log returns. Default 0.001. */
  volatility?: number;
  /** Bars per batch. Default 65,536. */
  batchSize?: number;
}

/** sfc32 PRNG: fast, 128-bit state, good statistical quality. Returns floats in [0, 1). */
export function sfc32(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed | 0;
  const next = (): number => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** Rounds to the 0.01 tick (the result prints with ≤ 2 decimals). */
function tick(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * Deterministic GBM-like random walk, streamed as batches: open = previous close, close =
 * open·exp(σ·z) (z standard normal via Box–Muller), high/low extend beyond open/close by a
 * random fraction of σ; prices on the 0.01 grid, never below 0.01; valid OHLC by construction;
 * integer volumes. For benchmarks and tests.
 */
export function* syntheticBarBatches(opts: SyntheticBarsOptions): Generator<BarBatch> {
  const instrumentId = parseInstrumentId(opts.instrumentId);
  const { count, seed } = opts;
  if (!Number.isSafeInteger(count) || count < 0)
    throw new ValidationError('count', count, 'must be a non-negative integer');
  if (!Number.isInteger(seed)) throw new ValidationError('seed', seed, 'must be an integer');
  const startTs = opts.startTs ?? 1_577_836_860_000;
  if (!Number.isSafeInteger(startTs))
    throw new ValidationError('startTs', startTs, 'must be an integer epoch-ms timestamp');
  const intervalMs = opts.intervalMs ?? MS.MINUTE;
  if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0)
    throw new ValidationError('intervalMs', intervalMs, 'must be a positive integer');
  const startPrice = opts.startPrice ?? 100;
  if (!(startPrice >= 0.01 && startPrice < 1e9))
    throw new ValidationError('startPrice', startPrice, 'must be a price in [0.01, 1e9)');
  const sigma = opts.volatility ?? 0.001;
  if (!(sigma >= 0 && sigma < 1))
    throw new ValidationError('volatility', sigma, 'must be in [0, 1)');
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new ValidationError('batchSize', batchSize, 'must be a positive integer');
  const rnd = sfc32(seed);
  let prev = tick(startPrice);
  let done = 0;
  while (done < count) {
    const n = Math.min(batchSize, count - done);
    const b = allocBarBatch(instrumentId, n);
    for (let i = 0; i < n; i++) {
      const u1 = rnd() || 1e-12;
      const u2 = rnd();
      const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      const o = prev;
      const c = Math.max(0.01, tick(o * Math.exp(sigma * z)));
      const hi = Math.max(o, c);
      const lo = Math.min(o, c);
      b.ts[i] = startTs + (done + i) * intervalMs;
      b.open[i] = o;
      b.close[i] = c;
      b.high[i] = Math.max(hi, tick(hi * (1 + sigma * rnd())));
      b.low[i] = Math.max(0.01, Math.min(lo, tick(lo * (1 - sigma * rnd()))));
      b.volume[i] = 100 + Math.floor(rnd() * 10_000);
      prev = c;
    }
    done += n;
    yield withLength(b, n);
  }
}

/** {@link syntheticBarBatches} as an async stream (the {@link HistoricalData} shape). */
export async function* syntheticBars(opts: SyntheticBarsOptions): AsyncGenerator<BarBatch> {
  yield* syntheticBarBatches(opts);
}

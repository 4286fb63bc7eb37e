import { ValidationError } from '@trading/domain';
import type { JsonValue } from '@trading/engine';
import {
  checkPeriod,
  jsonNum,
  readInt,
  readKind,
  readNum,
  readRing,
  readSame,
} from '../json-state';
import { Indicator, PriceInput } from './indicator';

/** How many updates run between two exact re-computations of the window mean and M2. */
const RESYNC_EVERY = 1024;

/**
 * Bollinger Bands: middle = SMA(period), upper/lower = middle ± k × population standard deviation
 * of the same window (divide by `period`, as Bollinger defines it).
 *
 * Mean and M2 (sum of squared deviations) are updated with the sliding-window Welford recurrence
 * (O(1), numerically far better than Σx² − (Σx)²/n). To stop float drift on endless streams the
 * window is re-summed exactly (two passes) every max(period, 1024) updates: amortized O(1), no
 * allocation. `value` is the middle band; NaN until `period` inputs were seen.
 */
export class BollingerBands implements Indicator<PriceInput> {
  private readonly buf: Float64Array;
  private readonly resyncEvery: number;
  private idx = 0;
  private n = 0;
  private total = 0;
  private mean = 0;
  private m2 = 0;
  private sinceSync = 0;
  /** Middle band (SMA). */
  value = NaN;
  /** Population standard deviation of the window. */
  stdev = NaN;
  upper = NaN;
  lower = NaN;

  constructor(
    readonly period: number,
    /** Band width in standard deviations (default 2). */
    readonly k = 2,
  ) {
    checkPeriod(period);
    if (!Number.isFinite(k) || k <= 0)
      throw new ValidationError('k', k, 'must be a finite number > 0');
    this.buf = new Float64Array(period);
    this.resyncEvery = Math.max(period, RESYNC_EVERY);
  }

  /** Same as {@link value}. */
  get middle(): number {
    return this.value;
  }
  get ready(): boolean {
    return this.n === this.period;
  }
  get count(): number {
    return this.total;
  }

  update(input: PriceInput): number {
    const x = typeof input === 'number' ? input : input.close;
    const p = this.period;
    this.total++;
    if (this.n < p) {
      const n = ++this.n;
      const d = x - this.mean;
      this.mean += d / n;
      this.m2 += d * (x - this.mean);
    } else {
      const old = this.buf[this.idx];
      const oldMean = this.mean;
      const mean = oldMean + (x - old) / p;
      this.m2 += (x - old) * (x - mean + old - oldMean);
      this.mean = mean;
    }
    this.buf[this.idx] = x;
    this.idx = this.idx + 1 === p ? 0 : this.idx + 1;
    if (this.n < p) return this.value;
    if (++this.sinceSync >= this.resyncEvery) this.resync();
    const sd = Math.sqrt(this.m2 > 0 ? this.m2 / p : 0);
    this.stdev = sd;
    this.upper = this.mean + this.k * sd;
    this.lower = this.mean - this.k * sd;
    return (this.value = this.mean);
  }

  /** Exact two-pass recomputation of mean and M2 over the window. */
  private resync(): void {
    const b = this.buf;
    const p = this.period;
    let s = 0;
    for (let i = 0; i < p; i++) s += b[i];
    const mean = s / p;
    let m2 = 0;
    for (let i = 0; i < p; i++) {
      const d = b[i] - mean;
      m2 += d * d;
    }
    this.mean = mean;
    this.m2 = m2;
    this.sinceSync = 0;
  }

  reset(): void {
    this.buf.fill(0);
    this.idx = this.n = this.total = this.mean = this.m2 = this.sinceSync = 0;
    this.value = this.stdev = this.upper = this.lower = NaN;
  }

  toState(): JsonValue {
    return {
      kind: 'BB',
      period: this.period,
      k: this.k,
      idx: this.idx,
      n: this.n,
      total: this.total,
      mean: this.mean,
      m2: this.m2,
      sinceSync: this.sinceSync,
      value: jsonNum(this.value),
      stdev: jsonNum(this.stdev),
      buf: Array.from(this.buf),
    };
  }

  fromState(state: JsonValue): void {
    const o = readKind(state, 'BB');
    readSame(o, 'period', this.period);
    readSame(o, 'k', this.k);
    const { buf, idx, n } = readRing(o, this.period);
    this.buf.set(buf);
    this.idx = idx;
    this.n = n;
    this.total = readInt(o, 'total');
    this.mean = readNum(o, 'mean');
    this.m2 = readNum(o, 'm2');
    this.sinceSync = readInt(o, 'sinceSync');
    this.value = readNum(o, 'value');
    this.stdev = readNum(o, 'stdev');
    this.upper = this.value + this.k * this.stdev;
    this.lower = this.value - this.k * this.stdev;
  }
}

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

/**
 * Simple moving average of the last `period` inputs.
 *
 * A ring buffer (Float64Array) holds the window; the window sum is kept as a running sum with
 * Neumaier (improved Kahan) compensation: the value entering and the value leaving are each added
 * with a compensated add, so the rounding error stays at a few ulps no matter how many updates
 * run (a plain running sum drifts without bound on long streams). O(1), no allocation per update.
 * `value` is NaN until `period` inputs were seen.
 */
export class Sma implements Indicator<PriceInput> {
  private readonly buf: Float64Array;
  private idx = 0;
  private n = 0;
  private sum = 0;
  private comp = 0;
  private total = 0;
  value = NaN;

  constructor(readonly period: number) {
    checkPeriod(period);
    this.buf = new Float64Array(period);
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
    let s = this.sum;
    let c = this.comp;
    if (this.n === p) {
      const y = -this.buf[this.idx];
      const t = s + y;
      c += Math.abs(s) >= Math.abs(y) ? s - t + y : y - t + s;
      s = t;
    } else {
      this.n++;
    }
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    this.sum = t;
    this.comp = c;
    this.buf[this.idx] = x;
    this.idx = this.idx + 1 === p ? 0 : this.idx + 1;
    this.total++;
    return (this.value = this.n === p ? (t + c) / p : NaN);
  }

  reset(): void {
    this.buf.fill(0);
    this.idx = this.n = this.sum = this.comp = this.total = 0;
    this.value = NaN;
  }

  toState(): JsonValue {
    return {
      kind: 'SMA',
      period: this.period,
      idx: this.idx,
      n: this.n,
      total: this.total,
      sum: this.sum,
      comp: this.comp,
      value: jsonNum(this.value),
      buf: Array.from(this.buf),
    };
  }

  fromState(state: JsonValue): void {
    const o = readKind(state, 'SMA');
    readSame(o, 'period', this.period);
    const { buf, idx, n } = readRing(o, this.period);
    this.buf.set(buf);
    this.idx = idx;
    this.n = n;
    this.total = readInt(o, 'total');
    this.sum = readNum(o, 'sum');
    this.comp = readNum(o, 'comp');
    this.value = readNum(o, 'value');
  }
}

import type { JsonValue } from '@trading/engine';
import { checkPeriod, jsonNum, readInt, readKind, readNum, readSame } from '../json-state';
import { HighLowClose, Indicator } from './indicator';

/**
 * Wilder's Average True Range.
 *
 * True range: the first bar's `high − low`; later `max(high − low, |high − prevClose|, |low − prevClose|)`.
 * Seeding: the simple average of the first `period` true ranges (ready after `period` bars); then
 * Wilder smoothing `atr = (atr × (period − 1) + tr) / period`.
 */
export class Atr implements Indicator<HighLowClose> {
  private total = 0;
  private prevClose = NaN;
  private seedSum = 0;
  /** The last true range (NaN before the first bar). */
  trueRange = NaN;
  value = NaN;

  constructor(readonly period: number) {
    checkPeriod(period);
  }

  get ready(): boolean {
    return this.total >= this.period;
  }
  get count(): number {
    return this.total;
  }

  update(bar: HighLowClose): number {
    const h = bar.high;
    const l = bar.low;
    const pc = this.prevClose;
    let tr = h - l;
    if (this.total > 0) {
      const a = Math.abs(h - pc);
      const b = Math.abs(l - pc);
      if (a > tr) tr = a;
      if (b > tr) tr = b;
    }
    this.trueRange = tr;
    this.prevClose = bar.close;
    const n = ++this.total;
    const p = this.period;
    if (n > p) return (this.value = (this.value * (p - 1) + tr) / p);
    this.seedSum += tr;
    if (n === p) this.value = this.seedSum / p;
    return this.value;
  }

  reset(): void {
    this.total = 0;
    this.prevClose = this.trueRange = this.value = NaN;
    this.seedSum = 0;
  }

  toState(): JsonValue {
    return {
      kind: 'ATR',
      period: this.period,
      total: this.total,
      prevClose: jsonNum(this.prevClose),
      seedSum: this.seedSum,
      trueRange: jsonNum(this.trueRange),
      value: jsonNum(this.value),
    };
  }

  fromState(state: JsonValue): void {
    const o = readKind(state, 'ATR');
    readSame(o, 'period', this.period);
    this.total = readInt(o, 'total');
    this.prevClose = readNum(o, 'prevClose');
    this.seedSum = readNum(o, 'seedSum');
    this.trueRange = readNum(o, 'trueRange');
    this.value = readNum(o, 'value');
  }
}

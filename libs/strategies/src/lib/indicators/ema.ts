import type { JsonValue } from '@trading/engine';
import { checkPeriod, jsonNum, readInt, readKind, readNum, readSame } from '../json-state';
import { Indicator, PriceInput } from './indicator';

/**
 * Exponential moving average with `alpha = 2 / (period + 1)`.
 *
 * Seeding: the first value is the simple average of the first `period` inputs (ready after
 * `period` inputs); after that `ema += alpha × (x − ema)`. This is the common charting convention
 * (TA-Lib, StockCharts) and makes the EMA independent of where the stream happened to start
 * more quickly than seeding with the first input.
 */
export class Ema implements Indicator<PriceInput> {
  /** Smoothing factor 2 / (period + 1). */
  readonly alpha: number;
  private total = 0;
  private seedSum = 0;
  value = NaN;

  constructor(readonly period: number) {
    checkPeriod(period);
    this.alpha = 2 / (period + 1);
  }

  get ready(): boolean {
    return this.total >= this.period;
  }
  get count(): number {
    return this.total;
  }

  update(input: PriceInput): number {
    const x = typeof input === 'number' ? input : input.close;
    const n = ++this.total;
    if (n > this.period) return (this.value += this.alpha * (x - this.value));
    this.seedSum += x;
    if (n === this.period) this.value = this.seedSum / this.period;
    return this.value;
  }

  reset(): void {
    this.total = 0;
    this.seedSum = 0;
    this.value = NaN;
  }

  toState(): JsonValue {
    return {
      kind: 'EMA',
      period: this.period,
      total: this.total,
      seedSum: this.seedSum,
      value: jsonNum(this.value),
    };
  }

  fromState(state: JsonValue): void {
    const o = readKind(state, 'EMA');
    readSame(o, 'period', this.period);
    this.total = readInt(o, 'total');
    this.seedSum = readNum(o, 'seedSum');
    this.value = readNum(o, 'value');
  }
}

import type { JsonValue } from '@trading/engine';
import { checkPeriod, jsonNum, readInt, readKind, readNum, readSame } from '../json-state';
import { Indicator, PriceInput } from './indicator';

/**
 * Wilder's Relative Strength Index (0–100).
 *
 * Changes `d = close − previous close`; gain = max(d, 0), loss = max(−d, 0). Seeding: the first
 * average gain/loss is the simple average of the first `period` gains/losses (so the RSI is ready
 * after `period + 1` closes); after that Wilder smoothing `avg = (avg × (period − 1) + x) / period`.
 * RSI = 100 − 100 / (1 + avgGain / avgLoss); 100 when avgLoss = 0 and avgGain > 0; 50 when both are 0
 * (a perfectly flat market is neither overbought nor oversold).
 */
export class Rsi implements Indicator<PriceInput> {
  private total = 0;
  private prev = NaN;
  private gainSum = 0;
  private lossSum = 0;
  /** Current Wilder average gain (NaN until ready). */
  avgGain = NaN;
  /** Current Wilder average loss (NaN until ready). */
  avgLoss = NaN;
  value = NaN;

  private readonly keep: number;
  private readonly take: number;

  constructor(readonly period: number) {
    checkPeriod(period);
    this.keep = (period - 1) / period;
    this.take = 1 / period;
  }

  get ready(): boolean {
    return this.total > this.period;
  }
  get count(): number {
    return this.total;
  }

  update(input: PriceInput): number {
    const x = typeof input === 'number' ? input : input.close;
    const n = this.total++;
    const prev = this.prev;
    this.prev = x;
    if (n === 0) return this.value;
    const d = x - prev;
    const gain = d > 0 ? d : 0;
    const loss = d < 0 ? -d : 0;
    const p = this.period;
    if (n > p) {
      // Wilder: avg = (avg·(p−1) + x)/p, written with precomputed factors (no division per update)
      this.avgGain = this.avgGain * this.keep + gain * this.take;
      this.avgLoss = this.avgLoss * this.keep + loss * this.take;
    } else {
      this.gainSum += gain;
      this.lossSum += loss;
      if (n < p) return this.value;
      this.avgGain = this.gainSum / p;
      this.avgLoss = this.lossSum / p;
    }
    const g = this.avgGain;
    const l = this.avgLoss;
    // 100 − 100/(1 + g/l) = 100·g/(g + l): one division; g + l = 0 only for a flat market → 50
    const sum = g + l;
    return (this.value = sum === 0 ? 50 : (100 * g) / sum);
  }

  reset(): void {
    this.total = 0;
    this.prev = NaN;
    this.gainSum = this.lossSum = 0;
    this.avgGain = this.avgLoss = this.value = NaN;
  }

  toState(): JsonValue {
    return {
      kind: 'RSI',
      period: this.period,
      total: this.total,
      prev: jsonNum(this.prev),
      gainSum: this.gainSum,
      lossSum: this.lossSum,
      avgGain: jsonNum(this.avgGain),
      avgLoss: jsonNum(this.avgLoss),
      value: jsonNum(this.value),
    };
  }

  fromState(state: JsonValue): void {
    const o = readKind(state, 'RSI');
    readSame(o, 'period', this.period);
    this.total = readInt(o, 'total');
    this.prev = readNum(o, 'prev');
    this.gainSum = readNum(o, 'gainSum');
    this.lossSum = readNum(o, 'lossSum');
    this.avgGain = readNum(o, 'avgGain');
    this.avgLoss = readNum(o, 'avgLoss');
    this.value = readNum(o, 'value');
  }
}

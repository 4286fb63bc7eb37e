import { ValidationError } from '@trading/domain';
import type { JsonValue } from '@trading/engine';
import { checkPeriod, jsonNum, readKind, readObj, readSame } from '../json-state';
import { Ema } from './ema';
import { Indicator, PriceInput } from './indicator';

/**
 * MACD (Appel): `macd = EMA(fast) − EMA(slow)`, `signal = EMA(signal) of macd`,
 * `histogram = macd − signal`. Each EMA is seeded with the SMA of its first inputs (see {@link Ema});
 * the signal EMA receives macd values only once the slow EMA is ready, so `macd` is defined after
 * `slow` inputs and `signal`/`histogram` (and `ready`) after `slow + signal − 1` inputs.
 * `value` is the macd line.
 */
export class Macd implements Indicator<PriceInput> {
  private readonly fastEma: Ema;
  private readonly slowEma: Ema;
  private readonly signalEma: Ema;
  private total = 0;
  /** The macd line (NaN until the slow EMA is ready). */
  value = NaN;
  /** The signal line. */
  signal = NaN;
  /** macd − signal. */
  histogram = NaN;

  constructor(
    readonly fast = 12,
    readonly slow = 26,
    readonly signalPeriod = 9,
  ) {
    checkPeriod(fast, 'fast');
    checkPeriod(slow, 'slow');
    checkPeriod(signalPeriod, 'signal');
    if (fast >= slow) throw new ValidationError('fast', fast, `must be < slow (${slow})`);
    this.fastEma = new Ema(fast);
    this.slowEma = new Ema(slow);
    this.signalEma = new Ema(signalPeriod);
  }

  /** Same as {@link value}. */
  get macd(): number {
    return this.value;
  }
  get ready(): boolean {
    return this.signalEma.ready;
  }
  get count(): number {
    return this.total;
  }

  update(input: PriceInput): number {
    const x = typeof input === 'number' ? input : input.close;
    this.total++;
    const f = this.fastEma.update(x);
    const s = this.slowEma.update(x);
    if (!this.slowEma.ready) return this.value;
    const m = f - s;
    this.value = m;
    const sig = this.signalEma.update(m);
    if (this.signalEma.ready) {
      this.signal = sig;
      this.histogram = m - sig;
    }
    return m;
  }

  reset(): void {
    this.fastEma.reset();
    this.slowEma.reset();
    this.signalEma.reset();
    this.total = 0;
    this.value = this.signal = this.histogram = NaN;
  }

  toState(): JsonValue {
    return {
      kind: 'MACD',
      fast: this.fast,
      slow: this.slow,
      signalPeriod: this.signalPeriod,
      total: this.total,
      value: jsonNum(this.value),
      signal: jsonNum(this.signal),
      histogram: jsonNum(this.histogram),
      fastEma: this.fastEma.toState(),
      slowEma: this.slowEma.toState(),
      signalEma: this.signalEma.toState(),
    };
  }

  fromState(state: JsonValue): void {
    const o = readKind(state, 'MACD');
    readSame(o, 'fast', this.fast);
    readSame(o, 'slow', this.slow);
    readSame(o, 'signalPeriod', this.signalPeriod);
    this.fastEma.fromState(readObj(o['fastEma'], 'state.fastEma'));
    this.slowEma.fromState(readObj(o['slowEma'], 'state.slowEma'));
    this.signalEma.fromState(readObj(o['signalEma'], 'state.signalEma'));
    this.total = this.fastEma.count;
    this.value = this.slowEma.ready ? this.fastEma.value - this.slowEma.value : NaN;
    this.signal = this.signalEma.ready ? this.signalEma.value : NaN;
    this.histogram = this.signalEma.ready ? this.value - this.signal : NaN;
  }
}

import { ValidationError } from '@trading/domain';
import type { JsonValue } from '@trading/engine';
import {
  checkPeriod,
  jsonNum,
  readInt,
  readKind,
  readNum,
  readNumArray,
  readSame,
} from '../json-state';
import { Indicator, PriceInput } from './indicator';

/**
 * Rolling extreme (lowest or highest) of the last `period` inputs with a monotonic deque held in
 * two fixed ring buffers: amortized O(1) per update, no allocation. NaN until `period` inputs.
 */
abstract class RollingExtreme implements Indicator<PriceInput> {
  private readonly vals: Float64Array;
  private readonly seqs: Float64Array;
  private head = 0;
  private len = 0;
  private total = 0;
  value = NaN;

  protected constructor(
    readonly period: number,
    private readonly kind: 'LOWEST' | 'HIGHEST',
  ) {
    checkPeriod(period);
    this.vals = new Float64Array(period);
    this.seqs = new Float64Array(period);
  }

  /** True when `a` makes `b` useless in the deque (`a` at least as extreme and newer). */
  protected abstract dominates(a: number, b: number): boolean;

  get ready(): boolean {
    return this.total >= this.period;
  }
  get count(): number {
    return this.total;
  }

  update(input: PriceInput): number {
    const x = typeof input === 'number' ? input : input.close;
    const p = this.period;
    const seq = this.total++;
    // drop the front if it left the window
    if (this.len > 0 && this.seqs[this.head] <= seq - p) {
      this.head = this.head + 1 === p ? 0 : this.head + 1;
      this.len--;
    }
    // pop dominated values from the back
    while (this.len > 0) {
      let back = this.head + this.len - 1;
      if (back >= p) back -= p;
      if (!this.dominates(x, this.vals[back])) break;
      this.len--;
    }
    let tail = this.head + this.len;
    if (tail >= p) tail -= p;
    this.vals[tail] = x;
    this.seqs[tail] = seq;
    this.len++;
    return (this.value = this.total >= p ? this.vals[this.head] : NaN);
  }

  /** The extreme of the inputs seen so far even before `ready` (NaN before the first input). */
  get partial(): number {
    return this.len > 0 ? this.vals[this.head] : NaN;
  }

  reset(): void {
    this.head = this.len = this.total = 0;
    this.value = NaN;
  }

  toState(): JsonValue {
    const vals: number[] = [];
    const seqs: number[] = [];
    for (let i = 0; i < this.len; i++) {
      const j = (this.head + i) % this.period;
      vals.push(this.vals[j]);
      seqs.push(this.seqs[j]);
    }
    return {
      kind: this.kind,
      period: this.period,
      total: this.total,
      value: jsonNum(this.value),
      vals,
      seqs,
    };
  }

  fromState(state: JsonValue): void {
    const o = readKind(state, this.kind);
    readSame(o, 'period', this.period);
    const vals = readNumArray(o, 'vals');
    const seqs = readNumArray(o, 'seqs');
    if (vals.length !== seqs.length || vals.length > this.period)
      throw new ValidationError(
        'state.vals',
        vals.length,
        `must match seqs and hold at most ${this.period} entries`,
      );
    this.head = 0;
    this.len = vals.length;
    this.vals.set(vals);
    this.seqs.set(seqs);
    this.total = readInt(o, 'total');
    this.value = readNum(o, 'value');
  }
}

/** Lowest input of the last `period` (e.g. lowest low). */
export class Lowest extends RollingExtreme {
  constructor(period: number) {
    super(period, 'LOWEST');
  }
  protected dominates(a: number, b: number): boolean {
    return a <= b;
  }
}

/** Highest input of the last `period` (e.g. highest high). */
export class Highest extends RollingExtreme {
  constructor(period: number) {
    super(period, 'HIGHEST');
  }
  protected dominates(a: number, b: number): boolean {
    return a >= b;
  }
}

import type { JsonValue } from '@trading/engine';

/** A price input: a plain number or anything with a `close` (e.g. a `Bar`). */
export type PriceInput = number | { readonly close: number };

/** The fields of a bar the range-based indicators (ATR) use. */
export interface HighLowClose {
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/**
 * A streaming indicator. `update` is O(1) and allocation-free; `value` is `NaN` until `ready`.
 * `toState()` returns plain JSON that `fromState()` restores exactly (bit for bit: floats survive JSON),
 * so a strategy restored from a snapshot continues with identical numbers.
 */
export interface Indicator<I = PriceInput> {
  /** Current value (NaN until {@link ready}). */
  readonly value: number;
  /** True once enough inputs were seen for {@link value} to be defined. */
  readonly ready: boolean;
  /** Inputs seen since construction or the last {@link reset}. */
  readonly count: number;
  /** Feeds one input; returns the new {@link value}. */
  update(input: I): number;
  /** Forgets every input. */
  reset(): void;
  /** Full internal state as JSON. */
  toState(): JsonValue;
  /** Restores a state from {@link toState}; throws ValidationError on a malformed state or a different configuration. */
  fromState(state: JsonValue): void;
}

/** The number of a {@link PriceInput}. */
export function priceOf(input: PriceInput): number {
  return typeof input === 'number' ? input : input.close;
}

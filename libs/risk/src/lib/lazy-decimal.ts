import { Decimal } from '@trading/domain';
import { approx, fcmp } from './fast-compare';

/**
 * Largest error a {@link LazyDecimal} may have, relative to its `scale`:
 * |value − exact| ≤ ESTIMATE_MAX_ERROR × scale. {@link FLOAT_MARGIN} (1e-9) is 10⁴ times larger,
 * so a comparison that `fcmp` decides from estimates is decided exactly as with the decimals.
 */
export const ESTIMATE_MAX_ERROR = 1e-13;

/**
 * A decimal known cheaply as a float64 estimate with an error bound, whose exact value is built
 * only when asked (e.g. portfolio equity: a float sum over the positions, and the exact decimal
 * re-mark only near a risk limit).
 *
 * Contract (the risk engine fails closed with `INVALID_CONTEXT` when it sees it broken):
 * - `value` and `scale` are finite and `scale ≥ |value|`;
 * - |value − exact()| ≤ {@link ESTIMATE_MAX_ERROR} × `scale`. For a float sum, `scale` is the sum
 *   of the absolute values of its terms (NOT |value|: terms that offset each other leave a small
 *   value but keep their rounding errors);
 * - `exact()` returns a finite Decimal and always the same value for the same object; it is read
 *   synchronously during the `check` it was given to (so the state it derives from must not change
 *   in between).
 */
export interface LazyDecimal {
  /** Float64 estimate of the exact value. */
  readonly value: number;
  /** Error scale: |value − exact| ≤ ESTIMATE_MAX_ERROR × scale; finite, ≥ |value|. */
  readonly scale: number;
  /** The exact value (may be expensive: built on demand). */
  exact(): Decimal;
}

/** A {@link LazyDecimal} that builds its exact value at most once. */
class MemoLazyDecimal implements LazyDecimal {
  private memo: Decimal | null = null;
  constructor(
    readonly value: number,
    readonly scale: number,
    private readonly compute: () => Decimal,
  ) {}
  exact(): Decimal {
    return (this.memo ??= this.compute());
  }
}

/**
 * A {@link LazyDecimal} from an estimate, its error scale and the function that computes the exact
 * value (called at most once, on the first `exact()`). The caller vouches for the error bound.
 */
export function lazyDecimal(value: number, scale: number, compute: () => Decimal): LazyDecimal {
  return new MemoLazyDecimal(value, scale, compute);
}

/**
 * max(a, b) as a {@link LazyDecimal}, e.g. peak equity = max(recorded peak, current equity).
 * value = max of the estimates, scale = sum of the scales (a plain Decimal counts as its own
 * float copy, scale |copy|). Error: max is 1-Lipschitz, so |max(a', b') − max(a, b)| ≤
 * max(|a' − a|, |b' − b|) ≤ ESTIMATE_MAX_ERROR × (scaleA + scaleB) (a plain Decimal's copy is
 * within 1e-14 relative, see `approx`). `exact()` returns the larger exact value (ties give `a`);
 * when the estimates already prove which one is larger (`fcmp`), only that one's exact value is
 * read. A non-finite input gives a NaN estimate (rejected by the risk check).
 */
export function lazyMax(a: Decimal | LazyDecimal, b: Decimal | LazyDecimal): LazyDecimal {
  const af = a instanceof Decimal ? approx(a) : a.value;
  const bf = b instanceof Decimal ? approx(b) : b.value;
  const as = a instanceof Decimal ? Math.abs(af) : a.scale;
  const bs = b instanceof Decimal ? Math.abs(bf) : b.scale;
  const scale = as + bs;
  return new MemoLazyDecimal(Math.max(af, bf), scale, () => {
    const c = fcmp(af, bf, scale);
    if (c > 0) return exactOf(a);
    if (c < 0) return exactOf(b);
    const ad = exactOf(a);
    const bd = exactOf(b);
    return ad.gte(bd) ? ad : bd;
  });
}

/** The exact value of a plain or lazy decimal. */
export function exactOf(x: Decimal | LazyDecimal): Decimal {
  return x instanceof Decimal ? x : x.exact();
}

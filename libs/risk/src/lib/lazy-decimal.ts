import { Decimal } from '@trading/domain';
import { approx, fcmp } from './fast-compare';

// Read once: with CommonJS output an imported binding is a re-export getter on every use.
const DecimalClass = Decimal;

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
 * - `exact()` returns a finite Decimal, always the same value for the same object within the
 *   `check` it was given to; it is read synchronously during that `check` (so the state it derives
 *   from must not change in between). The risk engine keeps nothing of it after the check returns,
 *   so one object may be given new values for the next check ({@link LazyDecimalCell},
 *   {@link LazyMaxCell}).
 */
export interface LazyDecimal {
  /** Float64 estimate of the exact value. */
  readonly value: number;
  /** Error scale: |value − exact| ≤ ESTIMATE_MAX_ERROR × scale; finite, ≥ |value|. */
  readonly scale: number;
  /** The exact value (may be expensive: built on demand). */
  exact(): Decimal;
}

/**
 * A reusable {@link LazyDecimal}: {@link set} gives it a new estimate and error scale and forgets
 * the exact value, which `compute` builds at most once per `set` (on the first `exact()`). For a
 * caller that builds a context for every check (one cell instead of an object and a closure per
 * check). The caller vouches for the error bound, and sets the cell anew before each check.
 */
export class LazyDecimalCell implements LazyDecimal {
  /** Float64 estimate of the exact value (NaN until the first {@link set}). */
  value = NaN;
  /** Error scale (NaN until the first {@link set}). */
  scale = NaN;
  private memo: Decimal | null = null;

  /** `compute` gives the exact value of the estimate last {@link set}. */
  constructor(private readonly compute: () => Decimal) {}

  /** A new estimate and error scale; the exact value is computed again when next asked. */
  set(value: number, scale: number): this {
    this.value = value;
    this.scale = scale;
    this.memo = null;
    return this;
  }

  /** The exact value (computed on the first call after {@link set}). */
  exact(): Decimal {
    return (this.memo ??= this.compute());
  }
}

/**
 * A reusable max(a, b) as a {@link LazyDecimal} (see {@link lazyMax}, which is one of these set
 * once): {@link set} takes new operands and forgets the exact value.
 */
export class LazyMaxCell implements LazyDecimal {
  /** max of the operands' estimates (NaN until the first {@link set}). */
  value = NaN;
  /** Sum of the operands' error scales (NaN until the first {@link set}). */
  scale = NaN;
  private a: Decimal | LazyDecimal | null = null;
  private b: Decimal | LazyDecimal | null = null;
  private af = NaN;
  private bf = NaN;
  private memo: Decimal | null = null;

  /** New operands (read now for the estimate; their exact values only when asked). */
  set(a: Decimal | LazyDecimal, b: Decimal | LazyDecimal): this {
    const aDec = a instanceof DecimalClass;
    const bDec = b instanceof DecimalClass;
    const af = aDec ? approx(a) : a.value;
    const bf = bDec ? approx(b) : b.value;
    this.a = a;
    this.b = b;
    this.af = af;
    this.bf = bf;
    this.value = Math.max(af, bf);
    this.scale = (aDec ? Math.abs(af) : a.scale) + (bDec ? Math.abs(bf) : b.scale);
    this.memo = null;
    return this;
  }

  /**
   * The larger exact value (ties give `a`); only one operand's exact value is read when the
   * estimates prove which one is larger. Throws before the first {@link set}.
   */
  exact(): Decimal {
    if (this.memo === null) {
      const a = this.a;
      const b = this.b;
      if (a === null || b === null) throw new Error('LazyMaxCell: exact() before set()');
      const c = fcmp(this.af, this.bf, this.scale);
      if (c > 0) this.memo = exactOf(a);
      else if (c < 0) this.memo = exactOf(b);
      else {
        const ad = exactOf(a);
        const bd = exactOf(b);
        this.memo = ad.gte(bd) ? ad : bd;
      }
    }
    return this.memo;
  }
}

/**
 * A {@link LazyDecimal} from an estimate, its error scale and the function that computes the exact
 * value (called at most once, on the first `exact()`). The caller vouches for the error bound.
 */
export function lazyDecimal(value: number, scale: number, compute: () => Decimal): LazyDecimal {
  return new LazyDecimalCell(compute).set(value, scale);
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
  return new LazyMaxCell().set(a, b);
}

/** The exact value of a plain or lazy decimal. */
export function exactOf(x: Decimal | LazyDecimal): Decimal {
  return x instanceof DecimalClass ? x : x.exact();
}

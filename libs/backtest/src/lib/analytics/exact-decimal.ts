import {
  Decimal,
  decimalOfScaled as decimalOfScaledImported,
  POW10 as POW10_IMPORTED,
  Scaled,
  scaledInt as scaledIntImported,
} from '@trading/domain';

// Module-local aliases (an imported binding is a re-export getter read on every use in CommonJS).
const decimalOfScaled = decimalOfScaledImported;
const POW10 = POW10_IMPORTED;
const scaledInt = scaledIntImported;

/**
 * Exact shortcuts for the analytics hot path, on top of domain's `scaledInt` (a decimal with few
 * significant digits read as a safe integer N and a scale s, value = N / 10^s): a quotient
 * decimal.js would give as a double, computed with one IEEE operation, which is provably the same
 * double, and an exact running sum. Anything that does not fit returns NaN (or falls back to
 * decimal.js) and the caller keeps the plain computation. Internal to the lib (not exported from
 * its index).
 */

/**
 * `(a / b).toNumber()` as decimal.js computes it (quotient rounded to 40 significant digits,
 * then to the nearest double), for a = an / 10^as and b = bn / 10^bs with safe integers an, bn.
 * Returns NaN when the aligned integers leave the safe range, or when an or bn is zero (the
 * caller then keeps the decimal path, which also settles the sign of zero).
 *
 * Why it is the same double: after aligning, q = x / y with |x|, |y| < 2^53, and `x / y` is the
 * double nearest q. The only way rounding q to 40 digits first could change that is a midpoint
 * between two doubles lying within 5·10^-40 (relative) of q. A midpoint is M·2^k with M an odd
 * 54-bit integer, and |x/y − M·2^k| is either 0 (impossible: it would need |x| or |y| ≥ 2^53) or at
 * least 2^-107 relative — far more than 5·10^-40.
 */
export function quotientNumber(an: number, as: number, bn: number, bs: number): number {
  if (an === 0 || bn === 0) return NaN;
  let x = an;
  let y = bn;
  if (bs > as) x *= POW10[bs - as] ?? Infinity;
  else if (as > bs) y *= POW10[as - bs] ?? Infinity;
  if (!Number.isSafeInteger(x) || !Number.isSafeInteger(y)) return NaN;
  return x / y;
}

// The two decimals scaledOf read last (x0 the most recent) and what scaledInt said of them.
let x0: Decimal | null = null;
let n0 = 0;
let s0 = 0;
let ok0 = false;
let x1: Decimal | null = null;
let n1 = 0;
let s1 = 0;
let ok1 = false;

/**
 * `scaledInt(x, out)` remembering the last two decimals it read, by instance. A fill's quantity
 * and price are read by the fill totals and then by the round-trip tracker, and the quantity is
 * usually the instance of the previous fill; `scaledInt` costs ~80 ns a call. Decimals are
 * immutable, so an instance always reads the same. (Values read once, such as a trade's P&L, are
 * better read with `scaledInt` itself: they would only push these out.)
 */
export function scaledOf(x: Decimal, out: Scaled): boolean {
  if (x === x0) {
    out.n = n0;
    out.scale = s0;
    return ok0;
  }
  let ok: boolean;
  if (x === x1) {
    ok = ok1;
    out.n = n1;
    out.scale = s1;
  } else ok = scaledInt(x, out);
  x1 = x0;
  n1 = n0;
  s1 = s0;
  ok1 = ok0;
  x0 = x;
  n0 = out.n;
  s0 = out.scale;
  ok0 = ok;
  return ok;
}

/** Slots of {@link sharedDecimal}'s cache (a power of two). */
const SHARED_SLOTS = 4096;
// sharedDecimal's direct-mapped cache: slot → (n, scale) and the decimal built for them
const sharedN = new Float64Array(SHARED_SLOTS);
const sharedScale = new Int32Array(SHARED_SLOTS).fill(-1);
const sharedDec: (Decimal | null)[] = new Array<Decimal | null>(SHARED_SLOTS).fill(null);

/**
 * `decimalOfScaled(n, scale)`, the same instance for a value built recently (a direct-mapped
 * cache by (n, scale)). Every trade is kept for the report, and P&L values repeat a lot (a
 * quantity times a few ticks): shared instances keep a long run's retained memory, and the
 * garbage collector's copying of it, smaller. Decimals are immutable, and equal ones print alike.
 */
export function sharedDecimal(n: number, scale: number): Decimal {
  if (n === 0) return decimalOfScaled(n, scale); // ±0 (the slot key could not tell the sign)
  const k = ((n | 0) ^ Math.imul(scale, 0x9e3779b1)) & (SHARED_SLOTS - 1);
  if (sharedN[k] === n && sharedScale[k] === scale) return sharedDec[k] as Decimal;
  const d = decimalOfScaled(n, scale);
  sharedN[k] = n;
  sharedScale[k] = scale;
  sharedDec[k] = d;
  return d;
}

/**
 * An exact running sum of decimals, the value `decimal.js` gets by adding them one by one from
 * zero. While every term and partial sum is a scaled safe integer it adds integers: those partial
 * sums have at most 16 significant digits, so decimal.js would not have rounded them either. From
 * the first term that does not fit on it adds with decimal.js, in the same order, starting from the
 * exact sum so far — the same sequence of operations the plain loop runs from there.
 */
export class ExactSum {
  private n = 0;
  private scale = 0;
  private dec: Decimal | null = null;
  private readonly t: Scaled = { n: 0, scale: 0 };

  /** Adds `x`. */
  add(x: Decimal): void {
    if (this.dec === null) {
      if (scaledInt(x, this.t) && this.addScaled(this.t.n, this.t.scale)) return;
      this.dec = decimalOfScaled(this.n, this.scale);
    }
    this.dec = this.dec.add(x);
  }

  /** Subtracts `x`. */
  sub(x: Decimal): void {
    if (this.dec === null) {
      if (scaledInt(x, this.t) && this.addScaled(-this.t.n, this.t.scale)) return;
      this.dec = decimalOfScaled(this.n, this.scale);
    }
    this.dec = this.dec.sub(x);
  }

  /**
   * Adds n / 10^scale given as a safe integer and scale ≤ 22 (a term the caller already has as
   * integers); returns false, changing nothing, when it does not fit — then the caller adds the
   * term as a decimal with {@link add}.
   */
  addScaled(n: number, scale: number): boolean {
    if (this.dec !== null) return false;
    let a = this.n;
    let b = n;
    let s = this.scale;
    if (scale > s) {
      a *= POW10[scale - s];
      s = scale;
    } else if (scale < s) b *= POW10[s - scale];
    const sum = a + b;
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(sum))
      return false;
    this.n = sum === 0 ? 0 : sum; // +0, as decimal.js's exact zero sum
    this.scale = s;
    return true;
  }

  /** The sum. */
  value(): Decimal {
    return this.dec ?? decimalOfScaled(this.n, this.scale);
  }
}

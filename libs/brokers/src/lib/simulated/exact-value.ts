import {
  Decimal,
  POW10 as POW10_IMPORTED,
  Scaled,
  ZERO as ZERO_IMPORTED,
  decimalOfScaled as decimalOfScaledImported,
  scaledInt as scaledIntImported,
} from '@trading/domain';

// Module-local aliases (an import from another lib is a re-export getter in CommonJS output).
const POW10 = POW10_IMPORTED;
const decimalOfScaled = decimalOfScaledImported;
const scaledInt = scaledIntImported;
const ZERO = ZERO_IMPORTED;

/** Largest scale an {@link ExactValue} keeps (so every alignment uses an exact power of ten). */
const MAX_SCALE = 22;

const tmp: Scaled = { n: 0, scale: 0 };

/**
 * A mutable exact decimal for the simulated exchange's fill path (internal to the lib).
 *
 * Representation: while the value is `n / 10^scale` with `n` a safe integer (|n| ≤ 2^53 − 1) and
 * `scale` ≤ 22, it is kept as those two numbers, and `dec` is only a cache of its decimal.js form,
 * built on first read. Otherwise `n` is NaN and `dec` is the value.
 *
 * Exactness: each operation takes the integer path only when both operands are integers and the
 * aligned operands and the result are safe integers. Such a result has at most 16 significant
 * digits, so decimal.js (40 digits) would not have rounded it: it is the very value decimal.js
 * gives. Doubles holding integers also follow decimal.js on the sign of zero (IEEE rules: −0 + −0 =
 * −0, x − x = +0, the sign of a product is the product of the signs), which the differential tests
 * check. Anything else runs the decimal.js operation on the same values, and its result goes back
 * to integers when it fits.
 */
export class ExactValue {
  /** Scaled integer, or NaN when the value is held by {@link dec} alone. */
  n = 0;
  /** Decimal places of {@link n} (not necessarily the fewest). */
  scale = 0;
  /** The value as a decimal: a cache (null until read) while {@link n} is a number, the value itself once it is NaN. */
  dec: Decimal | null = ZERO;

  /** True while the value is held as a scaled integer. */
  isScaled(): boolean {
    return this.n === this.n; // not NaN
  }

  /** The value as a decimal.js value (built once, then cached). */
  decimal(): Decimal {
    return this.dec ?? (this.dec = decimalOfScaled(this.n, this.scale));
  }

  /** Sets the value to the decimal `d` (kept as its decimal form; read as integers when it fits). */
  setDecimal(d: Decimal): this {
    if (scaledInt(d, tmp)) {
      this.n = tmp.n;
      this.scale = tmp.scale;
    } else this.n = NaN;
    this.dec = d;
    return this;
  }

  /** Sets the value to `n / 10^scale` (a safe integer and a scale ≤ 22). */
  setScaled(n: number, scale: number): this {
    this.n = n;
    this.scale = scale;
    this.dec = null;
    return this;
  }

  /** Sets the value to +0 (the shared decimal zero). */
  setZero(): this {
    this.n = 0;
    this.scale = 0;
    this.dec = ZERO;
    return this;
  }

  /** Copies `x`'s value (and its cached decimal). */
  copy(x: ExactValue): this {
    this.n = x.n;
    this.scale = x.scale;
    this.dec = x.dec;
    return this;
  }

  /** decimal.js's `isZero()`. */
  isZero(): boolean {
    const n = this.n;
    return n === n ? n === 0 : (this.dec as Decimal).isZero();
  }

  /** decimal.js's `isNegative()`: true for negative values and for −0. */
  isNegative(): boolean {
    const n = this.n;
    return n === n ? n < 0 || (n === 0 && 1 / n < 0) : (this.dec as Decimal).isNegative();
  }

  /** this = a + b. */
  add(a: ExactValue, b: ExactValue): this {
    if (a.n === a.n && b.n === b.n && addScaled(a.n, a.scale, b.n, b.scale))
      return this.setScaled(tmp.n, tmp.scale);
    return this.setDecimal(a.decimal().add(b.decimal()));
  }

  /** this = a − b. */
  sub(a: ExactValue, b: ExactValue): this {
    if (a.n === a.n && b.n === b.n && addScaled(a.n, a.scale, -b.n, b.scale))
      return this.setScaled(tmp.n, tmp.scale);
    return this.setDecimal(a.decimal().sub(b.decimal()));
  }

  /** this = a × b. */
  mul(a: ExactValue, b: ExactValue): this {
    if (a.n === a.n && b.n === b.n) {
      const p = a.n * b.n;
      const s = a.scale + b.scale;
      // a product whose double is a safe integer is exact (the rounding of anything ≥ 2^53 is ≥ 2^53)
      if (Number.isSafeInteger(p) && s <= MAX_SCALE) return this.setScaled(p, s);
    }
    return this.setDecimal(a.decimal().mul(b.decimal()));
  }

  /**
   * this = a × b / c, as decimal.js computes `a.mul(b).div(c)`. Integers when the quotient is a
   * terminating decimal that fits (then both decimal.js steps are exact too).
   */
  mulDiv(a: ExactValue, b: ExactValue, c: ExactValue): this {
    if (a.n === a.n && b.n === b.n && c.n === c.n && c.n !== 0) {
      let x = a.n * b.n;
      let s = a.scale + b.scale - c.scale; // quotient = (x / c.n) / 10^s
      const y = c.n;
      if (Number.isSafeInteger(x)) {
        // more decimal places until the division is exact or x leaves the safe range
        while (x % y !== 0 && Number.isSafeInteger(x * 10) && s < MAX_SCALE) {
          x *= 10;
          s++;
        }
        if (x % y === 0) {
          let q = x / y; // exact: an integer quotient of safe integers
          if (s < 0) {
            q *= POW10[-s] ?? Infinity;
            s = 0;
          }
          if (Number.isSafeInteger(q) && s <= MAX_SCALE) return this.setScaled(q, s);
        }
      }
    }
    return this.setDecimal(a.decimal().mul(b.decimal()).div(c.decimal()));
  }

  /** this = |a| (decimal.js's `abs()`: +0 for −0). */
  abs(a: ExactValue): this {
    if (a.n === a.n) return this.setScaled(Math.abs(a.n), a.scale);
    return this.setDecimal((a.dec as Decimal).abs());
  }

  /** −1, 0 or 1 as decimal.js's `a.cmp(b)` (−0 equals 0). */
  static cmp(a: ExactValue, b: ExactValue): number {
    if (a.n === a.n && b.n === b.n) {
      let x = a.n;
      let y = b.n;
      if (a.scale < b.scale) x *= POW10[b.scale - a.scale];
      else if (b.scale < a.scale) y *= POW10[a.scale - b.scale];
      if (Number.isSafeInteger(x) && Number.isSafeInteger(y)) return x < y ? -1 : x > y ? 1 : 0;
    }
    return a.decimal().cmp(b.decimal());
  }
}

/**
 * an / 10^as + bn / 10^bs into `tmp`, when the aligned operands and the sum are safe integers
 * (returns false otherwise). Alignment multiplies by a power of ten, which keeps the sign of zero.
 */
function addScaled(an: number, as: number, bn: number, bs: number): boolean {
  let s = as;
  if (bs > as) {
    an *= POW10[bs - as];
    s = bs;
  } else if (as > bs) bn *= POW10[as - bs];
  const sum = an + bn;
  if (!Number.isSafeInteger(an) || !Number.isSafeInteger(bn) || !Number.isSafeInteger(sum))
    return false;
  tmp.n = sum;
  tmp.scale = s;
  return true;
}

/**
 * `floor(a / b)` (or `ceil` with `up`) for safe integers a and b > 0, with the sign of a zero result
 * taken from `a` (as decimal.js's floor/ceil keep the sign of the value they round).
 */
export function divRound(a: number, b: number, up: boolean): number {
  const r = a % b; // exact, with the sign of a
  let q = (a - r) / b; // exact: an integer quotient
  if (up ? r > 0 : r < 0) q += up ? 1 : -1;
  return q === 0 && (a < 0 || 1 / a < 0) ? -0 : q;
}

/**
 * Fixed-point ledger values (ADR 0005, milestone 3): the portfolio's mutable cells for quantities
 * and money, computed with integers and producing exactly what the decimal.js code they replace
 * produced.
 *
 * Representation: value = m / 10^s with an integer mantissa m and a scale s ≥ 0 (not necessarily
 * the smallest). m is a float64 holding a safe integer (|m| ≤ 2^53 − 1, zero with its sign) while it
 * fits — the common case, with no allocation at all — and a non-zero bigint otherwise (partial
 * closes leave 12-decimal book costs, averages after adds have 40 digits).
 *
 * Exactness: decimal.js (TradingDecimal: 40 significant digits, ROUND_HALF_EVEN) rounds the exact
 * result of `add`, `sub`, `mul` and `div` to 40 significant digits (correctly rounded: the division
 * keeps a sticky remainder). Here every operation first computes the exact result — integer +, −
 * and × of safe integers are exact when the result is a safe integer (a result beyond 2^53 − 1
 * rounds to a double ≥ 2^53, which `Number.isSafeInteger` rejects, and the bigint path redoes it),
 * bigint arithmetic is exact — then applies the same rounding: a result under 10^40 in absolute
 * value has at most 40 digits and needs none; a longer one (and every quotient) is rounded to 40
 * significant digits half-even from its digits and the division's remainder. `toDecimalPlaces`
 * (half-even, sign kept on a zero result) is reproduced the same way. Zeros follow IEEE rules in
 * the float mantissa (x + (−x) = +0, −0 + −0 = −0, sign of a product or quotient = xor), which are
 * decimal.js's rules under ROUND_HALF_EVEN; a bigint mantissa is never zero. The decimal text
 * ({@link text}) is decimal.js's `toFixed()`: no exponent, no trailing fraction zeros, "0" for −0.
 *
 * Decimals are built only when read ({@link Fx.dec}), once per value (cached), from that text.
 */
import {
  decimalOfScaled as decimalOfScaled_,
  MAX_EXACT_SCALE as MAX_EXACT_SCALE_,
  POW10 as POW10_,
  Scaled,
  scaledInt as scaledInt_,
  TradingDecimal,
  ZERO,
} from '@trading/domain';

// Module-local copies: imported bindings compile to property reads through re-export getters,
// which cost measurably on the applyFill hot path.
const POW10: readonly number[] = POW10_;
const MAX_EXACT_SCALE: number = MAX_EXACT_SCALE_;
const scaledInt = scaledInt_;
const decimalOfScaled = decimalOfScaled_;

/** Largest safe integer as a bigint (a bigint mantissa is always larger in magnitude). */
const MAX_SAFE_N = BigInt(Number.MAX_SAFE_INTEGER);
/** 10^40: a mantissa below it in magnitude has at most 40 digits (no rounding). */
const LIMIT40 = 10n ** 40n;
/** Significant digits of TradingDecimal. */
const PRECISION = 40;
/** 10^0 … 10^79 as bigints (larger powers are computed). */
const POW10N: bigint[] = Array.from({ length: 80 }, (_, i) => 10n ** BigInt(i));
const Z: TradingDecimal = ZERO;
const NEG_ZERO: TradingDecimal = new TradingDecimal(-0);

function pow10n(k: number): bigint {
  return k < POW10N.length ? POW10N[k] : 10n ** BigInt(k);
}

/**
 * A mutable exact decimal value m / 10^s (see the module comment). Owners keep their cells for
 * their lifetime and overwrite them with the operations below, so a fill allocates no cell.
 */
export class Fx {
  /** Mantissa: a safe integer (may be −0), or a bigint beyond the safe range (never 0n). */
  m: number | bigint = 0;
  /** Decimal places of the mantissa (≥ 0; not necessarily the smallest). */
  s = 0;
  /** The value as a decimal, when already built or given (null: build on demand). */
  private d: TradingDecimal | null = Z;
  /** decimal.js `toFixed()` of the value, when already built (null: build on demand). */
  private t: string | null = '0';

  /** True when the value is zero (either sign). */
  isZero(): boolean {
    return this.m === 0;
  }

  /** True when the value is below zero, or is −0 (decimal.js `isNegative()`). */
  isNeg(): boolean {
    const m = this.m;
    return typeof m === 'number' ? m < 0 || (m === 0 && 1 / m < 0) : m < 0n;
  }

  /**
   * The value as a decimal (built once per value, then cached): from a float mantissa directly
   * (domain `decimalOfScaled`: the very representation parsing the text gives, without the text),
   * from a bigint one through its text.
   */
  dec(): TradingDecimal {
    let d = this.d;
    if (d === null) {
      const m = this.m;
      if (typeof m === 'number')
        d = m === 0 ? (1 / m < 0 ? NEG_ZERO : Z) : (decimalOfScaled(m, this.s) as TradingDecimal);
      else d = new TradingDecimal(this.text());
      this.d = d;
    }
    return d;
  }

  /** decimal.js `toFixed()` of the value (cached). */
  text(): string {
    let t = this.t;
    if (t === null) {
      t = formatScaled(this.m, this.s);
      this.t = t;
    }
    return t;
  }

  /**
   * The double nearest the value (what `toNumber()` of its decimal gives): one IEEE division of
   * the exact mantissa by the exact 10^s (see domain exact-number.ts), or the parse of its text.
   */
  toNumber(): number {
    const m = this.m;
    if (typeof m === 'number' && this.s <= MAX_EXACT_SCALE) return m / POW10[this.s];
    return Number(this.text());
  }

  /** Decimal places of the value (decimal.js `decimalPlaces()`). */
  dp(): number {
    let m = this.m;
    let s = this.s;
    if (typeof m === 'number') {
      while (s > 0 && m % 10 === 0) {
        m /= 10;
        s--;
      }
    } else {
      while (s > 0 && m % 10n === 0n) {
        m /= 10n;
        s--;
      }
    }
    return s;
  }

  /** Sets the value to +0. */
  setZero(): void {
    this.m = 0;
    this.s = 0;
    this.d = Z;
    this.t = '0';
  }

  /**
   * Sets the value to the finite decimal `x` exactly (no rounding: decimal.js keeps a given
   * decimal's digits too). `x` is kept as the cached decimal.
   */
  setDec(x: TradingDecimal): void {
    if (this.d === x) return; // already this value (a repeated price, quantity or commission)
    const sc = SCRATCH;
    if (scaledInt(x, sc)) {
      this.m = sc.n;
      this.s = sc.scale;
    } else {
      const d = x.d;
      if (!d) throw new RangeError(`not a finite decimal: ${x.toString()}`);
      // value = Σ d[i] · 1e7^(w − i), w = floor(e / 7): the words are the digits of the mantissa
      let m = 0n;
      for (let i = 0; i < d.length; i++) m = m * 10000000n + BigInt(d[i]);
      let s = 7 * (d.length - 1 - Math.floor(x.e / 7));
      if (s < 0) {
        m *= pow10n(-s);
        s = 0;
      }
      this.setBig(x.s < 0 ? -m : m, s);
    }
    this.d = x;
    this.t = null;
  }

  /** Copies `a` (value and caches). */
  set(a: Fx): void {
    this.m = a.m;
    this.s = a.s;
    this.d = a.d;
    this.t = a.t;
  }

  /** Sets the value to −a (decimal.js `neg()`: no rounding; −(+0) = −0). */
  setNeg(a: Fx): void {
    const m = a.m;
    const t = a.t;
    this.m = -m;
    this.s = a.s;
    this.d = null;
    this.t = t === null || m === 0 ? null : t.charCodeAt(0) === 45 ? t.slice(1) : '-' + t;
  }

  /** Sets the value to a + b rounded to 40 significant digits (decimal.js `a.add(b)`). */
  setAdd(a: Fx, b: Fx): void {
    this.addSigned(a, b, false);
  }

  /** Sets the value to a − b rounded to 40 significant digits (decimal.js `a.sub(b)`). */
  setSub(a: Fx, b: Fx): void {
    this.addSigned(a, b, true);
  }

  /** Sets the value to a × b rounded to 40 significant digits (decimal.js `a.mul(b)`). */
  setMul(a: Fx, b: Fx): void {
    const am = a.m;
    const bm = b.m;
    if (typeof am === 'number' && typeof bm === 'number') {
      const p = am * bm;
      if (Number.isSafeInteger(p)) {
        this.setNum(p, a.s + b.s);
        return;
      }
    } else if (am === 0 || bm === 0) {
      // a zero times a bigint: a zero signed by the xor of the signs
      this.setNum(a.isNeg() !== b.isNeg() ? -0 : 0, 0);
      return;
    }
    this.setRounded(BigInt(am) * BigInt(bm), a.s + b.s, false);
  }

  /**
   * Sets the value to a / b (b ≠ 0) correctly rounded to 40 significant digits half-even
   * (decimal.js `a.div(b)`).
   */
  setDiv(a: Fx, b: Fx): void {
    const am = a.m;
    const bm = b.m;
    if (am === 0) {
      this.setNum(a.isNeg() !== b.isNeg() ? -0 : 0, 0);
      return;
    }
    // a / b = (am / bm) · 10^(b.s − a.s)
    if (typeof am === 'number' && typeof bm === 'number' && am % bm === 0) {
      const q = am / bm; // exact: bm divides am, and |q| ≤ |am|
      const s = a.s - b.s;
      if (s >= 0) {
        this.setNum(q, s);
        return;
      }
      const qs = q * (POW10[-s] ?? Infinity);
      if (Number.isSafeInteger(qs)) {
        this.setNum(qs, 0);
        return;
      }
    }
    let x = BigInt(am);
    let y = BigInt(bm);
    const neg = x < 0n !== y < 0n;
    if (x < 0n) x = -x;
    if (y < 0n) y = -y;
    // scale the dividend so the integer quotient has at least 41 digits: then rounding it to 40
    // with the remainder as a sticky digit is the correctly rounded quotient
    const k = Math.max(0, PRECISION + 1 + digits(y) - digits(x));
    const n = x * pow10n(k);
    const q = n / y;
    this.setRounded(neg ? -q : q, a.s + k - b.s, n % y !== 0n);
  }

  /**
   * Sets the value to `a` rounded half-even to `places` decimal places when it has more
   * (decimal.js `a.toDecimalPlaces(places, ROUND_HALF_EVEN)`; a result of zero keeps a's sign).
   */
  setRoundDp(a: Fx, places: number): void {
    const drop = a.s - places;
    if (drop <= 0) {
      this.set(a);
      return;
    }
    const m = a.m;
    if (typeof m === 'number' && drop <= MAX_EXACT_SCALE) {
      const neg = m < 0 || (m === 0 && 1 / m < 0);
      const abs = neg ? -m : m;
      const p = POW10[drop];
      const r = abs % p; // exact for safe integers
      let q = (abs - r) / p; // exact: an integer quotient of an exact multiple
      if (2 * r > p || (2 * r === p && q % 2 === 1)) q++;
      this.setNum(neg ? -q : q, places);
      return;
    }
    const neg = a.isNeg();
    const abs = BigInt(m);
    const q = roundDiv(abs < 0n ? -abs : abs, pow10n(drop), false);
    if (q === 0n) this.setNum(neg ? -0 : 0, 0);
    else this.setBig(neg ? -q : q, places);
  }

  /** a ± b with the 40-digit rounding. */
  private addSigned(a: Fx, b: Fx, minus: boolean): void {
    const am = a.m;
    const bm = b.m;
    const as = a.s;
    const bs = b.s;
    if (typeof am === 'number' && typeof bm === 'number') {
      let x = am;
      let y = minus ? -bm : bm;
      let s = as;
      if (bs > as) {
        x *= POW10[bs - as] ?? Infinity;
        s = bs;
      } else if (as > bs) y *= POW10[as - bs] ?? Infinity;
      const r = x + y;
      if (Number.isSafeInteger(x) && Number.isSafeInteger(y) && Number.isSafeInteger(r)) {
        this.setNum(r, s);
        return;
      }
    }
    let x = BigInt(am);
    let y = BigInt(bm);
    if (minus) y = -y;
    let s = as;
    if (bs > as) {
      x *= pow10n(bs - as);
      s = bs;
    } else if (as > bs) y *= pow10n(as - bs);
    // operands are not both zero here: an exact zero sum is x + (−x) = +0
    this.setRounded(x + y, s, false);
  }

  /** Sets a safe-integer mantissa, dropping the caches. */
  private setNum(m: number, s: number): void {
    this.m = m;
    this.s = m === 0 ? 0 : s; // zeros keep scale 0, so aligning one never overflows
    this.d = null;
    this.t = null;
  }

  /** Sets a non-zero bigint mantissa with at most 40 digits (a float when it fits). */
  private setBig(m: bigint, s: number): void {
    this.m = m > MAX_SAFE_N || m < -MAX_SAFE_N ? m : Number(m);
    this.s = s;
    this.d = null;
    this.t = null;
  }

  /**
   * Sets m / 10^s (s may be negative), rounded half-even to 40 significant digits; `sticky`: the
   * exact value is a little larger in magnitude than m (a division's non-zero remainder).
   */
  private setRounded(m: bigint, s: number, sticky: boolean): void {
    if (m === 0n) {
      this.setNum(0, 0);
      return;
    }
    let r = m;
    if (sticky || r >= LIMIT40 || r <= -LIMIT40) {
      const neg = r < 0n;
      let abs = neg ? -r : r;
      const drop = digits(abs) - PRECISION;
      if (drop > 0) {
        abs = roundDiv(abs, pow10n(drop), sticky);
        s -= drop;
      }
      r = neg ? -abs : abs;
    }
    if (s < 0) {
      r *= pow10n(-s);
      s = 0;
    }
    this.setBig(r, s);
  }
}

const SCRATCH: Scaled = { n: 0, scale: 0 };

/** Number of decimal digits of x > 0. */
function digits(x: bigint): number {
  const f = Number(x);
  let d = f < Infinity ? Math.floor(Math.log10(f)) + 1 : x.toString().length;
  while (d > 1 && x < pow10n(d - 1)) d--;
  while (x >= pow10n(d)) d++;
  return d;
}

/**
 * x / p rounded half-even (x ≥ 0, p a power of ten ≥ 10); `sticky`: x is a little larger than
 * given (a lower, non-zero part was cut off).
 */
function roundDiv(x: bigint, p: bigint, sticky: boolean): bigint {
  const q = x / p;
  const r2 = (x % p) * 2n;
  return r2 > p || (r2 === p && (sticky || (q & 1n) === 1n)) ? q + 1n : q;
}

/**
 * decimal.js `toFixed()` of m / 10^s (m a safe integer or a bigint, s ≥ 0): plain digits, no
 * trailing fraction zeros, a leading "0." for values below 1, "0" for either zero.
 */
export function formatScaled(m: number | bigint, s: number): string {
  if (m === 0) return '0';
  let neg: boolean;
  let digitsText: string;
  if (typeof m === 'number') {
    while (s > 0 && m % 10 === 0) {
      m /= 10;
      s--;
    }
    neg = m < 0;
    digitsText = String(neg ? -m : m); // a safe integer prints without an exponent
  } else {
    neg = m < 0n;
    digitsText = String(neg ? -m : m);
    let end = digitsText.length;
    while (s > 0 && digitsText.charCodeAt(end - 1) === 48) {
      end--;
      s--;
    }
    if (end < digitsText.length) digitsText = digitsText.slice(0, end);
  }
  if (s > 0) {
    const len = digitsText.length;
    digitsText =
      len > s
        ? digitsText.slice(0, len - s) + '.' + digitsText.slice(len - s)
        : '0.' + '0'.repeat(s - len) + digitsText;
  }
  return neg ? '-' + digitsText : digitsText;
}

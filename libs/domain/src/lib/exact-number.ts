/**
 * Exact float views of decimals with few significant digits: a decimal is read as a safe integer
 * N and a scale s (value = N / 10^s), and `N / 10^s` is one correctly rounded IEEE division of two
 * exact doubles, the very double `toNumber()` gives (through the decimal's text), without the
 * string. Anything that does not fit falls back to decimal.js.
 *
 * Reads decimal.js's documented read-only representation: `d` (base-1e7 words, the decimal point
 * on a word boundary), `e` (base-10 exponent of the leading digit), `s` (sign). Never changes a
 * Decimal; only {@link decimalOfScaled} creates one (in that same representation).
 */
import type { Decimal } from 'decimal.js';
import { TradingDecimal } from './decimal';

/** 10^0 … 10^22: the powers of ten that are exact doubles. */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

// The decimal last registered with rememberScaled, and its integer at the smallest scale.
let knownX: Decimal | null = null;
let knownN = 0;
let knownScale = 0;

/** Largest scale {@link scaledInt} reports (so 10^scale is an exact double). */
export const MAX_EXACT_SCALE = 22;

/** A decimal read as `n / 10^scale` (see {@link scaledInt}); the caller owns and reuses it. */
export interface Scaled {
  /** Signed integer, |n| ≤ 2^53 − 1 (a zero is reported as +0 or −0 with the decimal's sign). */
  n: number;
  /** Decimal places, 0 … {@link MAX_EXACT_SCALE}, the smallest that makes `n` an integer. */
  scale: number;
}

/**
 * Reads `x` as `out.n / 10^out.scale` with `out.n` a safe integer and the smallest scale. Returns
 * false (and leaves `out` unspecified) when `x` is not finite, or its integer does not fit 2^53.
 */
export function scaledInt(x: Decimal, out: Scaled): boolean {
  if (x === knownX) {
    out.n = knownN;
    out.scale = knownScale;
    return true;
  }
  const d = x.d;
  if (!d) return false; // NaN or ±Infinity
  const len = d.length;
  if (len > 4) return false; // five words hold at least 17 digits: above 2^53
  if (d[0] === 0) {
    out.n = x.s < 0 ? -0 : 0;
    out.scale = 0;
    return true;
  }
  // value = Σ d[i] · 1e7^(w − i), w = floor(e / 7) the word exponent of d[0]
  let scale = 7 * (len - 1 - w(x.e));
  let last = d[len - 1];
  let tz = 0;
  if (scale > 0) {
    // The last word is all fraction digits: drop its trailing zeros (it is not zero, and below
    // 1e7, so at most 6 of them: 4 + 2 + 1 steps cover every count). Exact small-integer
    // divisions, where a loop of `% 10` on a value that became a double was a slow float modulo.
    if (last % 10000 === 0) {
      last = last / 10000;
      tz = 4;
    }
    if (last % 100 === 0) {
      last = last / 100;
      tz += 2;
    }
    if (last % 10 === 0) {
      last = last / 10;
      tz++;
    }
    scale -= tz;
  }
  let n = last;
  if (len > 1) {
    n = d[0];
    for (let i = 1; i < len - 1; i++) n = n * 1e7 + d[i];
    n = n * POW10[7 - tz] + last;
  }
  if (scale < 0) {
    // an integer with trailing zero words
    n *= POW10[-scale] ?? Infinity;
    scale = 0;
  }
  if (!Number.isSafeInteger(n)) return false;
  if (scale > MAX_EXACT_SCALE) return false;
  out.n = x.s < 0 ? -n : n;
  out.scale = scale;
  return true;
}

/**
 * Registers that the decimal `x` is `n / 10^scale`, so that {@link scaledInt} and `toDecimal` of
 * this very instance answer from the numbers, without reading `x` itself. For a producer that
 * made the value from integers (the simulated exchange prices a fill from the bar's number) and
 * hands it to readers right away (portfolio, fill records, trade tracker): a shared decimal
 * (e.g. from `decimalOfNumber`'s cache) is usually out of the CPU cache, and each first read of it
 * costs a memory access. One entry: the last registration (decimals are immutable, so an entry
 * never goes stale). Calls with a zero, non-safe `n` or a scale outside 0 … 22 are ignored.
 *
 * Contract: `x` is a `TradingDecimal` whose value is exactly `n / 10^scale` (a wrong registration
 * would make readers compute with the wrong value: tests of the producer must prove it).
 */
export function rememberScaled(x: Decimal, n: number, scale: number): void {
  if (n === 0 || !Number.isSafeInteger(n) || !Number.isInteger(scale)) return;
  if (scale < 0 || scale > MAX_EXACT_SCALE) return;
  while (scale > 0 && n % 10 === 0) {
    n /= 10;
    scale--;
  }
  knownX = x;
  knownN = n;
  knownScale = scale;
}

/**
 * True when `x` is the decimal last registered with {@link rememberScaled}: a finite
 * `TradingDecimal` below 2^53 in magnitude (a reader may skip its own checks of those).
 */
export function isRememberedScaled(x: unknown): boolean {
  return x === knownX && x !== null;
}

/** Word exponent (base 1e7) of a decimal.js value's leading word. */
const w = (e: number): number => Math.floor(e / 7);

const tmp: Scaled = { n: 0, scale: 0 };

/**
 * `x.toNumber()` without the trip through a string: N / 10^s is one correctly rounded IEEE
 * division of two exact doubles, which is the nearest double to the decimal — what parsing its
 * text gives. Falls back to `toNumber()` when `x` does not fit.
 */
export function toNumberExact(x: Decimal): number {
  return scaledInt(x, tmp) ? tmp.n / POW10[tmp.scale] : x.toNumber();
}

/** Base-1e7 words of {@link decimalOfScaled}, least significant first (scratch, ≤ 4 used). */
const WORDS: number[] = [0, 0, 0, 0, 0];

/**
 * The decimal `n / 10^scale` for a safe integer `n` and an integer scale ≥ 0: the very value (same
 * sign, zero sign included, digits and exponent) `new TradingDecimal(`${n}e-${scale}`)` gives, built
 * without text or division. It writes decimal.js's documented representation, the one
 * {@link scaledInt} reads: the base-1e7 words of |n| aligned so the decimal point falls on a word
 * boundary, trailing zero words dropped, `e` the exponent of the leading digit. The object comes
 * from decimal.js's own constructor (small-integer path), so it has the usual shape.
 */
export function decimalOfScaled(n: number, scale: number): Decimal {
  if (n === 0) return new TradingDecimal(n); // ±0
  let m = n < 0 ? -n : n;
  const fracWords = Math.ceil(scale / 7);
  // digits of m in the lowest word: the scale's remainder (1…7), 7 for an integer
  const lowDigits = scale - 7 * (fracWords - 1);
  let wordExp = -fracWords; // base-1e7 exponent of the word being cut
  let w = m % POW10[lowDigits];
  m = (m - w) / POW10[lowDigits];
  w *= POW10[7 - lowDigits];
  while (w === 0) {
    // trailing zero words are not stored (m > 0 here, since n ≠ 0)
    wordExp++;
    w = m % 1e7;
    m = (m - w) / 1e7;
  }
  let len = 0;
  WORDS[len++] = w;
  while (m > 0) {
    w = m % 1e7;
    m = (m - w) / 1e7;
    WORDS[len++] = w;
  }
  const lead = WORDS[len - 1];
  let e = 7 * (wordExp + len - 1);
  for (let i = lead; i >= 10; i /= 10) e++;
  const x = new TradingDecimal(n < 0 ? -lead : lead) as { e: number; d: number[] };
  x.e = e;
  if (len === 2) x.d = [lead, WORDS[0]];
  else if (len === 3) x.d = [lead, WORDS[1], WORDS[0]];
  else if (len === 4) x.d = [lead, WORDS[2], WORDS[1], WORDS[0]];
  return x as unknown as Decimal;
}

import Decimal from 'decimal.js';
import { decimalOfScaled, isRememberedScaled, POW10 } from './exact-number';
import { ValidationError } from './errors';

/**
 * Decimal policy (ADR 0002): money and quantities are decimal.js values. The platform uses
 * its own Decimal constructor (`Decimal.clone`) with 40 significant digits and banker's
 * rounding, so another package's global `Decimal.set` cannot change our arithmetic.
 */
export const TradingDecimal = Decimal.clone({
  precision: 40,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -40,
  toExpPos: 40,
});
/** The decimal type used for every monetary value and quantity. */
export type TradingDecimal = Decimal;
export { Decimal };

/** Anything that can be turned into a decimal: a Decimal, a decimal string, a finite number. */
export type DecimalInput = Decimal | string | number;

const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Largest absolute value accepted at a boundary (prevents 1e308-style garbage). */
export const MAX_ABS_DECIMAL = new TradingDecimal('1e18');

/**
 * Parses `value` into a finite decimal, naming `field` in the error when it is not one.
 * Numbers are converted through their shortest round-trip text, so `0.1` becomes exactly 0.1; a
 * non-zero number's decimal is shared from {@link decimalOfNumber}'s cache (decimals are
 * immutable: the same value, digits and text as a new one, without ~0.5 KB and ~150 ns per call).
 */
export function toDecimal(value: unknown, field = 'value'): Decimal {
  // a decimal registered with rememberScaled is a finite TradingDecimal below 2^53: valid, and
  // not read here (see there)
  if (isRememberedScaled(value)) return value as Decimal;
  let d: Decimal;
  // (our own decimals first: decimal.js's isDecimal reads a tag through the prototype chain;
  // then the primitives, which isDecimal would refuse anyway)
  if (value instanceof TradingDecimal) d = value as Decimal;
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ValidationError(field, value, 'must be a finite number');
    d = decimalOfNumber(value);
  } else if (typeof value === 'string') {
    const t = value.trim();
    if (!DECIMAL_TEXT.test(t)) throw new ValidationError(field, value, 'must be a decimal number');
    d = new TradingDecimal(t);
  } else if (Decimal.isDecimal(value)) {
    d = new TradingDecimal(value as Decimal);
  } else {
    throw new ValidationError(field, value, 'must be a decimal number (string, number or Decimal)');
  }
  if (!d.isFinite()) throw new ValidationError(field, value, 'must be finite');
  // `e` is the base-10 exponent: only values ≥ 1e18 in magnitude need the exact comparison.
  if (d.e >= 18 && d.abs().gt(MAX_ABS_DECIMAL))
    throw new ValidationError(
      field,
      value,
      `must be at most ${MAX_ABS_DECIMAL.toString()} in magnitude`,
    );
  return d;
}

/**
 * `x` itself, its digit array swapped for an exact-length copy, for values kept for a long time
 * (fills, trades, equity points, caches). decimal.js builds digit arrays by pushing, so an array
 * of two base-1e7 words usually carries capacity for ~17: a decimal from a constructor or a
 * multiplication then takes ~250 bytes of heap, ~130 once compacted (measured, Node 20). The value
 * is unchanged (same words, exponent and sign); the array is never mutated, only replaced by an
 * equal one, so a decimal sharing the old array is unaffected. Returns `x`.
 */
export function compactDecimal<T extends Decimal>(x: T): T {
  const d = x.d as number[] | null;
  if (d !== null && d !== undefined) (x as { d: number[] }).d = d.slice();
  return x;
}

/** Entries of the {@link decimalOfNumber} cache (an entry is replaced, not the cache cleared, when full). */
export const DECIMAL_OF_NUMBER_CACHE_SIZE = 8192;

/** log2 of the cache's sets (two entries each, the newer first). */
const CACHE_SET_BITS = 12;
/** Cached numbers (NaN: empty), entry i of set s at 2s + i, beside their decimals. */
const cacheKeys = new Float64Array(DECIMAL_OF_NUMBER_CACHE_SIZE).fill(NaN);
const cacheDecimals: (Decimal | undefined)[] = new Array<Decimal | undefined>(
  DECIMAL_OF_NUMBER_CACHE_SIZE,
).fill(undefined);
/** The bits of a double, read as two 32-bit words (for the cache's hash). */
const hashDouble = new Float64Array(1);
const hashWords = new Uint32Array(hashDouble.buffer);

/**
 * The decimal of a float64 (as `new TradingDecimal(n)`), shared from a bounded cache. Decimals are
 * immutable, so sharing is safe. Hot paths that price fills from bar prices use it: prices repeat,
 * and building a decimal.js value from a number costs ~300 ns and ~0.5 KB. Zero (which may be
 * negative zero) and non-finite values bypass the cache.
 *
 * The cache is two-way set associative over a hash of the double's bits: the numbers sit in one
 * typed array (64 KB) next to an array of their decimals, so a hit reads two nearby slots instead
 * of a Map's bucket, entry and boxed key. A miss replaces the older entry of its set, so the cache
 * never starts over (a Map cleared when full lost every recent price at once).
 */
export function decimalOfNumber(n: number): Decimal {
  if (n === 0 || !Number.isFinite(n)) return new TradingDecimal(n);
  hashDouble[0] = n;
  const i = (Math.imul(hashWords[0] ^ hashWords[1], 0x9e3779b1) >>> (32 - CACHE_SET_BITS)) << 1;
  if (cacheKeys[i] === n) return cacheDecimals[i] as Decimal;
  if (cacheKeys[i + 1] === n) return cacheDecimals[i + 1] as Decimal;
  const d = exactDecimalOfNumber(n) ?? compactDecimal(new TradingDecimal(n));
  cacheKeys[i + 1] = cacheKeys[i];
  cacheDecimals[i + 1] = cacheDecimals[i];
  cacheKeys[i] = n;
  cacheDecimals[i] = d;
  return d;
}

/**
 * `new TradingDecimal(n)` without the text round trip, for a finite non-zero `n` that is k / 10^s
 * with |k| < 10^15 (≤ 15 significant digits, as bar prices are), else null. Why it is the same
 * value: decimal.js reads a number through its shortest round-trip text; a decimal of ≤ 15
 * significant digits whose double is `n` is that text's value, since two different decimals of
 * ≤ 15 digits never round to the same double (DBL_DIG = 15), and the shortest text has no more
 * digits than this one. `k / 10^s === n` checks the double (IEEE division rounds correctly).
 */
function exactDecimalOfNumber(n: number): Decimal | null {
  for (let s = 0; s <= MAX_NUMBER_SCALE; s++) {
    const k = Math.round(n * POW10[s]);
    if (!(k < 1e15 && k > -1e15)) return null;
    if (k / POW10[s] === n) return decimalOfScaled(k, s);
  }
  return null;
}

/** Decimal places {@link exactDecimalOfNumber} tries (prices and quantities rarely need more). */
const MAX_NUMBER_SCALE = 10;

/**
 * `a.cmp(b)` without its copy of `b` (decimal.js's `comparedTo` converts its argument with the
 * constructor first, which allocates even when it is already a decimal): −1, 0 or 1, the same
 * answer for every finite value (the same sign, exponent and digit comparisons), and `a.cmp(b)`
 * itself for NaN and infinities. For hot paths that compare quantities.
 */
export function compareDecimals(a: Decimal, b: Decimal): number {
  const ad = a.d as number[] | null;
  const bd = b.d as number[] | null;
  if (!ad || !bd) return a.cmp(b);
  const as = a.s;
  const bs = b.s;
  // either zero (the sign of a zero does not count)
  if (!ad[0] || !bd[0]) return ad[0] ? as : bd[0] ? -bs : 0;
  if (as !== bs) return as;
  if (a.e !== b.e) return a.e > b.e !== as < 0 ? 1 : -1;
  const al = ad.length;
  const bl = bd.length;
  for (let i = 0, n = al < bl ? al : bl; i < n; i++)
    if (ad[i] !== bd[i]) return ad[i] > bd[i] !== as < 0 ? 1 : -1;
  return al === bl ? 0 : al > bl !== as < 0 ? 1 : -1;
}

/** The decimal zero. */
export const ZERO = new TradingDecimal(0);
/** The decimal one. */
export const ONE = new TradingDecimal(1);

/** How to round a value onto an increment (tick or lot). */
export type RoundingMode = 'nearest' | 'down' | 'up';

/** Rounds `value` to a multiple of `increment` (half-even for `nearest`, toward -∞ for `down`, +∞ for `up`). */
export function roundToIncrement(
  value: Decimal,
  increment: Decimal,
  mode: RoundingMode = 'nearest',
): Decimal {
  if (increment.lte(0))
    throw new ValidationError('increment', increment.toString(), 'must be positive');
  const units = value.div(increment);
  const r =
    mode === 'nearest'
      ? units.toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN)
      : mode === 'down'
        ? units.floor()
        : units.ceil();
  return r.mul(increment);
}

const POWER_OF_TEN_FRACTION = /^(1|0\.0*1)$/;
const incrementKind = new WeakMap<Decimal, number>();

/**
 * True when `value` is an exact multiple of `increment`. Fast path for the common increments
 * 1, 0.1, 0.01, …: compares decimal places instead of computing a remainder (≈ 10× faster).
 */
export function isMultipleOf(value: Decimal, increment: Decimal): boolean {
  let places = incrementKind.get(increment);
  if (places === undefined) {
    places = POWER_OF_TEN_FRACTION.test(increment.toFixed()) ? increment.decimalPlaces() : -1;
    incrementKind.set(increment, places);
  }
  if (places >= 0) return value.decimalPlaces() <= places;
  return value.mod(increment).isZero();
}

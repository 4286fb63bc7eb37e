/**
 * Fast decimal text → number conversion that gives exactly `Number(text)`.
 *
 * Fast path (Clinger): a plain decimal `[-]digits[.digits]` with at most 15 digits is an integer
 * mantissa `m < 10^15 < 2^53` (exact in a float64) divided by `10^f` (exact for f ≤ 22); one
 * IEEE division is correctly rounded, so the result is the float64 nearest to the decimal value,
 * which is what `Number()` returns. Anything else (exponents, more digits, spaces, signs `+`)
 * falls back to `Number()` on the slice, after a strict syntax check (no hex, no `Infinity`).
 */

/** Exact powers of ten 10^0 … 10^22. */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Strict slow path: trimmed decimal syntax or NaN. */
export function slowDecimal(text: string): number {
  const t = text.trim();
  if (!DECIMAL.test(t)) return NaN;
  return Number(t);
}

/**
 * Parses `s[start, end)` as a decimal number; NaN when it is not one (including empty).
 * Equal to `Number(s.slice(start, end))` for every valid decimal.
 */
export function parseDecimal(s: string, start: number, end: number): number {
  let p = start;
  let neg = false;
  if (p < end && s.charCodeAt(p) === 45) {
    neg = true;
    p++;
  }
  let m = 0;
  let digits = 0;
  let frac = 0;
  let dot = false;
  for (; p < end; p++) {
    const c = s.charCodeAt(p);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (dot) frac++;
    } else if (c === 46 && !dot) {
      dot = true;
    } else {
      return slowDecimal(s.slice(start, end));
    }
  }
  if (digits === 0) return NaN;
  if (digits > 15) return slowDecimal(s.slice(start, end));
  const v = frac === 0 ? m : m / POW10[frac];
  return neg ? -v : v;
}

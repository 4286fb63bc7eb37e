import { Decimal } from '@trading/domain';

/**
 * Exact decisions at float speed ("filtered" comparison).
 *
 * decimal.js comparisons cost ~150 ns and multiplications ~350 ns (every call copies its argument),
 * which alone would blow a 500 ns budget per check. So every limit comparison is first decided with
 * doubles and only falls back to exact Decimal arithmetic when the doubles cannot prove the answer.
 *
 * Why it is exact: `approx(x)` is within a relative error δ ≤ 1e-14 of x (at most 7 base-1e7 words,
 * each product and sum rounded once: ≤ (L + 2)·2⁻⁵³). A comparison of two expressions built from such
 * values by + and × (terms of absolute size ≤ `scale`) has an absolute float error below
 * ~1e-13·scale. {@link fcmp} only answers when |x − y| > 1e-9·scale, a margin 10⁴ times the worst
 * error, so its answer equals the exact one; otherwise (e.g. a value exactly AT its limit) it returns 0
 * and the caller computes exactly with Decimal.
 */

const POW10_BIAS = 330;
const POW10: number[] = [];
for (let k = -POW10_BIAS; k <= POW10_BIAS; k++) POW10.push(Number(`1e${k}`));

/** Relative margin under which floats are not trusted to decide. */
export const FLOAT_MARGIN = 1e-9;

function digits(w: number): number {
  return w < 10
    ? 1
    : w < 100
      ? 2
      : w < 1000
        ? 3
        : w < 10000
          ? 4
          : w < 100000
            ? 5
            : w < 1000000
              ? 6
              : 7;
}

/**
 * Nearest-ish double of a decimal (relative error ≤ 1e-14), computed from decimal.js's documented
 * internals (`d` base-1e7 words, `e` decimal exponent, `s` sign) without allocating. NaN for
 * NaN/±Infinity decimals and for magnitudes outside ~1e±280.
 */
export function approx(x: Decimal): number {
  const d = x.d;
  if (!d) return NaN;
  const w0 = d[0];
  if (w0 === 0) return 0;
  let idx = x.e - digits(w0) + 1 + POW10_BIAS;
  if (idx > 2 * POW10_BIAS || idx - 7 * (d.length - 1) < 0) return NaN;
  let v = 0;
  for (let i = 0; i < d.length; i++, idx -= 7) v += d[i] * POW10[idx];
  return x.s * v;
}

/**
 * Sign of x − y when the doubles prove it (−1 or 1), else 0 ("too close: decide exactly").
 * `scale` is the sum of the absolute values of every term that went into x and y.
 */
export function fcmp(x: number, y: number, scale: number): number {
  const diff = x - y;
  const m = FLOAT_MARGIN * scale;
  return diff > m ? 1 : diff < -m ? -1 : 0;
}

import fc from 'fast-check';
import { toDecimal, TradingDecimal } from './decimal';
import type { Decimal } from 'decimal.js';
import {
  decimalOfScaled,
  isRememberedScaled,
  rememberScaled,
  Scaled,
  scaledInt,
  toNumberExact,
} from './exact-number';

const MAX = Number.MAX_SAFE_INTEGER;

/** Integers spread over every magnitude up to (and past) 2^53, both signs. */
const bigInt = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.integer({ min: -MAX, max: MAX }),
  fc.constantFrom(0, 1, -1, MAX, -MAX, MAX - 1, 2 ** 52, 9_999_999, 10_000_000, 10 ** 15),
);

/** A decimal n / 10^scale built by decimal.js itself (the reference). */
const decimalOf = (n: number | bigint, scale: number): Decimal =>
  new TradingDecimal(n.toString()).div(new TradingDecimal(10).pow(scale));

/** Decimals that fit the shortcut, and decimals that must not (too many digits, huge, tiny, -0). */
const anyDecimal: fc.Arbitrary<Decimal> = fc.oneof(
  fc.tuple(bigInt, fc.integer({ min: 0, max: 22 })).map(([n, s]) => decimalOf(n, s)),
  fc
    .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 30 }))
    .map(([n, s]) => decimalOf(n, s)),
  fc.tuple(bigInt, fc.integer({ min: -30, max: 40 })).map(([n, s]) => decimalOf(n, s)),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => new TradingDecimal(x)),
  fc.constantFrom(
    new TradingDecimal(-0),
    new TradingDecimal('1e21'),
    new TradingDecimal('1e22'),
    new TradingDecimal('123e20'),
    new TradingDecimal('9007199254740993'),
    new TradingDecimal('0.00000000000000000000001'),
    new TradingDecimal(1).div(3),
  ),
);

describe('scaledInt', () => {
  it('reads exactly the decimal, with the smallest scale, whenever it accepts', () => {
    const out: Scaled = { n: 0, scale: 0 };
    fc.assert(
      fc.property(anyDecimal, (x) => {
        if (!scaledInt(x, out)) return;
        expect(Number.isSafeInteger(out.n)).toBe(true);
        expect(out.scale).toBeGreaterThanOrEqual(0);
        expect(out.scale).toBeLessThanOrEqual(22);
        expect(out.scale === 0 || out.n % 10 !== 0).toBe(true);
        expect(decimalOf(BigInt(out.n), out.scale).eq(x)).toBe(true);
        expect(Object.is(out.n, -0)).toBe(x.isZero() && x.isNegative());
      }),
      { numRuns: 5000 },
    );
  });

  it('accepts every n / 10^s with n a safe integer and s ≤ 22', () => {
    const out: Scaled = { n: 0, scale: 0 };
    fc.assert(
      fc.property(bigInt, fc.integer({ min: 0, max: 22 }), (n, s) => {
        expect(scaledInt(decimalOf(n, s), out)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses values whose integer does not fit 2^53, or need more than 22 places', () => {
    const out: Scaled = { n: 0, scale: 0 };
    for (const t of ['9007199254740992', '9007199254740993', '1e21', '1e300', '1e-23', '12.3e-22'])
      expect(scaledInt(new TradingDecimal(t), out)).toBe(false);
    expect(scaledInt(new TradingDecimal(1).div(3), out)).toBe(false);
    expect(scaledInt(new TradingDecimal(NaN), out)).toBe(false);
    expect(scaledInt(new TradingDecimal(Infinity), out)).toBe(false);
    expect(scaledInt(new TradingDecimal('9007199254740991e7'), out)).toBe(false);
    expect(scaledInt(new TradingDecimal('123e13'), out)).toBe(true);
    expect(out).toEqual({ n: 123e13, scale: 0 });
    expect(scaledInt(new TradingDecimal('-0.0500'), out)).toBe(true);
    expect(out).toEqual({ n: -5, scale: 2 });
  });
});

/** scaledInt as it was before the trailing zeros were stripped in 4 + 2 + 1 steps (the oracle). */
function previousScaledInt(x: Decimal, out: Scaled): boolean {
  const d = x.d;
  if (!d) return false;
  const len = d.length;
  if (len > 4) return false;
  if (d[0] === 0) {
    out.n = x.s < 0 ? -0 : 0;
    out.scale = 0;
    return true;
  }
  let scale = 7 * (len - 1 - Math.floor(x.e / 7));
  let last = d[len - 1];
  let tz = 0;
  if (scale > 0) {
    while (last !== 0 && last % 10 === 0) {
      last /= 10;
      tz++;
    }
    scale -= tz;
  }
  let n = last;
  if (len > 1) {
    n = d[0];
    for (let i = 1; i < len - 1; i++) n = n * 1e7 + d[i];
    n = n * 10 ** (7 - tz) + last;
  }
  if (scale < 0) {
    n *= -scale <= 22 ? 10 ** -scale : Infinity;
    scale = 0;
  }
  if (!Number.isSafeInteger(n)) return false;
  if (scale > 22) return false;
  out.n = x.s < 0 ? -n : n;
  out.scale = scale;
  return true;
}

describe('scaledInt against its previous implementation', () => {
  it('accepts the same decimals and reads the same integer (sign of zero included) and scale', () => {
    const got: Scaled = { n: 0, scale: 0 };
    const want: Scaled = { n: 0, scale: 0 };
    // every count of trailing zeros in the last fraction word (0 … 6), at every word position
    const trailing = fc
      .tuple(
        fc.integer({ min: 1, max: 9_999_999 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 22 }),
        fc.boolean(),
      )
      .map(([k, z, s, neg]) => decimalOf((neg ? -1 : 1) * (k % 10 ** (7 - z) || 1) * 10 ** z, s));
    fc.assert(
      fc.property(fc.oneof(anyDecimal, trailing), (x) => {
        const ok = scaledInt(x, got);
        expect(ok).toBe(previousScaledInt(x, want));
        if (!ok) return;
        expect(Object.is(got.n, want.n)).toBe(true);
        expect(got.scale).toBe(want.scale);
      }),
      { numRuns: 20000 },
    );
  });
});

describe('toNumberExact', () => {
  it('gives the same double as toNumber(), sign of zero included', () => {
    fc.assert(
      fc.property(anyDecimal, (x) => {
        expect(Object.is(toNumberExact(x), x.toNumber())).toBe(true);
      }),
      { numRuns: 10000 },
    );
  });
});

describe('decimalOfScaled', () => {
  /** decimal.js's own reading of `n e-scale` (text, no arithmetic). */
  const parsed = (n: number, scale: number): Decimal =>
    new TradingDecimal(`${Object.is(n, -0) ? '-0' : BigInt(n).toString()}e-${scale}`);
  const same = (x: Decimal, y: Decimal): void => {
    expect({ s: x.s, e: x.e, d: x.d }).toEqual({ s: y.s, e: y.e, d: y.d });
    expect(x.toFixed()).toBe(y.toFixed());
    expect(Object.keys(x)).toEqual(Object.keys(y));
    expect(x).toBeInstanceOf(TradingDecimal);
  };

  it('builds the decimal decimal.js parses from n e-scale (words, exponent, sign)', () => {
    fc.assert(
      fc.property(bigInt, fc.integer({ min: 0, max: 30 }), (n, s) => {
        const x = decimalOfScaled(n, s);
        same(x, parsed(n, s));
        // and it computes like one
        expect(x.add(1).toFixed()).toBe(parsed(n, s).add(1).toFixed());
      }),
      { numRuns: 20000 },
    );
  });

  it('round-trips with scaledInt, and handles the corners', () => {
    const out: Scaled = { n: 0, scale: 0 };
    fc.assert(
      fc.property(bigInt, fc.integer({ min: 0, max: 22 }), (n, s) => {
        expect(scaledInt(decimalOfScaled(n, s), out)).toBe(true);
        expect(decimalOfScaled(out.n, out.scale).eq(parsed(n, s))).toBe(true);
      }),
      { numRuns: 3000 },
    );
    for (const [n, s] of [
      [0, 0],
      [-0, 3],
      [1, 0],
      [10_000_000, 7],
      [10_000_000, 0],
      [100_000_001, 8],
      [5, 8],
      [Number.MAX_SAFE_INTEGER, 0],
      [-Number.MAX_SAFE_INTEGER, 22],
      [1e15, 22],
      [123_456_789, 7],
    ])
      same(decimalOfScaled(n, s), parsed(n, s));
    expect(decimalOfScaled(-0, 0).isNegative()).toBe(true);
    expect(decimalOfScaled(0, 5).isNegative()).toBe(false);
  });
});

describe('rememberScaled', () => {
  it('makes scaledInt of that instance answer from the registration, at the smallest scale', () => {
    fc.assert(
      fc.property(bigInt, fc.integer({ min: 0, max: 22 }), (n, scale) => {
        fc.pre(n !== 0);
        const x = decimalOf(n, scale);
        const want: Scaled = { n: 0, scale: 0 };
        expect(scaledInt(new TradingDecimal(x), want)).toBe(true);
        // registered at a larger scale (trailing zeros), as a producer may
        const extra = Math.min(22 - want.scale, Number.isSafeInteger(want.n * 100) ? 2 : 0);
        rememberScaled(x, want.n * 10 ** extra, want.scale + extra);
        expect(isRememberedScaled(x)).toBe(true);
        expect(isRememberedScaled(new TradingDecimal(x))).toBe(false);
        const got: Scaled = { n: 0, scale: 0 };
        expect(scaledInt(x, got)).toBe(true);
        expect(got).toEqual(want);
        expect(toDecimal(x)).toBe(x);
      }),
    );
  });

  it('is read without looking at the decimal (a wrong registration shows), one entry', () => {
    const x = new TradingDecimal('1.5');
    const y = new TradingDecimal('2.25');
    const out: Scaled = { n: 0, scale: 0 };
    rememberScaled(x, 1234, 2); // (deliberately not x's value)
    expect(scaledInt(x, out)).toBe(true);
    expect(out).toEqual({ n: 1234, scale: 2 });
    rememberScaled(y, 2250, 3);
    expect(isRememberedScaled(x)).toBe(false);
    expect(scaledInt(x, out)).toBe(true);
    expect(out).toEqual({ n: 15, scale: 1 });
    expect(scaledInt(y, out)).toBe(true);
    expect(out).toEqual({ n: 225, scale: 2 });
  });

  it('ignores a zero, an unsafe integer and a scale outside 0 … 22 (the last entry stays)', () => {
    const kept = new TradingDecimal('7');
    rememberScaled(kept, 7, 0);
    for (const [n, scale] of [
      [0, 1],
      [-0, 0],
      [2 ** 53, 0],
      [NaN, 0],
      [5, -1],
      [5, 23],
      [5, 1.5],
    ]) {
      const x = new TradingDecimal(3);
      rememberScaled(x, n, scale);
      expect(isRememberedScaled(x)).toBe(false);
      expect(isRememberedScaled(kept)).toBe(true);
    }
    expect(isRememberedScaled(null)).toBe(false);
    expect(isRememberedScaled(undefined)).toBe(false);
  });
});

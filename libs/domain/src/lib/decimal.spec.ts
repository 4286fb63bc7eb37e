import fc from 'fast-check';
import {
  compareDecimals,
  compactDecimal,
  DECIMAL_OF_NUMBER_CACHE_SIZE,
  decimalOfNumber,
  toDecimal,
  TradingDecimal,
} from './decimal';
import { ValidationError } from './errors';

describe('decimalOfNumber', () => {
  it('equals new TradingDecimal(n) for any finite number, in value and text', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const d = decimalOfNumber(n);
        const want = new TradingDecimal(n);
        expect(d).toBeInstanceOf(TradingDecimal);
        expect(d.eq(want)).toBe(true);
        expect(d.toString()).toBe(want.toString());
        expect(d.isNegative()).toBe(want.isNegative());
        const [a, b] = [d, want].map((x) => x as unknown as { d: number[]; e: number });
        expect([[...a.d], a.e]).toEqual([[...b.d], b.e]);
      }),
      { numRuns: 2000 },
    );
  });

  it('builds prices of ≤ 15 significant digits without text, identical to the constructor', () => {
    // (the fast path: k / 10^s; internal words, exponent and sign must match decimal.js's own)
    const internal = (x: TradingDecimal) => {
      const r = x as unknown as { d: number[]; e: number; s: number };
      return { d: [...r.d], e: r.e, s: r.s };
    };
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -999_999_999_999_999, max: 999_999_999_999_999 }),
          fc.integer({ min: -99_999_999, max: 99_999_999 }),
          fc.integer({ min: -9_999, max: 9_999 }),
        ),
        fc.integer({ min: 0, max: 14 }),
        (k, s) => {
          const n = k / 10 ** s;
          if (n === 0) return;
          const d = decimalOfNumber(n) as TradingDecimal;
          const want = new TradingDecimal(n);
          expect(internal(d)).toEqual(internal(want));
          expect(d.toFixed()).toBe(want.toFixed());
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('shares one instance per price, and keeps working past its bound', () => {
    expect(decimalOfNumber(187.25)).toBe(decimalOfNumber(187.25));
    for (let i = 1; i <= DECIMAL_OF_NUMBER_CACHE_SIZE + 10; i++) {
      expect(decimalOfNumber(i / 100).toFixed()).toBe(new TradingDecimal(i).div(100).toFixed());
    }
    expect(decimalOfNumber(0.07)).toBe(decimalOfNumber(0.07));
  });

  it('keeps recent prices shared without starting over, and stays right under churn', () => {
    const prices = Array.from({ length: 2_000 }, (_, i) => 50 + i * 0.01 + (i % 7) * 13.37);
    const first = prices.map((p) => decimalOfNumber(p));
    // 2,000 prices in 4,096 two-entry sets: nearly all are still there (a Map cleared when full,
    // or a one-entry cache, would keep far fewer)
    const kept = prices.filter((p, i) => decimalOfNumber(p) === first[i]).length;
    expect(kept).toBeGreaterThan(1_800);
    // many more distinct numbers than entries: every answer is still the right value
    for (let i = 0; i < 3 * DECIMAL_OF_NUMBER_CACHE_SIZE; i++) {
      const n = (i * 7919) / 1000 + 0.5;
      expect(decimalOfNumber(n).toFixed()).toBe(new TradingDecimal(n).toFixed());
    }
    for (const p of prices) expect(decimalOfNumber(p).eq(new TradingDecimal(p))).toBe(true);
  });

  it('keeps the sign of zero and does not cache zero or non-finite values', () => {
    expect(decimalOfNumber(-0).isNegative()).toBe(true);
    expect(decimalOfNumber(0).isNegative()).toBe(false);
    expect(decimalOfNumber(-0).isNegative()).toBe(true); // not served the cached +0
    expect(decimalOfNumber(Number.NaN).isNaN()).toBe(true);
    expect(decimalOfNumber(Infinity).isFinite()).toBe(false);
  });
});

describe('compactDecimal', () => {
  it('returns the same decimal with an equal, exact-length digit array', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (a, b) => {
          const x = new TradingDecimal(a).mul(b);
          const text = x.toString();
          const words = x.d === null ? null : [...x.d];
          const shared = new TradingDecimal(0);
          (shared as { d: number[] | null }).d = x.d; // a decimal sharing the array
          const sharedBefore = shared.d;
          expect(compactDecimal(x)).toBe(x);
          expect(x.toString()).toBe(text);
          expect(x.d === null ? null : [...x.d]).toEqual(words);
          expect(shared.d).toBe(sharedBefore); // untouched
          if (x.d !== null) expect(x.d).not.toBe(sharedBefore);
          expect(x.eq(new TradingDecimal(a).mul(b))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('leaves non-finite decimals alone', () => {
    expect(compactDecimal(new TradingDecimal(NaN)).isNaN()).toBe(true);
    expect(compactDecimal(new TradingDecimal(-Infinity)).toString()).toBe('-Infinity');
  });
});

describe('compareDecimals', () => {
  it('answers like a.cmp(b) for finite, zero (either sign), NaN and infinite decimals', () => {
    const dec = fc.oneof(
      fc.double({ noNaN: true }).map((n) => new TradingDecimal(n)),
      fc.integer({ min: -50, max: 50 }).map((n) => new TradingDecimal(n)),
      fc
        .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 25 }))
        .map(([m, s]) => new TradingDecimal(`${m}e-${s}`)),
      fc
        .constantFrom('0', '-0', 'NaN', 'Infinity', '-Infinity', '1e-30', '-1e30')
        .map((t) => new TradingDecimal(t)),
    );
    fc.assert(
      fc.property(dec, dec, (a, b) => {
        const want = a.cmp(b);
        if (Number.isNaN(want)) expect(compareDecimals(a, b)).toBeNaN();
        else expect(compareDecimals(a, b)).toBe(want);
        expect(compareDecimals(a, a)).toBe(a.isNaN() ? NaN : 0);
        // same exponent and leading words, different lengths
        for (const eps of ['1e-25', '-1e-25', '1e-12'])
          if (a.isFinite() && !a.isZero()) {
            const c = a.plus(eps);
            expect([compareDecimals(a, c), compareDecimals(c, a)]).toEqual([a.cmp(c), c.cmp(a)]);
          }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('toDecimal', () => {
  /** decimal.js's internal form: digit words, exponent and sign. */
  const internal = (x: unknown) => {
    const r = x as { d: number[] | null; e: number; s: number };
    return { d: r.d === null ? null : [...r.d], e: r.e, s: r.s };
  };

  it('reads a number as new TradingDecimal(n) did: value, text, digits, sign of zero', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e18, max: 1e18 }),
          fc.integer({ min: -1_000_000, max: 1_000_000 }),
          fc.integer({ min: -99_999_999, max: 99_999_999 }).map((k) => k / 100),
          fc.constantFrom(0, -0, 1, -1, 0.1, 1e-7, 5e-324, 1e18, -1e18, 123.456),
        ),
        (n) => {
          const d = toDecimal(n);
          const want = new TradingDecimal(n);
          expect(d).toBeInstanceOf(TradingDecimal);
          expect(internal(d)).toEqual(internal(want));
          expect(d.toString()).toBe(want.toString());
          expect(d.toFixed()).toBe(want.toFixed());
          expect(Object.is(d.isZero() && d.isNegative(), Object.is(n, -0))).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('shares the decimal of a repeated non-zero number, and builds zeros afresh', () => {
    expect(toDecimal(100)).toBe(toDecimal(100));
    expect(toDecimal(0.25, 'q')).toBe(decimalOfNumber(0.25));
    expect(toDecimal(-0).isNegative()).toBe(true);
    expect(toDecimal(0).isNegative()).toBe(false);
    expect(toDecimal(-0).isNegative()).toBe(true);
  });

  it('keeps its checks: non-finite numbers, garbage, and magnitudes above 1e18 throw', () => {
    expect(() => toDecimal(NaN, 'q')).toThrow(ValidationError);
    expect(() => toDecimal(Infinity, 'q')).toThrow('must be a finite number');
    expect(() => toDecimal(2e18, 'q')).toThrow('must be at most');
    expect(() => toDecimal(-2e18, 'q')).toThrow('in magnitude');
    expect(toDecimal(1e18).toFixed()).toBe('1000000000000000000');
    expect(() => toDecimal('1.2.3', 'q')).toThrow('must be a decimal number');
    expect(() => toDecimal({}, 'q')).toThrow('string, number or Decimal');
    expect(() => toDecimal(new TradingDecimal(Infinity), 'q')).toThrow('must be finite');
    expect(toDecimal(' 12.50 ').toFixed()).toBe('12.5');
    const d = new TradingDecimal('3.5');
    expect(toDecimal(d)).toBe(d);
  });
});

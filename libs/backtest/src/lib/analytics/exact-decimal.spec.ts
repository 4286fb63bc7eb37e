import fc from 'fast-check';
import { Decimal, decimalOfScaled, Scaled, scaledInt, TradingDecimal } from '@trading/domain';
import { ExactSum, quotientNumber, scaledOf, sharedDecimal } from './exact-decimal';

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

describe('quotientNumber', () => {
  const scale = fc.integer({ min: 0, max: 22 });

  it('gives the double of decimal.js div then toNumber, or NaN', () => {
    let applied = 0;
    fc.assert(
      fc.property(bigInt, scale, bigInt, scale, (an, as, bn, bs) => {
        const got = quotientNumber(an, as, bn, bs);
        if (Number.isNaN(got)) return;
        applied++;
        const want = decimalOf(an, as).div(decimalOf(bn, bs)).toNumber();
        expect(Object.is(got, want)).toBe(true);
      }),
      { numRuns: 20000 },
    );
    expect(applied).toBeGreaterThan(5000);
  });

  it('agrees on quotients of nearby large integers (many significant bits)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2 ** 50, max: MAX }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 0, max: 4 }),
        (b, delta, s) => {
          const a = Math.min(MAX, b + delta);
          const got = quotientNumber(a, s, b, s);
          expect(Object.is(got, decimalOf(a, s).div(decimalOf(b, s)).toNumber())).toBe(true);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('refuses zero operands and aligned integers beyond 2^53', () => {
    expect(quotientNumber(0, 0, 5, 0)).toBeNaN();
    expect(quotientNumber(-0, 2, 5, 0)).toBeNaN();
    expect(quotientNumber(5, 0, 0, 0)).toBeNaN();
    expect(quotientNumber(2 ** 50, 0, 3, 5)).toBeNaN(); // 2^50 × 10^5 does not fit
    expect(quotientNumber(3, 5, 2 ** 50, 0)).toBeNaN();
    expect(quotientNumber(1, 0, 3, 30)).toBeNaN(); // no exact power of ten
    expect(quotientNumber(1, 0, 3, 0)).toBe(1 / 3);
    expect(quotientNumber(-7, 1, 2, 0)).toBe(-0.35);
  });
});

describe('ExactSum', () => {
  /** Terms that fit the integer path, and ones that force the switch to decimal.js mid-way. */
  const term = fc.oneof(
    fc.tuple(bigInt, fc.integer({ min: 0, max: 12 })).map(([n, s]) => decimalOf(n, s)),
    fc.integer({ min: -1000, max: 1000 }).map((n) => new TradingDecimal(n).div(7)),
    fc.constantFrom(
      new TradingDecimal('1e17'),
      new TradingDecimal('-1e-25'),
      new TradingDecimal('123456789.123456789123456789'),
      new TradingDecimal(-0),
    ),
  );

  it('equals adding (and subtracting) the terms one by one with decimal.js, sign of zero included', () => {
    let integerOnly = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), term), { maxLength: 30 }), (ops) => {
        const sum = new ExactSum();
        let want = new TradingDecimal(0);
        for (const [add, x] of ops) {
          if (add) {
            sum.add(x);
            want = want.add(x);
          } else {
            sum.sub(x);
            want = want.sub(x);
          }
        }
        const got = sum.value();
        expect(got.toFixed()).toBe(want.toFixed());
        expect(got.eq(want)).toBe(true);
        expect(got.isNegative()).toBe(want.isNegative());
        if (sum.addScaled(0, 0)) integerOnly++;
      }),
      { numRuns: 3000 },
    );
    expect(integerOnly).toBeGreaterThan(300);
  });

  it('refuses integer terms once it has switched to decimal.js, and terms that overflow', () => {
    const sum = new ExactSum();
    expect(sum.addScaled(Number.MAX_SAFE_INTEGER, 0)).toBe(true);
    expect(sum.addScaled(1, 0)).toBe(false); // would pass 2^53
    expect(sum.addScaled(1, 1)).toBe(false); // rescaling the sum would pass 2^53
    sum.add(new TradingDecimal(1).div(3));
    expect(sum.addScaled(1, 0)).toBe(false);
    expect(
      sum.value().eq(new TradingDecimal(Number.MAX_SAFE_INTEGER).add(new TradingDecimal(1).div(3))),
    ).toBe(true);
  });

  it('decimalOfScaled builds n / 10^scale', () => {
    expect(decimalOfScaled(-12345, 3).toFixed()).toBe('-12.345');
    expect(decimalOfScaled(Number.MAX_SAFE_INTEGER, 22).toFixed()).toBe('0.0000009007199254740991');
    expect(decimalOfScaled(7, 0).toFixed()).toBe('7');
  });
});

describe('scaledOf', () => {
  // a small pool of instances, so reads repeat instances in every order (cache hits and
  // evictions), with values that fit, do not fit (40 digits, beyond 2^53) and zeros of both signs
  const pool: Decimal[] = [
    new TradingDecimal('101.23'),
    new TradingDecimal('101.23'), // equal value, another instance
    new TradingDecimal(1),
    new TradingDecimal('0.0001'),
    new TradingDecimal(-0),
    new TradingDecimal(0),
    new TradingDecimal(1).div(3),
    new TradingDecimal('9007199254740993'),
    new TradingDecimal('-123456.789'),
  ];

  it('answers exactly as scaledInt for any sequence of reads', () => {
    let hits = 0;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: pool.length - 1 }), { minLength: 1, maxLength: 40 }),
        (picks) => {
          let prev = -1;
          for (const k of picks) {
            const got: Scaled = { n: 7, scale: 7 };
            const want: Scaled = { n: 7, scale: 7 };
            const ok = scaledOf(pool[k], got);
            expect(ok).toBe(scaledInt(pool[k], want));
            if (ok) {
              expect(Object.is(got.n, want.n)).toBe(true);
              expect(got.scale).toBe(want.scale);
            }
            if (k === prev) hits++;
            prev = k;
          }
        },
      ),
      { numRuns: 2000 },
    );
    expect(hits).toBeGreaterThan(100);
  });
});

describe('sharedDecimal', () => {
  const repr = (x: Decimal) => {
    const r = x as unknown as { d: number[]; e: number; s: number };
    return { d: [...r.d], e: r.e, s: r.s };
  };

  it('is decimalOfScaled, sharing an instance only between equal (n, scale)', () => {
    // values that collide in the cache (n and n + 4096·j with one scale land in one slot),
    // equal values with another scale, negatives, zeros of both signs, large integers
    const n = fc.oneof(
      fc
        .tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 3 }))
        .map(([b, j]) => b + 4096 * j),
      fc.integer({ min: -MAX, max: MAX }),
      fc.constantFrom(-0, 0, 5, 50, 500, MAX),
    );
    let shared = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(n, fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 30 }),
        (xs) => {
          const seen = new Map<Decimal, string>();
          for (const [v, scale] of xs) {
            const got = sharedDecimal(v, scale);
            expect(repr(got)).toEqual(repr(decimalOfScaled(v, scale)));
            const key = `${Object.is(v, -0) ? '-0' : v}/${scale}`;
            const before = seen.get(got);
            if (before !== undefined) {
              shared++;
              expect(before).toBe(key);
            }
            seen.set(got, key);
          }
        },
      ),
      { numRuns: 3000 },
    );
    expect(shared).toBeGreaterThan(100);
    // one n with scales 4096 apart share a slot: the scale tells them apart
    sharedDecimal(5, 0);
    const b = sharedDecimal(5, 4096);
    expect(repr(b)).toEqual(repr(decimalOfScaled(5, 4096)));
    expect(repr(sharedDecimal(5, 0))).toEqual(repr(decimalOfScaled(5, 0)));
  });
});

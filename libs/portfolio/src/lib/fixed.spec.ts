import fc from 'fast-check';
import { TradingDecimal } from '@trading/domain';
import { formatScaled, Fx } from './fixed';

/**
 * Fx against decimal.js (TradingDecimal): every operation must give the very decimal that
 * decimal.js gives — same digits, exponent and sign (zeros included) — and the same text and double.
 */

const D = (v: string | number) => new TradingDecimal(v);

describe('Fx assumptions', () => {
  it('TradingDecimal has the precision and rounding Fx reproduces (40 digits, half-even)', () => {
    // Fx hard-codes decimal.js's configuration of TradingDecimal (ADR 0002): a change there must
    // change fixed.ts too, and this test is where that is noticed.
    expect(TradingDecimal.precision).toBe(40);
    expect(TradingDecimal.rounding).toBe(TradingDecimal.ROUND_HALF_EVEN);
  });
});

/** decimal.js's internal form: equal iff the same value with the same sign of zero. */
const repr = (d: TradingDecimal) => JSON.stringify({ s: d.s, e: d.e, d: d.d });

const digitString = (min: number, max: number) =>
  fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max })
    .map((a) => a.join(''));

/** Decimal text: small, ledger-like, long (beyond 2^53 and 40 digits), tiny and zeros of either sign. */
const decimalText: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('0', '-0', '1', '-1', '0.5', '10', '100.25', '-0.001') },
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.boolean(), fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 4 }))
      .map(([neg, n, s]) => (neg ? '-' : '') + formatScaled(n, s)),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.boolean(), digitString(1, 24), digitString(0, 26))
      .map(([neg, i, f]) => (neg ? '-' : '') + i + (f ? '.' + f : '')),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.boolean(), digitString(1, 45), fc.integer({ min: -60, max: 30 }))
      .map(([neg, m, e]) => (neg ? '-' : '') + m + 'e' + e),
  },
);

function cell(text: string): Fx {
  const c = new Fx();
  c.setDec(D(text));
  return c;
}

/** A cell holding `text` without its decimal cached (as an arithmetic result would). */
function bare(text: string): Fx {
  const c = cell(text);
  const out = new Fx();
  out.setNeg(c);
  out.setNeg(out);
  return out;
}

function expectSame(c: Fx, d: TradingDecimal): void {
  expect(c.text()).toBe(d.toFixed());
  expect(repr(c.dec())).toBe(repr(d));
  expect(c.isZero()).toBe(d.isZero());
  expect(c.isNeg()).toBe(d.isNegative());
  expect(Object.is(c.toNumber(), d.toNumber())).toBe(true);
  expect(c.dp()).toBe(d.decimalPlaces());
}

describe('Fx (fixed-point ledger cell) against decimal.js', () => {
  it('reads any decimal exactly (text, form, sign, double, decimal places)', () => {
    fc.assert(
      fc.property(decimalText, (t) => {
        const d = D(t);
        expectSame(cell(t), d);
        expectSame(bare(t), d);
      }),
      { numRuns: 2000 },
    );
  });

  it('add, sub, mul, div, neg and toDecimalPlaces give decimal.js results, chained', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom('add', 'sub', 'mul', 'div', 'neg', 'dp'),
            decimalText,
            fc.integer({ min: 0, max: 14 }),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        decimalText,
        (ops, start) => {
          const acc = cell(start);
          let ref = D(start);
          for (const [op, t, places] of ops) {
            const b = op === 'div' && D(t).isZero() ? cell('7') : bare(t);
            const bd = b.dec();
            if (op === 'add') {
              acc.setAdd(acc, b);
              ref = ref.add(bd);
            } else if (op === 'sub') {
              acc.setSub(acc, b);
              ref = ref.sub(bd);
            } else if (op === 'mul') {
              acc.setMul(acc, b);
              ref = ref.mul(bd);
            } else if (op === 'div') {
              acc.setDiv(acc, b);
              ref = ref.div(bd);
            } else if (op === 'neg') {
              acc.setNeg(acc);
              ref = ref.neg();
            } else {
              acc.setRoundDp(acc, places);
              ref = ref.toDecimalPlaces(places, TradingDecimal.ROUND_HALF_EVEN);
            }
            expectSame(acc, ref);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('rounds quotients to 40 digits half-even with the remainder as sticky digit', () => {
    const cases: [string, string][] = [
      ['1', '3'],
      ['2', '3'],
      ['-2', '3'],
      ['1', '-7'],
      ['3031.5', '30'],
      ['100', '8'],
      ['1', '1024'],
      ['123456789012345678901234567890', '7'],
      ['0.0000001', '9999999999999999999'],
      ['-0', '5'],
      ['0', '-5'],
      ['-0', '-5'],
      ['5', '0.001'],
      ['12345678901234567', '0.0000000000000000000000001'],
    ];
    for (const [a, b] of cases) {
      const c = new Fx();
      c.setDiv(cell(a), cell(b));
      expectSame(c, D(a).div(D(b)));
    }
  });

  it('rounds half-even at 40 digits (ties to even, carries) and at given decimal places', () => {
    const tie = '1234567890123456789012345678901234567890'; // 40 digits
    for (const [a, b] of [
      [tie + '5', '1'],
      ['1234567890123456789012345678901234567891' + '5', '1'],
      ['9999999999999999999999999999999999999999' + '5', '1'],
      [tie + '4999', '1'],
    ] as const) {
      const c = new Fx();
      c.setMul(cell(a), cell(b));
      expectSame(c, D(a).mul(D(b)));
      c.setAdd(cell(a), cell('0'));
      expectSame(c, D(a).add(D('0')));
    }
    for (const [a, places] of [
      ['0.0000000000005', 12],
      ['-0.0000000000005', 12],
      ['-0.0000000000001', 12],
      ['0.0000000000015', 12],
      ['2.5', 0],
      ['3.5', 0],
      ['-2.5', 0],
      ['123456789012345678.1234567890125', 12],
    ] as const) {
      const c = new Fx();
      c.setRoundDp(cell(a), places);
      expectSame(c, D(a).toDecimalPlaces(places, TradingDecimal.ROUND_HALF_EVEN));
    }
  });

  it('follows decimal.js signs of zero in sums and products', () => {
    for (const a of ['0', '-0', '5', '-5'])
      for (const b of ['0', '-0', '5', '-5', '123456789012345678901234']) {
        const c = new Fx();
        c.setAdd(bare(a), bare(b));
        expectSame(c, D(a).add(D(b)));
        c.setSub(bare(a), bare(b));
        expectSame(c, D(a).sub(D(b)));
        c.setMul(bare(a), bare(b));
        expectSame(c, D(a).mul(D(b)));
      }
  });

  it('formats like toFixed and keeps a given decimal as its cache', () => {
    expect(formatScaled(15000, 2)).toBe('150');
    expect(formatScaled(-5, 3)).toBe('-0.005');
    expect(formatScaled(-0, 3)).toBe('0');
    expect(formatScaled(10n ** 30n, 32)).toBe('0.01');
    const d = D('1.50');
    const c = new Fx();
    c.setDec(d);
    expect(c.dec()).toBe(d);
    expect(c.text()).toBe('1.5');
    expect(() => c.setDec(D(NaN))).toThrow(RangeError);
  });
});

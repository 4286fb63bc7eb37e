import fc from 'fast-check';
import { Decimal, TradingDecimal } from '@trading/domain';
import { divRound, ExactValue } from './exact-value';

/** Decimal text that tells a negative zero apart. */
const text = (d: Decimal): string => (d.isZero() && d.isNegative() ? '-0' : d.toFixed());

/** Decimals n / 10^s over every magnitude (many outside the safe-integer range), ±0 included. */
const decimalArb: fc.Arbitrary<Decimal> = fc.oneof(
  fc
    .tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 6 }))
    .map(([n, s]) => new TradingDecimal(n).div(10 ** s)),
  fc
    .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 25 }))
    .map(([n, s]) => new TradingDecimal(`${n}e-${s}`)),
  fc.constantFrom(
    new TradingDecimal(0),
    new TradingDecimal(-0),
    new TradingDecimal(Number.MAX_SAFE_INTEGER),
    new TradingDecimal('0.1'),
    new TradingDecimal(1).div(3),
  ),
);

/** An exact value holding `d`, either read from it or (when it fits) built from its integers. */
const exactArb = fc.tuple(decimalArb, fc.boolean()).map(([d, fromScaled]) => {
  const x = new ExactValue().setDecimal(d);
  if (fromScaled && x.isScaled()) x.setScaled(x.n, x.scale); // drop the cached decimal
  return { d, x };
});

describe('ExactValue', () => {
  it('add, sub, mul, mulDiv, abs and cmp give what decimal.js gives (sign of zero included)', () => {
    fc.assert(
      fc.property(
        exactArb,
        exactArb,
        exactArb,
        ({ d: a, x: ax }, { d: b, x: bx }, { d: c, x: cx }) => {
          const out = new ExactValue();
          expect(text(out.add(ax, bx).decimal())).toBe(text(a.add(b)));
          expect(text(out.sub(ax, bx).decimal())).toBe(text(a.sub(b)));
          expect(text(out.mul(ax, bx).decimal())).toBe(text(a.mul(b)));
          if (!c.isZero())
            expect(text(out.mulDiv(ax, bx, cx).decimal())).toBe(text(a.mul(b).div(c)));
          expect(text(out.abs(ax).decimal())).toBe(text(a.abs()));
          expect(ExactValue.cmp(ax, bx)).toBe(a.cmp(b));
          expect(ax.isZero()).toBe(a.isZero());
          expect(ax.isNegative()).toBe(a.isNegative());
          // in place (the result aliases an operand)
          const acc = new ExactValue().copy(ax);
          expect(text(acc.sub(acc, bx).decimal())).toBe(text(a.sub(b)));
          if (out.isScaled()) expect(Number.isSafeInteger(out.n)).toBe(true);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('divRound is decimal.js floor / ceil of the quotient, sign of zero included', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer(),
          fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER),
        ),
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.boolean(),
        (a, b, up) => {
          const q = new TradingDecimal(a).div(b);
          expect(text(new TradingDecimal(divRound(a, b, up)))).toBe(
            text(up ? q.ceil() : q.floor()),
          );
        },
      ),
      { numRuns: 5000 },
    );
  });
});

import fc from 'fast-check';
import { TradingDecimal } from '@trading/domain';
import { approx, fcmp, FLOAT_MARGIN } from './fast-compare';

describe('approx (allocation-free Decimal → double)', () => {
  it('is within 1e-14 relative of the exact value for random decimals', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
        fc.integer({ min: -60, max: 40 }),
        (digits, exp) => {
          const d = new TradingDecimal(`${digits}e${exp}`);
          const exact = d.toNumber();
          const a = approx(d);
          if (exact === 0) return a === 0;
          return Math.abs(a - exact) <= 1e-14 * Math.abs(exact);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('handles zero, signs and typical prices', () => {
    expect(approx(new TradingDecimal(0))).toBe(0);
    expect(approx(new TradingDecimal('-0'))).toBe(0);
    expect(approx(new TradingDecimal('123.45'))).toBeCloseTo(123.45, 12);
    expect(approx(new TradingDecimal('-0.0001'))).toBeCloseTo(-0.0001, 18);
    expect(approx(new TradingDecimal('1234567.1234567'))).toBeCloseTo(1234567.1234567, 8);
  });

  it('is NaN for NaN, ±Infinity and magnitudes outside ~1e±280', () => {
    expect(approx(new TradingDecimal(NaN))).toBeNaN();
    expect(approx(new TradingDecimal(Infinity))).toBeNaN();
    expect(approx(new TradingDecimal(-Infinity))).toBeNaN();
    expect(approx(new TradingDecimal('1e400'))).toBeNaN();
    expect(approx(new TradingDecimal('1.000000000000000000001e-320'))).toBeNaN();
  });
});

describe('fcmp (decide only beyond the error margin)', () => {
  it('decides clear cases and defers close ones', () => {
    expect(fcmp(2, 1, 3)).toBe(1);
    expect(fcmp(1, 2, 3)).toBe(-1);
    expect(fcmp(1, 1, 2)).toBe(0);
    expect(fcmp(1 + 1e-12, 1, 2)).toBe(0);
    expect(fcmp(NaN, 1, 1)).toBe(0);
    expect(FLOAT_MARGIN).toBeLessThan(1e-6);
  });
});

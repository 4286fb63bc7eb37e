import fc from 'fast-check';
import { parseDecimal, POW10, slowDecimal } from './fast-number';

const parse = (t: string) => parseDecimal(`x,${t},y`, 2, 2 + t.length);

describe('parseDecimal', () => {
  it('equals Number() for typical prices', () => {
    for (const t of [
      '0',
      '1',
      '3602.00',
      '1.953125',
      '45.549999',
      '0.000123',
      '.5',
      '1.',
      '-2.25',
      '-0',
      '123456789012345',
      '0.1',
      '20.049999',
      '4142.06',
    ]) {
      expect(Object.is(parse(t), Number(t))).toBe(true);
    }
  });

  it('falls back to Number() for long mantissas and exponents', () => {
    expect(parse('1234567890.1234567')).toBe(Number('1234567890.1234567'));
    expect(parse('1e5')).toBe(100000);
    expect(parse('2.5E-3')).toBe(0.0025);
    expect(parse(' 12.5 ')).toBe(12.5);
    expect(parse('+3')).toBe(3);
  });

  it('rejects what is not a decimal', () => {
    for (const t of ['', '-', '.', 'abc', '0x10', 'Infinity', 'NaN', '1.2.3', '1,5', '12a'])
      expect(parse(t)).toBeNaN();
    expect(slowDecimal('  ')).toBeNaN();
  });

  it('has exact powers of ten', () => {
    expect(POW10[0]).toBe(1);
    expect(POW10[22]).toBe(1e22);
  });

  it('matches Number() on random decimals (property)', () => {
    const dec = fc
      .tuple(
        fc.boolean(),
        fc.stringMatching(/^[0-9]{1,10}$/),
        fc.option(fc.stringMatching(/^[0-9]{0,10}$/)),
      )
      .map(([neg, i, f]) => `${neg ? '-' : ''}${i}${f === null ? '' : '.' + f}`);
    fc.assert(
      fc.property(dec, (t) => Object.is(parse(t), Number(t))),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) =>
        Object.is(parse(String(x)), Number(String(x))),
      ),
      { numRuns: 5000 },
    );
  });
});

import { Decimal, Money, Price, TradingDecimal } from '@trading/domain';
import { stableJson } from './stable-json';

describe('stableJson', () => {
  it('sorts keys at every level, so key order does not change the bytes', () => {
    const a = { b: 1, a: { y: [3, { d: 1, c: 2 }], x: 'x' } };
    const b = { a: { x: 'x', y: [3, { c: 2, d: 1 }] }, b: 1 };
    expect(stableJson(a)).toBe('{"a":{"x":"x","y":[3,{"c":2,"d":1}]},"b":1}');
    expect(stableJson(b)).toBe(stableJson(a));
  });

  it('writes decimals as canonical strings and rounds floats to 12 significant digits', () => {
    expect(
      stableJson({
        p: new TradingDecimal('1e-7'),
        q: new TradingDecimal('123456789012345678901234.5'),
      }),
    ).toBe('{"p":"0.0000001","q":"123456789012345678901234.5"}');
    expect(stableJson(new Decimal('2.50'))).toBe('"2.5"');
    expect(stableJson(0.1 + 0.2)).toBe('0.3');
    expect(stableJson(1 / 3)).toBe('0.333333333333');
    expect(stableJson(1234567890123.25)).toBe('1234567890120');
    // Safe integers (epoch-ms timestamps) are exact.
    expect(stableJson(1704229200123)).toBe('1704229200123');
    expect(stableJson(2 ** 60)).toBe('1152921504610000000');
    expect(stableJson(1e-20)).toBe('1e-20');
    expect(stableJson(1 / 3, { precision: 3 })).toBe('0.333');
  });

  it('maps -0, NaN and ±Infinity like JSON', () => {
    expect(stableJson([-0, NaN, Infinity, -Infinity])).toBe('[0,null,null,null]');
  });

  it('drops undefined/function members, keeps null, nulls them in arrays', () => {
    expect(stableJson({ a: undefined, b: null, c: () => 1 })).toBe('{"b":null}');
    expect(stableJson([undefined, () => 1])).toBe('[null,null]');
    expect(stableJson(undefined)).toBe('null');
  });

  it('uses toJSON of domain values, serialises Maps and bigints', () => {
    expect(stableJson({ px: Price.of('10.50'), m: Money.of('3', 'USD') })).toBe(
      '{"m":{"amount":"3","currency":"USD"},"px":"10.5"}',
    );
    expect(
      stableJson(
        new Map<string, number>([
          ['z', 1],
          ['a', 2],
        ]),
      ),
    ).toBe('{"a":2,"z":1}');
    expect(stableJson({ n: 12345678901234567890n })).toBe('{"n":"12345678901234567890"}');
    expect(stableJson([true, false, 'a"b'])).toBe('[true,false,"a\\"b"]');
  });

  it('pretty-prints with an indent', () => {
    expect(stableJson({ b: [1, 2], a: {}, c: [] }, { indent: 2 })).toBe(
      '{\n  "a": {},\n  "b": [\n    1,\n    2\n  ],\n  "c": []\n}',
    );
  });

  it('rejects cycles and bad options, accepts repeated (non-cyclic) references', () => {
    const o: Record<string, unknown> = {};
    o['self'] = o;
    expect(() => stableJson(o)).toThrow(/circular/);
    const shared = { x: 1 };
    expect(stableJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    expect(() => stableJson(1, { precision: 0 })).toThrow(RangeError);
  });
});

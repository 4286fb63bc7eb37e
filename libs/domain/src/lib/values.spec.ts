import fc from 'fast-check';
import { Money, Price, Quantity, currency, USD } from './values';
import { ValidationError } from './errors';
import { TradingDecimal, toDecimal, roundToIncrement, isMultipleOf } from './decimal';

/** Decimal strings with up to 8 decimals, built from integers so the expected value is exact. */
const decimalText = fc
  .tuple(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), fc.integer({ min: 0, max: 8 }))
  .map(([units, scale]) => ({ units, scale, text: scaled(units, scale) }));

function scaled(units: bigint, scale: number): string {
  const neg = units < 0n;
  const s = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const body = scale === 0 ? s : `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
  return (neg ? '-' : '') + body;
}

describe('Price/Quantity arithmetic', () => {
  it('has no float drift: 0.1 + 0.2 is exactly 0.3', () => {
    expect(Price.of('0.1').add(Price.of('0.2')).toString()).toBe('0.3');
    expect(Price.of(0.1).add(0.2).eq(Price.of('0.3'))).toBe(true);
    expect(Quantity.of('0.1').add(Quantity.of('0.2')).eq(Quantity.of('0.3'))).toBe(true);
  });

  it('addition and subtraction are exact (compared with bigint arithmetic)', () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        const scale = Math.max(a.scale, b.scale);
        const ua = a.units * 10n ** BigInt(scale - a.scale);
        const ub = b.units * 10n ** BigInt(scale - b.scale);
        const sum = Price.of(a.text).add(Price.of(b.text));
        const diff = Price.of(a.text).sub(Price.of(b.text));
        expect(sum.value.eq(new TradingDecimal(scaled(ua + ub, scale)))).toBe(true);
        expect(diff.value.eq(new TradingDecimal(scaled(ua - ub, scale)))).toBe(true);
      }),
    );
  });

  it('multiplication is exact (compared with bigint arithmetic)', () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        const product = Price.of(a.text).mul(b.text);
        expect(
          product.value.eq(new TradingDecimal(scaled(a.units * b.units, a.scale + b.scale))),
        ).toBe(true);
      }),
    );
  });

  it('addition is commutative and associative, subtraction inverts addition', () => {
    fc.assert(
      fc.property(decimalText, decimalText, decimalText, (a, b, c) => {
        const [pa, pb, pc] = [Price.of(a.text), Price.of(b.text), Price.of(c.text)];
        expect(pa.add(pb).eq(pb.add(pa))).toBe(true);
        expect(
          pa
            .add(pb)
            .add(pc)
            .eq(pa.add(pb.add(pc))),
        ).toBe(true);
        expect(pa.add(pb).sub(pb).eq(pa)).toBe(true);
      }),
    );
  });

  it('number inputs convert through their shortest text exactly', () => {
    fc.assert(
      fc.property(decimalText, (a) => {
        const n = Number(a.text);
        fc.pre(a.text.replace(/[-.]/g, '').replace(/^0+/, '').length <= 15);
        expect(Price.of(n).value.eq(new TradingDecimal(a.text))).toBe(true);
      }),
    );
  });
});

describe('rounding to tick and lot', () => {
  const ticks = fc.constantFrom('0.01', '0.05', '0.25', '0.0001', '1', '5');

  it('rounded prices are on the tick grid and within half a tick', () => {
    fc.assert(
      fc.property(
        decimalText,
        ticks,
        fc.constantFrom('nearest', 'down', 'up') as fc.Arbitrary<'nearest' | 'down' | 'up'>,
        (a, tick, mode) => {
          const p = Price.of(a.text);
          const r = p.roundToTick(tick, mode);
          expect(r.isOnTick(tick)).toBe(true);
          const dist = r.value.sub(p.value);
          if (mode === 'nearest')
            expect(dist.abs().lte(new TradingDecimal(tick).div(2))).toBe(true);
          if (mode === 'down')
            expect(dist.lte(0) && dist.gt(new TradingDecimal(tick).neg())).toBe(true);
          if (mode === 'up') expect(dist.gte(0) && dist.lt(new TradingDecimal(tick))).toBe(true);
          // idempotent
          expect(r.roundToTick(tick, mode).eq(r)).toBe(true);
        },
      ),
    );
  });

  it('rounds half to even on ties', () => {
    expect(Price.of('10.005').roundToTick('0.01').toString()).toBe('10');
    expect(Price.of('10.015').roundToTick('0.01').toString()).toBe('10.02');
    expect(Price.of('10.125').roundToTick('0.25').toString()).toBe('10');
    expect(Price.of('10.13').roundToTick('0.25').toString()).toBe('10.25');
  });

  it('quantity rounds down to whole lots by default', () => {
    expect(Quantity.of('157').roundToLot('100').toString()).toBe('100');
    expect(Quantity.of('0.123456').roundToLot('0.001').toString()).toBe('0.123');
    expect(Quantity.of('3').isOnLot('1')).toBe(true);
    expect(Quantity.of('3.5').isOnLot('1')).toBe(false);
  });

  it('rejects a non-positive increment', () => {
    expect(() => roundToIncrement(new TradingDecimal(1), new TradingDecimal(0))).toThrow(
      /increment: must be positive/,
    );
    expect(isMultipleOf(new TradingDecimal('0.3'), new TradingDecimal('0.1'))).toBe(true);
  });
});

describe('validation', () => {
  const bad: unknown[] = [
    NaN,
    Infinity,
    -Infinity,
    '',
    'abc',
    '1.2.3',
    '1e',
    '0x10',
    null,
    undefined,
    {},
    [],
    true,
    1e308,
    '1e19',
    '-1e19',
  ];

  it.each(bad.map((v) => [v]))(
    'rejects %p as a price with a ValidationError naming the field',
    (v) => {
      expect(() => Price.of(v as string)).toThrow(ValidationError);
      try {
        Price.of(v as string, 'order.limitPrice');
      } catch (e) {
        expect((e as ValidationError).field).toBe('order.limitPrice');
        expect((e as Error).message).toMatch(/^order\.limitPrice: /);
      }
    },
  );

  it('rejects negative quantities where not allowed, and zero for positive()', () => {
    expect(() => Quantity.of(-1)).toThrow('quantity: must not be negative, got -1');
    expect(() => Quantity.positive(0)).toThrow('quantity: must be greater than 0, got 0');
    expect(() => Quantity.positive('-0.5', 'order.quantity')).toThrow(
      /order\.quantity: must not be negative/,
    );
    expect(Quantity.signed(-5).isNegative()).toBe(true);
    expect(() => Price.positive(0)).toThrow(/price: must be greater than 0/);
  });

  it('fuzz: any string either parses to a finite decimal or raises ValidationError', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          const p = Price.of(s);
          expect(p.value.isFinite()).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError);
        }
      }),
    );
  });

  it('accepts a Decimal from another decimal.js constructor', () => {
    expect(toDecimal(new TradingDecimal('1.5')).toString()).toBe('1.5');
  });
});

describe('Money', () => {
  it('adds within a currency and refuses to mix currencies', () => {
    const a = Money.of('10.10');
    const b = Money.of('0.20', 'USD');
    expect(a.add(b).toString()).toBe('10.3 USD');
    expect(a.sub(b).amount.toFixed()).toBe('9.9');
    expect(() => a.add(Money.of('1', 'EUR'))).toThrow(/currency: must be USD/);
    expect(a.mul('3').round(2).toJSON()).toEqual({ amount: '30.3', currency: 'USD' });
    expect(Money.zero().isZero()).toBe(true);
    expect(a.neg().isNegative()).toBe(true);
    expect(a.cmp(b)).toBe(1);
    expect(a.eq(Money.of('10.1'))).toBe(true);
  });
  it('validates currency codes', () => {
    expect(currency('USDT')).toBe('USDT');
    expect(USD).toBe('USD');
    expect(() => currency('usd')).toThrow(/currency: must be an upper-case currency code/);
    expect(() => Money.of('1', 'X')).toThrow(ValidationError);
  });
  it('serialises decimals as strings, never floats', () => {
    expect(JSON.stringify({ p: Price.of('1.10'), q: Quantity.of('2') })).toBe(
      '{"p":"1.1","q":"2"}',
    );
  });
});

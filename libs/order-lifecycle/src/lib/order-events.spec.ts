import fc from 'fast-check';
import { Decimal, Money, Price, Quantity, TradingDecimal, ValidationError } from '@trading/domain';
import { OrderEventFactory, testOrderRequest } from '../testing';
import { decodeOrderEvent, encodeOrderEvent, OrderEvent } from './order-events';
import { encodeOrderRequest, validateOrderRequest } from './order-request';

const f = new OrderEventFactory();
const px = fc.integer({ min: 1, max: 10_000_000 }).map((c) => (c / 100).toFixed(2));
const qty = fc.integer({ min: 1, max: 100_000 });

const eventArb: fc.Arbitrary<OrderEvent> = fc.oneof(
  fc.constantFrom('LIMIT', 'MARKET', 'STOP', 'STOP_LIMIT', 'TRAILING_STOP').map((type) =>
    f.initialized(
      testOrderRequest({
        type: type as never,
        tags: ['a'],
        reduceOnly: true,
        timeInForce: 'GTD',
        expireAt: 123,
        parentClientOrderId: 'P-1' as never,
        contingency: { type: 'OCO', orderListId: 'L', linkedClientOrderIds: ['X-1' as never] },
      }),
    ),
  ),
  fc.option(qty, { nil: undefined }).map((q) => f.submitted('S1-1', q)),
  fc.constant(f.accepted('S1-1', 'V1')),
  fc.constant(f.rejected('S1-1', 'no')),
  fc.constant(f.triggered('S1-1')),
  fc.constant({ ...f.triggered('S1-1'), venueOrderId: 'V7' as never }),
  fc
    .record({ q: qty, p: px, cum: fc.option(qty, { nil: undefined }), c: px, v: fc.boolean() })
    .map(({ q, p, cum, c, v }) =>
      f.filled('S1-1', {
        tradeId: 'T1',
        qty: q,
        px: p,
        commission: Money.of(c, 'EUR'),
        cumulativeQty: cum,
        liquiditySide: 'MAKER',
        ...(v && { venueOrderId: 'V1' }),
      }),
    ),
  fc.constant(f.pendingCancel('S1-1')),
  fc.constant(f.canceled('S1-1')),
  fc.constant(f.canceled('S1-1', 'user')),
  fc.constant(f.cancelRejected('S1-1')),
  fc.option(qty, { nil: undefined }).map((q) => f.pendingReplace('S1-1', q)),
  fc.constant({ ...f.pendingReplace('S1-1'), limitPrice: undefined }),
  fc.record({ q: qty, p: px, n: fc.boolean() }).map(({ q, p, n }) =>
    f.replaced('S1-1', {
      quantity: q,
      limitPrice: p,
      stopPrice: p,
      ...(n && { newClientOrderId: 'S1-2', venueOrderId: 'V2' }),
    }),
  ),
  fc.constant(f.replaceRejected('S1-1')),
  fc.constant(f.expired('S1-1')),
);

describe('order event JSON codec', () => {
  it('round-trips every event type through JSON text', () => {
    fc.assert(
      fc.property(eventArb, (e) => {
        const json = encodeOrderEvent(e);
        const text = JSON.stringify(json);
        const back = decodeOrderEvent(JSON.parse(text));
        expect(JSON.stringify(encodeOrderEvent(back))).toBe(text);
        expect(back.type).toBe(e.type);
        // decimals are strings, never floats
        expect(text).not.toMatch(/"(lastQty|lastPx|quantity|limitPrice)":\d/);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes with validation naming the bad field', () => {
    const fill = encodeOrderEvent(f.filled('S1-1', { tradeId: 'T', qty: 1, px: '1' }));
    expect(() => decodeOrderEvent(null)).toThrow(/^event: must be an object/);
    expect(() => decodeOrderEvent({ ...fill, type: 'Nope' })).toThrow(/event.type/);
    expect(() => decodeOrderEvent({ ...fill, tsEvent: 1.5 })).toThrow(/event.tsEvent/);
    expect(() => decodeOrderEvent({ ...fill, lastQty: 'abc' })).toThrow(/event.lastQty/);
    expect(() => decodeOrderEvent({ ...fill, lastQty: '0' })).toThrow(
      /event.lastQty.*cumulativeQty/,
    );
    expect(() => decodeOrderEvent({ ...fill, lastPx: '-1' })).toThrow(/event.lastPx/);
    expect(() =>
      decodeOrderEvent({ ...fill, commission: { amount: 'x', currency: 'USD' } }),
    ).toThrow(/event.commission.amount/);
    expect(() => decodeOrderEvent({ ...fill, liquiditySide: 'BOTH' })).toThrow(
      /event.liquiditySide/,
    );
    expect(() => decodeOrderEvent({ ...fill, clientOrderId: '' })).toThrow(/event.clientOrderId/);
    expect(() =>
      decodeOrderEvent({ ...encodeOrderEvent(f.accepted('S1-1')), venueOrderId: undefined }),
    ).toThrow(/event.venueOrderId/);
    expect(() => decodeOrderEvent({ ...encodeOrderEvent(f.rejected('S1-1')), reason: 5 })).toThrow(
      /event.reason/,
    );
    expect(() =>
      decodeOrderEvent({
        ...encodeOrderEvent(f.replaced('S1-1', { quantity: 1 })),
        quantity: undefined,
      }),
    ).toThrow(/event.quantity/);
    const init = encodeOrderEvent(f.initialized(testOrderRequest()));
    expect(() =>
      decodeOrderEvent({ ...init, request: { ...init.request, limitPrice: undefined } }),
    ).toThrow(/event.request.limitPrice: is required for LIMIT/);
    expect(() => decodeOrderEvent({ ...init, clientOrderId: 'S1-9' })).toThrow(
      /event.request.clientOrderId/,
    );
  });
});

describe('validateOrderRequest', () => {
  const base = encodeOrderRequest(testOrderRequest());
  const fields = (raw: unknown): string[] => {
    const r = validateOrderRequest(raw);
    return r.ok ? [] : r.error.map((e) => e.field);
  };

  it('accepts valid requests given as JSON or typed values', () => {
    expect(fields(base)).toEqual([]);
    expect(fields(testOrderRequest({ type: 'STOP_LIMIT' }))).toEqual([]);
    expect(
      fields({
        ...base,
        type: 'TRAILING_STOP',
        limitPrice: undefined,
        trailingOffset: '0.5',
        stopPrice: '101',
      }),
    ).toEqual([]);
    const r = validateOrderRequest({
      ...base,
      quantity: 10,
      tags: ['t'],
      reduceOnly: false,
      timeInForce: 'GTD',
      expireAt: 5,
    });
    expect(r.ok && [r.value.quantity.toString(), r.value.expireAt, r.value.tags]).toEqual([
      '10',
      5,
      ['t'],
    ]);
  });

  it('shares the Quantity of a repeated quantity text; a bad text fails every time', () => {
    const a = validateOrderRequest({ ...base, quantity: '12.5' });
    const b = validateOrderRequest({ ...base, clientOrderId: 'S1-99', quantity: '12.5' });
    expect(a.ok && b.ok && a.value.quantity === b.value.quantity).toBe(true);
    expect(a.ok && a.value.quantity.toString()).toBe('12.5');
    for (let i = 0; i < 2; i++) {
      expect(fields({ ...base, quantity: '-3' })).toEqual(['quantity']);
      expect(fields({ ...base, quantity: '0' })).toEqual(['quantity']);
    }
    // a long text is parsed (not cached) and still exact
    const long = '7.' + '0'.repeat(60);
    const l1 = validateOrderRequest({ ...base, quantity: long });
    const l2 = validateOrderRequest({ ...base, quantity: long });
    expect(l1.ok && l2.ok && l1.value.quantity !== l2.value.quantity).toBe(true);
    expect(l1.ok && l1.value.quantity.toString()).toBe('7');
    // the cache is bounded and starts over: every size stays exact past the bound
    for (let n = 1; n <= 1100; n++) {
      const r = validateOrderRequest({ ...base, quantity: String(n) });
      expect(r.ok && r.value.quantity.toString()).toBe(String(n));
    }
  });

  it('takes a valid Quantity or Price as is and parses anything else exactly as before (differential)', () => {
    // before: toQty / toPx always built Quantity.positive(v.value) / Price.positive(v.value)
    const Foreign = Decimal.clone({ precision: 40 });
    const decimal = fc.oneof(
      fc.integer({ min: -1000, max: 100_000 }).map((n) => new TradingDecimal(n).div(100)),
      fc.constantFrom(
        new TradingDecimal(0),
        new TradingDecimal('-0'),
        new TradingDecimal('1e18'),
        new TradingDecimal('1.0000001e18'),
        new TradingDecimal('9.99e17'),
        new TradingDecimal(Infinity),
        new TradingDecimal(NaN),
        new Foreign('2.5') as Decimal,
      ),
    );
    const outcome = (f: () => Decimal): string => {
      try {
        return `ok ${f().toFixed()}`;
      } catch (e) {
        return `error ${(e as ValidationError).field}: ${(e as Error).message}`;
      }
    };
    fc.assert(
      fc.property(decimal, (d) => {
        const q = Quantity.fromDecimal(d);
        const r = validateOrderRequest({ ...base, quantity: q });
        const got = r.ok
          ? `ok ${r.value.quantity.value.toFixed()}`
          : `error ${r.error[0].field}: ${r.error[0].message}`;
        expect(got).toBe(outcome(() => Quantity.positive(d, 'quantity').value));
        // the very object when nothing would change, and then always one of our decimals
        if (r.ok) {
          expect(r.value.quantity.value).toBeInstanceOf(TradingDecimal);
          // (from 1e18 on the exact bound check runs and a new wrapper is made, as before)
          expect(r.value.quantity === q).toBe(d instanceof TradingDecimal && d.e < 18);
        }
        const p = Price.fromDecimal(d);
        const rp = validateOrderRequest({ ...base, limitPrice: p });
        const gotP = rp.ok
          ? `ok ${rp.value.limitPrice?.value.toFixed()}`
          : `error ${rp.error[0].field}: ${rp.error[0].message}`;
        expect(gotP).toBe(outcome(() => Price.positive(d, 'limitPrice').value));
        if (rp.ok) expect(rp.value.limitPrice === p).toBe(d instanceof TradingDecimal && d.e < 18);
      }),
      { numRuns: 300 },
    );
  });

  it('shares the Quantity of a repeated number; a bad number fails every time', () => {
    const a = validateOrderRequest({ ...base, quantity: 3 });
    const b = validateOrderRequest({ ...base, clientOrderId: 'S1-98', quantity: 3 });
    expect(a.ok && b.ok && a.value.quantity === b.value.quantity).toBe(true);
    expect(a.ok && a.value.quantity.toString()).toBe('3');
    const c = validateOrderRequest({ ...base, quantity: 0.1 });
    expect(c.ok && c.value.quantity.value.eq(new TradingDecimal('0.1'))).toBe(true);
    for (let i = 0; i < 2; i++)
      for (const bad of [0, -0, -2, NaN, Infinity, 2e18])
        expect(fields({ ...base, quantity: bad })).toEqual(['quantity']);
    // bounded: every size stays exact past the bound
    for (let n = 1; n <= 1100; n++) {
      const r = validateOrderRequest({ ...base, quantity: n / 4 });
      expect(r.ok && r.value.quantity.toNumber()).toBe(n / 4);
    }
  });

  it('returns independent error lists; a failure leaves nothing behind for the next request', () => {
    const bad1 = validateOrderRequest({ ...base, side: 'HOLD', quantity: '0' });
    const bad2 = validateOrderRequest({ ...base, type: 'FOO' });
    const good = validateOrderRequest(base);
    expect(good.ok).toBe(true);
    expect(!bad1.ok && bad1.error.map((e) => e.field)).toEqual(['side', 'quantity']);
    expect(!bad2.ok && bad2.error.map((e) => e.field)).toEqual(['type']);
    // an exception escaping half-way (here from reading a tag, after the quantity error was
    // collected) does not leak into the next call
    const throwing = {
      ...base,
      quantity: '-1',
      tags: new Proxy(['a'], {
        get(t, k) {
          if (k === '0') throw new Error('boom');
          return Reflect.get(t, k) as unknown;
        },
      }),
    };
    expect(() => validateOrderRequest(throwing)).toThrow('boom');
    expect(validateOrderRequest(base).ok).toBe(true);
  });

  it('names every bad field', () => {
    expect(fields('x')).toEqual(['orderRequest']);
    expect(fields({ ...base, type: 'LIMIT', limitPrice: undefined })).toEqual(['limitPrice']);
    expect(fields({ ...base, type: 'STOP', limitPrice: undefined })).toEqual(['stopPrice']);
    expect(fields({ ...base, type: 'STOP_LIMIT', limitPrice: undefined })).toEqual([
      'limitPrice',
      'stopPrice',
    ]);
    expect(fields({ ...base, type: 'MARKET', trailingOffset: '1' })).toEqual([
      'limitPrice',
      'trailingOffset',
    ]);
    expect(fields({ ...base, type: 'LIMIT', stopPrice: '1' })).toEqual(['stopPrice']);
    expect(fields({ ...base, type: 'TRAILING_STOP', limitPrice: undefined })).toEqual([
      'trailingOffset',
    ]);
    expect(fields({ ...base, timeInForce: 'GTD' })).toEqual(['expireAt']);
    expect(fields({ ...base, expireAt: 5 })).toEqual(['expireAt']);
    expect(
      fields({ ...base, type: 'STOP', limitPrice: undefined, stopPrice: '1', timeInForce: 'OPG' }),
    ).toEqual(['timeInForce']);
    expect(
      fields({
        ...base,
        quantity: '0',
        side: 'HOLD',
        clientOrderId: 'a b',
        strategyId: '',
        instrumentId: 'X',
        timeInForce: 'NOW',
        limitPrice: '-1',
      }),
    ).toEqual([
      'clientOrderId',
      'strategyId',
      'instrumentId',
      'side',
      'timeInForce',
      'quantity',
      'limitPrice',
    ]);
    expect(
      fields({ ...base, reduceOnly: 'yes', tags: [1], parentClientOrderId: base.clientOrderId }),
    ).toEqual(['reduceOnly', 'tags', 'parentClientOrderId']);
    expect(fields({ ...base, contingency: { type: 'XYZ' } })).toEqual(['contingency.type']);
    expect(fields({ ...base, contingency: { type: 'OCO', orderListId: '' } })).toEqual([
      'contingency.orderListId',
    ]);
    expect(
      fields({
        ...base,
        contingency: { type: 'OCO', orderListId: 'L', linkedClientOrderIds: 'x' },
      }),
    ).toEqual(['contingency.linkedClientOrderIds']);
    expect(fields({ ...base, contingency: 5 })).toEqual(['contingency']);
    expect(fields({ ...base, type: 'FOO' })).toEqual(['type']);
  });
});

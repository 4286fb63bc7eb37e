import fc from 'fast-check';
import { Money } from '@trading/domain';
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

import fc from 'fast-check';
import {
  Decimal,
  OrderSide,
  OrderType,
  parseTimestamp,
  Price,
  Quantity,
  StateError,
  toDecimal,
  TradingDecimal,
  ValidationError,
} from '@trading/domain';
import {
  ALWAYS_CLOSED,
  FixedTradingHours,
  riskContext,
  RiskContextSpec,
  riskRequest,
} from '../testing';
import { RISK_TOKENS, RiskCheck, RiskContext, RiskDecision } from './risk-check.port';
import { parseRiskConfig, RiskConfigInput } from './risk-config';
import { RiskEngine } from './risk-engine';
import { RiskEvent } from './risk-events';
import { RiskReasonCode as R } from './risk-reason';

const T0 = parseTimestamp('2024-01-03T15:00:00Z'); // Wed 10:00 New York
const NEXT_DAY = parseTimestamp('2024-01-04T15:00:00Z');
const dec = (v: string | number): Decimal => new TradingDecimal(v);

function setup(config: RiskConfigInput) {
  const events: RiskEvent[] = [];
  const engine = RiskEngine.create(config, { onEvent: (e) => events.push(e) });
  const check = (
    req: Parameters<typeof riskRequest>[0] = {},
    ctx: RiskContextSpec = {},
  ): RiskDecision => engine.check(riskRequest({ ts: T0, ...req }), riskContext(ctx));
  return { engine, events, check };
}

const ok = (d: RiskDecision) => expect(d).toEqual({ approved: true });
function rejected(d: RiskDecision, reason: R, message?: RegExp): void {
  expect(d.approved).toBe(false);
  if (d.approved) return;
  expect(d.reason).toBe(reason);
  expect(typeof d.message).toBe('string');
  if (message) expect(d.message).toMatch(message);
}

describe('RiskEngine: request validation (untrusted strategy input)', () => {
  const { check } = setup({});

  it('approves a valid order with no controls, returning one shared allocation-free decision', () => {
    const a = check();
    ok(a);
    expect(check({ quantity: 5 })).toBe(a);
  });

  it.each([
    [null, /order request must be an object, got null/],
    ['BUY 10', /must be an object/],
  ])('rejects a non-object request %p', (req, msg) => {
    const { engine } = setup({});
    rejected(engine.check(req as never, riskContext()), R.INVALID_REQUEST, msg);
  });

  it.each([
    [{ instrumentId: '' }, /instrumentId must be a non-empty string, got ""/],
    [{ instrumentId: 42 }, /instrumentId/],
    [{ side: 'HOLD' }, /side must be BUY or SELL, got "HOLD"/],
    [
      { type: 'ICEBERG' },
      /type must be one of MARKET, LIMIT, STOP, STOP_LIMIT, TRAILING_STOP, got "ICEBERG"/,
    ],
    [{ strategyId: '' }, /strategyId must be a non-empty string/],
    [{ strategyId: undefined }, /strategyId/],
    [{ ts: 1.5 }, /ts must be an integer epoch-millisecond timestamp, got 1.5/],
    [{ ts: NaN }, /ts must be/],
  ])('rejects malformed field %p', (req, msg) => {
    rejected(check(req), R.INVALID_REQUEST, msg);
  });

  it('accepts quantity and price as number, decimal text, Decimal, Quantity or Price', () => {
    ok(check({ quantity: 10, price: 100.5 }));
    ok(check({ quantity: ' 10 ', price: '100.50' }));
    ok(check({ quantity: dec(10), price: dec('100.5') }));
    ok(check({ quantity: Quantity.of(10), price: Price.of('100.5') }));
  });

  it.each([
    [NaN, /got NaN/],
    [Infinity, /got Infinity/],
    [-Infinity, /got -Infinity/],
    [-1, /got -1/],
    [0, /got 0/],
    [1e308, /got 1e\+308/],
    ['1e308', /got "1e308"/],
    ['ten', /got "ten"/],
    ['', /got ""/],
    [undefined, /got undefined/],
    [null, /got null/],
    [{}, /got \{\}/],
    [true, /got true/],
    [dec(NaN), /quantity/],
    [dec(-5), /quantity/],
    [Quantity.fromDecimal(dec(0)), /quantity/],
    [Quantity.fromDecimal({} as Decimal), /quantity/],
  ])('rejects quantity #%# with INVALID_QUANTITY', (quantity, msg) => {
    rejected(check({ quantity }), R.INVALID_QUANTITY, msg);
  });

  it.each([[NaN], [0], [-100], ['abc'], [null], [{}], [Infinity], [1e19]])(
    'rejects price %p with INVALID_PRICE',
    (price) => {
      rejected(check({ price }), R.INVALID_PRICE, /price must be a number greater than 0/);
    },
  );

  it('requires a price for LIMIT, STOP and STOP_LIMIT but not for MARKET or TRAILING_STOP', () => {
    for (const type of [OrderType.LIMIT, OrderType.STOP, OrderType.STOP_LIMIT])
      rejected(
        check({ type, price: undefined }),
        R.INVALID_PRICE,
        new RegExp(`a ${type} order needs a price`),
      );
    ok(check({ type: OrderType.MARKET, price: undefined }));
    ok(check({ type: OrderType.TRAILING_STOP, price: undefined }));
  });

  const garbage = fc.oneof(
    fc.constantFrom<unknown>(
      NaN,
      Infinity,
      -Infinity,
      0,
      -0,
      1e308,
      -1e308,
      Number.MIN_VALUE * -1,
      undefined,
      null,
      true,
      false,
      10n,
      '',
      'NaN',
      'Infinity',
      '1e308',
      '-5',
      '0',
      [],
      [10],
      { value: 10 },
    ),
    fc.double({ noNaN: false }).filter((x) => !(x > 0 && x <= 1e18)),
    fc.string().filter((s) => {
      try {
        return !toDecimal(s).gt(0);
      } catch {
        return true;
      }
    }),
    fc.object(),
    fc.array(fc.anything()),
  );

  it('property: garbage quantities are rejected with INVALID_QUANTITY, never thrown', () => {
    const { engine } = setup({
      maxOrderQuantity: 100,
      maxOrderNotional: 1e6,
      maxPositionPctOfEquity: 50,
    });
    fc.assert(
      fc.property(garbage, (quantity) => {
        const d = engine.check(riskRequest({ quantity, ts: T0 }), riskContext());
        return !d.approved && d.reason === R.INVALID_QUANTITY && d.message.length > 0;
      }),
      { numRuns: 1000 },
    );
  });

  it('property: garbage prices are rejected with INVALID_PRICE, never thrown', () => {
    const { engine } = setup({ priceCollarPct: 5 });
    fc.assert(
      fc.property(
        garbage.filter((p) => p !== undefined),
        (price) => {
          const d = engine.check(riskRequest({ price, ts: T0 }), riskContext());
          return !d.approved && d.reason === R.INVALID_PRICE;
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('property: any request and context whatsoever yields a decision with a reason, never a throw', () => {
    const { engine } = setup({
      maxOrderQuantity: 100,
      maxOrderNotional: 1e6,
      priceCollarPct: 5,
      maxPositionPctOfEquity: 10,
      dailyLossLimit: 1000,
      maxDrawdownPct: 20,
      maxOrdersPerSecond: 3,
    });
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (req, ctx) => {
        const d = engine.check(req as never, ctx as never);
        return (
          d.approved === false && typeof d.reason === 'string' && typeof d.message === 'string'
        );
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.record({
          instrumentId: fc.constant('TEST.SIM'),
          side: fc.constantFrom('BUY', 'SELL'),
          type: fc.constantFrom('LIMIT', 'MARKET'),
          quantity: fc.oneof(fc.double(), garbage),
          price: fc.oneof(fc.double(), garbage),
          strategyId: fc.constant('s'),
          ts: fc.constant(T0),
        }),
        (req) => {
          const d = engine.check(req as never, riskContext());
          return d.approved === true || typeof d.reason === 'string';
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('RiskEngine: context validation (fail closed)', () => {
  const { engine, check } = setup({ maxOrderNotional: 1e6 });
  const base = riskContext();

  it.each<[string, Partial<Record<keyof RiskContext, unknown>>, RegExp]>([
    [
      'equity undefined',
      { equity: undefined },
      /equity, position, startOfDayEquity and peakEquity must be finite decimals/,
    ],
    ['equity NaN', { equity: dec(NaN) }, /finite decimals/],
    ['position number', { position: 5 }, /finite decimals/],
    ['startOfDayEquity Infinity', { startOfDayEquity: dec(Infinity) }, /finite decimals/],
    ['startOfDayEquity string', { startOfDayEquity: '100' }, /finite decimals/],
    ['peakEquity missing', { peakEquity: undefined }, /finite decimals/],
    [
      'openPositions -1',
      { openPositions: -1 },
      /openPositions must be a non-negative integer, got -1/,
    ],
    ['openPositions 1.5', { openPositions: 1.5 }, /openPositions/],
    ['lastPrice 0', { lastPrice: 0 }, /lastPrice must be a number greater than 0, got 0/],
    ['lastPrice NaN', { lastPrice: dec(NaN) }, /lastPrice/],
    [
      'multiplier 0',
      { multiplier: dec(0) },
      /multiplier must be a decimal greater than 0, got "0"/,
    ],
    ['multiplier number', { multiplier: 10 }, /multiplier/],
  ])('rejects %s with INVALID_CONTEXT', (_name, patch, msg) => {
    rejected(
      engine.check(riskRequest({ ts: T0 }), { ...base, ...patch } as RiskContext),
      R.INVALID_CONTEXT,
      msg,
    );
  });

  it('rejects a non-object context', () => {
    rejected(
      engine.check(riskRequest({ ts: T0 }), null as never),
      R.INVALID_CONTEXT,
      /risk context must be an object/,
    );
  });

  it('fails closed with RISK_CHECK_FAILED when a collaborator throws', () => {
    const e = RiskEngine.create({ enforceTradingHours: true });
    const boom = {
      isOpen: () => {
        throw new Error('calendar offline');
      },
    };
    rejected(
      e.check(riskRequest({ ts: T0 }), riskContext({ tradingHours: boom })),
      R.RISK_CHECK_FAILED,
      /risk check failed closed: calendar offline/,
    );
    const weird = {
      isOpen: () => {
        throw 'nope';
      },
    };
    rejected(
      e.check(riskRequest({ ts: T0 }), riskContext({ tradingHours: weird })),
      R.RISK_CHECK_FAILED,
      /failed closed: "nope"/,
    );
    ok(check());
  });
});

describe('RiskEngine: fat finger (maxOrderQuantity 100)', () => {
  const { check } = setup({ maxOrderQuantity: 100 });
  it('approves just below and exactly at the limit, rejects just beyond', () => {
    ok(check({ quantity: '99.999' }));
    ok(check({ quantity: '100' }));
    ok(check({ quantity: 100 }));
    ok(check({ quantity: Quantity.of('100.0000') }));
    rejected(
      check({ quantity: '100.000001' }),
      R.FAT_FINGER_QUANTITY,
      /quantity 100.000001 exceeds the max order quantity 100/,
    );
    rejected(check({ quantity: 101 }), R.FAT_FINGER_QUANTITY, /quantity 101 exceeds/);
  });
});

describe('RiskEngine: max notional per order (10,000)', () => {
  const { check } = setup({ maxOrderNotional: '10000' });
  it('approves below and at the limit, rejects beyond (price × quantity × multiplier)', () => {
    ok(check({ quantity: 99, price: 100 }));
    ok(check({ quantity: 100, price: 100 }));
    ok(check({ quantity: '0.3', price: '33333.33' }));
    rejected(
      check({ quantity: 100, price: '100.01' }),
      R.MAX_NOTIONAL,
      /order notional 10001 exceeds the max order notional 10000/,
    );
    ok(check({ quantity: 10, price: 100 }, { multiplier: 10 }));
    rejected(
      check({ quantity: 11, price: 100 }, { multiplier: 10 }),
      R.MAX_NOTIONAL,
      /order notional 11000/,
    );
  });

  it('values market orders at the last price (number or Decimal) and needs one', () => {
    ok(check({ type: OrderType.MARKET, price: undefined, quantity: 100 }, { lastPrice: 100 }));
    rejected(
      check({ type: OrderType.MARKET, price: undefined, quantity: 100 }, { lastPrice: 100.5 }),
      R.MAX_NOTIONAL,
      /10050/,
    );
    ok(check({ type: OrderType.MARKET, price: undefined, quantity: 100 }, { lastPrice: dec(100) }));
    rejected(
      check({ type: OrderType.MARKET, price: undefined }, { lastPrice: undefined }),
      R.NO_REFERENCE_PRICE,
      /no order price and no last price/,
    );
  });

  it('is exact where doubles cannot tell (1e17 + 1 vs 1e17)', () => {
    const { check: c } = setup({ maxOrderNotional: '1e17' });
    ok(c({ quantity: '100000000000000000', price: 1 }));
    rejected(c({ quantity: '100000000000000001', price: 1 }), R.MAX_NOTIONAL, /100000000000000001/);
    // 0.1 + 0.2 style: 3 × 0.1 is exactly 0.3 in decimal
    const { check: c2 } = setup({ maxOrderNotional: '0.3' });
    ok(c2({ quantity: 3, price: 0.1 }));
    rejected(c2({ quantity: 3, price: '0.1000000000000000000001' }), R.MAX_NOTIONAL);
  });
});

describe('RiskEngine: price collar (±5 % of last 100)', () => {
  const { check } = setup({ priceCollarPct: 5 });
  it('approves inside and exactly at both bounds, rejects just outside', () => {
    ok(check({ price: 100 }));
    ok(check({ price: 95 }));
    ok(check({ price: '95.01' }));
    ok(check({ price: '105' }));
    rejected(
      check({ price: '94.99' }),
      R.PRICE_COLLAR,
      /price 94.99 is outside ±5% of last price 100 \(allowed 95 to 105\)/,
    );
    rejected(check({ price: '105.01' }), R.PRICE_COLLAR, /105.01/);
    ok(check({ type: OrderType.STOP_LIMIT, price: 104 }));
    rejected(check({ type: OrderType.STOP_LIMIT, price: 106 }), R.PRICE_COLLAR);
  });

  it('does not apply to stop or market prices, and needs a last price for limit prices', () => {
    ok(check({ type: OrderType.STOP, price: 50 }));
    ok(check({ type: OrderType.MARKET, price: 150 }));
    rejected(
      check({ price: 100 }, { lastPrice: undefined }),
      R.NO_REFERENCE_PRICE,
      /price collar needs a last price/,
    );
    ok(check({ price: 100 }, { lastPrice: 100 }));
  });
});

describe('RiskEngine: max position quantity (100)', () => {
  const { check } = setup({ maxPositionQuantity: 100 });
  it('checks the post-trade absolute position at, below and beyond the limit (long and short)', () => {
    ok(check({ quantity: 9 }, { position: 90 }));
    ok(check({ quantity: 10 }, { position: 90 }));
    rejected(
      check({ quantity: 11 }, { position: 90 }),
      R.MAX_POSITION_ABS,
      /position would be 101, above the max position quantity 100/,
    );
    ok(check({ side: OrderSide.SELL, quantity: 10 }, { position: -90 }));
    rejected(
      check({ side: OrderSide.SELL, quantity: '10.5' }, { position: -90 }),
      R.MAX_POSITION_ABS,
      /100.5/,
    );
  });

  it('lets reducing orders through even above the limit, and checks flips', () => {
    ok(check({ side: OrderSide.SELL, quantity: 10 }, { position: 150 }));
    ok(check({ side: OrderSide.SELL, quantity: 300 }, { position: 150 })); // 150 → −150: same size, not an increase
    ok(check({ side: OrderSide.SELL, quantity: 150 }, { position: 50 })); // 50 → −100: at the limit
    rejected(
      check({ side: OrderSide.SELL, quantity: 151 }, { position: 50 }),
      R.MAX_POSITION_ABS,
      /position would be 101/,
    );
  });
});

describe('RiskEngine: max position notional (10,000) and % of equity (10 % of 100,000)', () => {
  it.each<[RiskConfigInput, R]>([
    [{ maxPositionNotional: 10000 }, R.MAX_POSITION_NOTIONAL],
    [{ maxPositionPctOfEquity: 10 }, R.MAX_POSITION_PCT],
  ])('%p: at, below and beyond', (config, reason) => {
    const { check } = setup(config);
    ok(check({ quantity: 9, price: 100 }, { position: 90 }));
    ok(check({ quantity: 10, price: 100 }, { position: 90 }));
    rejected(
      check({ quantity: 11, price: 100 }, { position: 90 }),
      reason,
      /position notional would be 10100/,
    );
    ok(check({ quantity: 1, price: 1000 }, { position: 0, multiplier: 10 }));
    rejected(check({ quantity: 1, price: '1000.01' }, { position: 0, multiplier: 10 }), reason);
    ok(check({ type: OrderType.MARKET, price: undefined, quantity: 100 }, { lastPrice: 100 }));
    rejected(
      check({ type: OrderType.MARKET, price: undefined, quantity: 1 }, { lastPrice: undefined }),
      R.NO_REFERENCE_PRICE,
    );
  });

  it('names equity and the cap in the % message; a zero or negative equity allows no increase', () => {
    const { check } = setup({ maxPositionPctOfEquity: 10 });
    rejected(
      check({ quantity: 101, price: 100 }),
      R.MAX_POSITION_PCT,
      /above 10% of equity 100000 = 10000/,
    );
    rejected(check({ quantity: 1 }, { equity: 0 }), R.MAX_POSITION_PCT);
    ok(
      check(
        { side: OrderSide.SELL, quantity: 1 },
        { equity: -5, position: 10, peakEquity: 1, startOfDayEquity: 1 },
      ),
    );
  });
});

describe('RiskEngine: max open positions (3)', () => {
  const { check } = setup({ maxOpenPositions: 3 });
  it('lets a new position open below the limit only', () => {
    ok(check({}, { openPositions: 2 }));
    rejected(
      check({}, { openPositions: 3 }),
      R.MAX_OPEN_POSITIONS,
      /3 positions open; the limit is 3, so TEST.SIM cannot open a new one/,
    );
    rejected(check({}, { openPositions: 4 }), R.MAX_OPEN_POSITIONS);
  });
  it('does not count orders on an existing position (default: position not flat) or when told so', () => {
    ok(check({}, { openPositions: 3, position: 5 }));
    ok(check({}, { openPositions: 3, opensNewPosition: false }));
    rejected(
      check({}, { openPositions: 3, position: 5, opensNewPosition: true }),
      R.MAX_OPEN_POSITIONS,
    );
  });
});

describe('RiskEngine: orders per day (3, America/New_York day)', () => {
  it('counts real submissions: below ok, at the limit rejects, resets on the next exchange day', () => {
    const { engine, check } = setup({ maxOrdersPerDay: 3 });
    engine.onOrderSubmitted(T0);
    engine.onOrderSubmitted(T0 + 1);
    ok(check({ ts: T0 + 2 }));
    ok(check({ ts: T0 + 2 })); // checks alone do not count
    engine.onOrderSubmitted(T0 + 2);
    expect(engine.ordersToday).toBe(3);
    rejected(
      check({ ts: T0 + 3 }),
      R.MAX_ORDERS_PER_DAY,
      /3 orders already sent today; the limit is 3 per day/,
    );
    // 23:59:59.999 New York is still the same day; midnight is a new one
    rejected(check({ ts: parseTimestamp('2024-01-04T04:59:59.999Z') }), R.MAX_ORDERS_PER_DAY);
    ok(check({ ts: parseTimestamp('2024-01-04T05:00:00.000Z') }));
  });

  it('rejects a non-integer submission time', () => {
    const { engine } = setup({ maxOrdersPerDay: 3 });
    expect(() => engine.onOrderSubmitted(NaN)).toThrow(ValidationError);
  });
});

describe('RiskEngine: orders per second (2, sliding window)', () => {
  it('rejects the third order within any 1 s window and frees the slot exactly 1 s later', () => {
    const { engine, check } = setup({ maxOrdersPerSecond: 2 });
    engine.onOrderSubmitted(T0);
    ok(check({ ts: T0 + 100 }));
    engine.onOrderSubmitted(T0 + 100);
    rejected(
      check({ ts: T0 + 999 }),
      R.MAX_ORDERS_PER_SECOND,
      /2 orders already sent in the last second; the limit is 2 per second/,
    );
    ok(check({ ts: T0 + 1000 }));
  });
});

describe('RiskEngine: trading hours and instrument lists', () => {
  it('rejects outside the calendar and without one', () => {
    const { check } = setup({ enforceTradingHours: true });
    const hours = new FixedTradingHours([[T0, T0 + 1000]]);
    ok(check({ ts: T0 }, { tradingHours: hours }));
    ok(check({ ts: T0 + 999 }, { tradingHours: hours }));
    rejected(
      check({ ts: T0 + 1000 }, { tradingHours: hours }),
      R.OUTSIDE_TRADING_HOURS,
      /market closed at 2024-01-03T15:00:01.000Z \(TEST.SIM\)/,
    );
    rejected(check({}, { tradingHours: ALWAYS_CLOSED }), R.OUTSIDE_TRADING_HOURS);
    rejected(
      check({}, { tradingHours: undefined }),
      R.INVALID_CONTEXT,
      /enforceTradingHours is on but the context has no tradingHours/,
    );
    ok(setup({}).check({}, { tradingHours: ALWAYS_CLOSED }));
  });

  it('applies the allow list and the deny list', () => {
    const { check } = setup({
      allowedInstruments: ['TEST.SIM', 'BAD.SIM'],
      deniedInstruments: ['BAD.SIM'],
    });
    ok(check());
    rejected(
      check({ instrumentId: 'OTHER.SIM' }),
      R.INSTRUMENT_NOT_ALLOWED,
      /OTHER.SIM is not on the allow list \(2 instruments\)/,
    );
    rejected(
      check({ instrumentId: 'BAD.SIM' }),
      R.INSTRUMENT_NOT_ALLOWED,
      /BAD.SIM is on the deny list/,
    );
  });
});

describe('RiskEngine: daily loss limit (1,000; at or beyond → REDUCING)', () => {
  it('stays ACTIVE just below the limit', () => {
    const { engine, events, check } = setup({ dailyLossLimit: 1000 });
    ok(check({}, { startOfDayEquity: 100000, equity: '99000.01' }));
    expect(engine.mode).toBe('ACTIVE');
    expect(events).toEqual([]);
  });

  it.each([['99000'], ['98999.99'], ['50000']])(
    'equity %s (loss at or beyond 1000) → REDUCING, increasing order rejected',
    (equity) => {
      const { engine, events, check } = setup({ dailyLossLimit: 1000 });
      rejected(
        check({}, { startOfDayEquity: 100000, equity, peakEquity: 100000 }),
        R.DAILY_LOSS_LIMIT,
        /daily loss .* is at or beyond the limit 1000: reducing only; BUY 10 would not reduce position 0/,
      );
      expect(engine.mode).toBe('REDUCING');
      expect(events).toEqual([
        expect.objectContaining({
          type: 'RiskStateChanged',
          from: 'ACTIVE',
          to: 'REDUCING',
          reason: 'DAILY_LOSS_LIMIT',
          ts: T0,
        }),
      ]);
      // next increasing order: REDUCING_ONLY; a reducing one passes
      rejected(check({}, { startOfDayEquity: 100000, equity }), R.REDUCING_ONLY);
      ok(
        check(
          { side: OrderSide.SELL, quantity: 10 },
          { startOfDayEquity: 100000, equity, position: 10 },
        ),
      );
      expect(events).toHaveLength(1);
    },
  );

  it('lets a reducing order through in the very check that trips the limit', () => {
    const { engine, check } = setup({ dailyLossLimit: 1000 });
    ok(
      check(
        { side: OrderSide.SELL, quantity: 5 },
        { startOfDayEquity: 100000, equity: 99000, position: 10 },
      ),
    );
    expect(engine.mode).toBe('REDUCING');
  });

  it('is re-armed on the next exchange day (REDUCING → ACTIVE), or again REDUCING if still breached', () => {
    const { engine, events, check } = setup({ dailyLossLimit: 1000 });
    check({}, { startOfDayEquity: 100000, equity: 98000 });
    ok(check({ ts: NEXT_DAY }, { startOfDayEquity: 98000, equity: 98000 }));
    expect(engine.mode).toBe('ACTIVE');
    expect(events.map((e) => e.type === 'RiskStateChanged' && e.reason)).toEqual([
      'DAILY_LOSS_LIMIT',
      'NEW_TRADING_DAY',
    ]);
    const s2 = setup({ dailyLossLimit: 1000 });
    s2.check({}, { startOfDayEquity: 100000, equity: 98000 });
    rejected(
      s2.check({ ts: NEXT_DAY }, { startOfDayEquity: 100000, equity: 98000 }),
      R.DAILY_LOSS_LIMIT,
    );
    expect(s2.events.map((e) => e.type === 'RiskStateChanged' && e.to)).toEqual([
      'REDUCING',
      'ACTIVE',
      'REDUCING',
    ]);
  });

  it('can be left early by an operator only', () => {
    const { engine, events, check } = setup({ dailyLossLimit: 1000 });
    expect(() => engine.resumeTrading({ operator: 'ops', reason: 'r', ts: T0 })).toThrow(
      StateError,
    );
    check({}, { startOfDayEquity: 100000, equity: 98000 });
    const out = engine.resumeTrading({ operator: 'ops', reason: 'limit raised', ts: T0 + 1 });
    expect(out).toEqual([
      expect.objectContaining({
        type: 'RiskStateChanged',
        from: 'REDUCING',
        to: 'ACTIVE',
        reason: 'OPERATOR_RESUME',
        operator: 'ops',
      }),
    ]);
    expect(events).toHaveLength(2);
    expect(engine.mode).toBe('ACTIVE');
  });
});

describe('RiskEngine: REDUCING only passes reducing orders (property)', () => {
  it('approves exactly the orders opposite to the position and no larger than it', () => {
    const { engine, check } = setup({ dailyLossLimit: 1 });
    check({}, { startOfDayEquity: 10, equity: 0 });
    expect(engine.mode).toBe('REDUCING');
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.constantFrom(OrderSide.BUY, OrderSide.SELL),
        fc.integer({ min: 1, max: 2000 }),
        (pos, side, qty) => {
          const d = check(
            { side, quantity: qty },
            { position: pos, startOfDayEquity: 10, equity: 0 },
          );
          const post = pos + (side === OrderSide.BUY ? qty : -qty);
          const reduces =
            pos !== 0 && Math.abs(post) <= Math.abs(pos) && Math.sign(post) !== -Math.sign(pos);
          if (d.approved !== reduces) return false;
          return d.approved || d.reason === R.REDUCING_ONLY;
        },
      ),
      { numRuns: 2000 },
    );
    ok(
      check(
        { side: OrderSide.SELL, quantity: '12.5' },
        { position: '12.5', startOfDayEquity: 10, equity: 0 },
      ),
    ); // exactly flat
    rejected(
      check(
        { side: OrderSide.SELL, quantity: '12.5000001' },
        { position: '12.5', startOfDayEquity: 10, equity: 0 },
      ),
      R.REDUCING_ONLY,
      /SELL 12.5000001 would not reduce position 12.5/,
    );
    ok(
      check(
        { side: OrderSide.BUY, quantity: '3' },
        { position: '-3', startOfDayEquity: 10, equity: 0 },
      ),
    );
  });
});

describe('RiskEngine: drawdown kill switch (20 %)', () => {
  it('stays ACTIVE just below the limit', () => {
    const { engine, check } = setup({ maxDrawdownPct: 20 });
    ok(check({}, { peakEquity: 100000, equity: '80000.01' }));
    expect(engine.mode).toBe('ACTIVE');
  });

  it.each([['80000'], ['79999.99']])(
    'equity %s (drawdown at or beyond 20 %) → HALTED with a cancel-all action',
    (equity) => {
      const { engine, events, check } = setup({ maxDrawdownPct: 20 });
      rejected(
        check({}, { peakEquity: 100000, equity, startOfDayEquity: equity }),
        R.MAX_DRAWDOWN,
        /drawdown 20(\.00001)?% \(equity .*, peak 100000\) is at or beyond the limit 20%: kill switch tripped, cancel all/,
      );
      expect(engine.mode).toBe('HALTED');
      expect(events).toEqual([
        expect.objectContaining({
          type: 'KillSwitchTripped',
          from: 'ACTIVE',
          reason: 'MAX_DRAWDOWN',
          action: 'CANCEL_ALL',
          ts: T0,
        }),
      ]);
    },
  );

  it('trips from REDUCING too, and works without a listener', () => {
    const engine = RiskEngine.create({ maxDrawdownPct: 20, dailyLossLimit: 100 });
    engine.check(
      riskRequest({ ts: T0 }),
      riskContext({ startOfDayEquity: 100000, equity: 90000, peakEquity: 100000 }),
    );
    expect(engine.mode).toBe('REDUCING');
    engine.check(
      riskRequest({ ts: T0 }),
      riskContext({ startOfDayEquity: 100000, equity: 70000, peakEquity: 100000 }),
    );
    expect(engine.getState()).toMatchObject({ mode: 'HALTED', reason: 'MAX_DRAWDOWN' });
  });
});

describe('RiskEngine: HALTED and the operator-only kill switch reset', () => {
  const halt = () => {
    const s = setup({ maxDrawdownPct: 20 });
    s.check({}, { peakEquity: 100000, equity: 50000 });
    return s;
  };

  it('property: HALTED rejects every order, reducing ones included', () => {
    const { check } = halt();
    fc.assert(
      fc.property(
        fc.constantFrom(OrderSide.BUY, OrderSide.SELL),
        fc.integer({ min: 1, max: 1e6 }),
        fc.integer({ min: -1e6, max: 1e6 }),
        (side, qty, pos) => {
          const d = check({ side, quantity: qty }, { position: pos });
          return !d.approved && d.reason === R.TRADING_HALTED;
        },
      ),
    );
    rejected(
      check(),
      R.TRADING_HALTED,
      /trading is HALTED \(MAX_DRAWDOWN: drawdown 50%.*\); only an operator reset clears it/,
    );
  });

  it('survives snapshot/restore (JSON) and is cleared only by resetKillSwitch', () => {
    const { engine } = halt();
    engine.onOrderSubmitted(T0);
    const json = JSON.parse(JSON.stringify(engine.toSnapshot()));
    const events: RiskEvent[] = [];
    const restored = RiskEngine.fromSnapshot(json, engine.config, {
      onEvent: (e) => events.push(e),
    });
    expect(restored.mode).toBe('HALTED');
    expect(restored.ordersToday).toBe(1);
    expect(restored.toSnapshot()).toEqual(engine.toSnapshot());
    // a new day, a recovered account, a reducing order: still halted
    rejected(
      restored.check(
        riskRequest({ ts: NEXT_DAY, side: 'SELL', quantity: 1 }),
        riskContext({ position: 5 }),
      ),
      R.TRADING_HALTED,
    );
    expect(() => restored.resumeTrading({ operator: 'ops', reason: 'x', ts: NEXT_DAY })).toThrow(
      StateError,
    );
    expect(restored.tripKillSwitch({ operator: 'ops', reason: 'again', ts: NEXT_DAY })).toEqual([]);
    const out = restored.resetKillSwitch({
      operator: 'alice',
      reason: 'post-mortem done',
      ts: NEXT_DAY,
    });
    expect(out).toEqual([
      { type: 'KillSwitchReset', operator: 'alice', reason: 'post-mortem done', ts: NEXT_DAY },
    ]);
    expect(events).toEqual(out);
    expect(restored.getState()).toEqual({
      mode: 'ACTIVE',
      since: NEXT_DAY,
      reason: 'KILL_SWITCH_RESET',
      message: 'kill switch reset by alice: post-mortem done',
    });
    ok(restored.check(riskRequest({ ts: NEXT_DAY }), riskContext()));
    expect(() =>
      restored.resetKillSwitch({ operator: 'alice', reason: 'again', ts: NEXT_DAY }),
    ).toThrow(/kill switch is not tripped \(state ACTIVE\)/);
    // still beyond the limit after the reset: trips again at the next check
    rejected(
      restored.check(
        riskRequest({ ts: NEXT_DAY }),
        riskContext({ peakEquity: 100000, equity: 50000 }),
      ),
      R.MAX_DRAWDOWN,
    );
  });

  it('lets an operator halt by hand (cancel all) and validates operator commands', () => {
    const { engine, events } = setup({});
    expect(() => engine.tripKillSwitch(null as never)).toThrow(/command/);
    expect(() => engine.tripKillSwitch({ operator: ' ', reason: 'x', ts: T0 })).toThrow(
      /operator: must be a non-empty string/,
    );
    expect(() => engine.tripKillSwitch({ operator: 'ops', reason: '', ts: T0 })).toThrow(
      /reason: must be a non-empty string/,
    );
    expect(() => engine.tripKillSwitch({ operator: 'ops', reason: 'x', ts: 1.5 })).toThrow(
      /ts: must be an integer/,
    );
    expect(engine.tripKillSwitch({ operator: 'ops', reason: 'venue outage', ts: T0 })).toEqual([
      {
        type: 'KillSwitchTripped',
        from: 'ACTIVE',
        reason: 'OPERATOR_HALT',
        message: 'halted by ops: venue outage',
        ts: T0,
        action: 'CANCEL_ALL',
        operator: 'ops',
      },
    ]);
    expect(events).toHaveLength(1);
    rejected(
      engine.check(riskRequest({ ts: T0 }), riskContext()),
      R.TRADING_HALTED,
      /OPERATOR_HALT: halted by ops: venue outage/,
    );
  });

  it('rebuilds the same state by replaying emitted events, and rejects a bad snapshot', () => {
    const { engine, events, check } = setup({ dailyLossLimit: 1000, maxDrawdownPct: 20 });
    check({}, { startOfDayEquity: 100000, equity: 98000, peakEquity: 100000 });
    check({}, { startOfDayEquity: 100000, equity: 70000, peakEquity: 100000 });
    engine.resetKillSwitch({ operator: 'a', reason: 'b', ts: T0 + 5 });
    const replica = RiskEngine.create({});
    events.forEach((e) => replica.applyEvent(e));
    expect(replica.getState()).toEqual(engine.getState());
    expect(() => RiskEngine.fromSnapshot({ version: 2 }, engine.config)).toThrow(ValidationError);
  });
});

describe('RiskEngine: persistence failures (listener throws)', () => {
  const failing = () => {
    let fail = false;
    const engine = RiskEngine.create(
      { maxDrawdownPct: 20, dailyLossLimit: 1000 },
      {
        onEvent: () => {
          if (fail) throw new Error('WAL full');
        },
      },
    );
    return { engine, setFail: (v: boolean) => (fail = v) };
  };

  it('a tightening transition holds even when it could not be persisted', () => {
    const { engine, setFail } = failing();
    setFail(true);
    rejected(
      engine.check(riskRequest({ ts: T0 }), riskContext({ peakEquity: 100000, equity: 50000 })),
      R.RISK_CHECK_FAILED,
      /WAL full/,
    );
    expect(engine.mode).toBe('HALTED');
    expect(() => engine.resetKillSwitch({ operator: 'ops', reason: 'r', ts: T0 })).toThrow(
      /WAL full/,
    );
    expect(engine.mode).toBe('HALTED'); // an unpersisted reset does not take effect
    setFail(false);
    engine.resetKillSwitch({ operator: 'ops', reason: 'r', ts: T0 });
    expect(engine.mode).toBe('ACTIVE');
  });

  it('an unpersisted new-day re-arm leaves REDUCING in place and fails the check closed', () => {
    const { engine, setFail } = failing();
    engine.check(riskRequest({ ts: T0 }), riskContext({ startOfDayEquity: 100000, equity: 98000 }));
    expect(engine.mode).toBe('REDUCING');
    setFail(true);
    rejected(engine.check(riskRequest({ ts: NEXT_DAY }), riskContext()), R.RISK_CHECK_FAILED);
    expect(engine.mode).toBe('REDUCING');
    expect(() => engine.resumeTrading({ operator: 'ops', reason: 'r', ts: NEXT_DAY })).toThrow(
      /WAL full/,
    );
    expect(engine.mode).toBe('REDUCING');
  });
});

describe('RiskEngine: snapshot completeness (property)', () => {
  type Op =
    | { kind: 'check'; dt: number; qty: number; side: 'BUY' | 'SELL'; equity: number; pos: number }
    | { kind: 'submit'; dt: number }
    | { kind: 'reset' }
    | { kind: 'snapshot' };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constant('check' as const),
      dt: fc.integer({ min: 0, max: 40 * 3_600_000 }),
      qty: fc.integer({ min: 1, max: 300 }),
      side: fc.constantFrom('BUY' as const, 'SELL' as const),
      equity: fc.integer({ min: 60_000, max: 100_000 }),
      pos: fc.integer({ min: -200, max: 200 }),
    }),
    fc.record({ kind: fc.constant('submit' as const), dt: fc.integer({ min: 0, max: 2_000 }) }),
    fc.constant({ kind: 'reset' as const }),
    fc.constant({ kind: 'snapshot' as const }),
  );
  const config: RiskConfigInput = {
    maxOrdersPerDay: 5,
    maxOrdersPerSecond: 2,
    dailyLossLimit: 3000,
    maxDrawdownPct: 30,
    maxPositionQuantity: 250,
    maxOrderQuantity: 200,
  };

  it('a restored engine decides exactly like the original from then on', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const original = RiskEngine.create(config);
        let shadow: RiskEngine | null = null;
        let ts = T0;
        for (const o of ops) {
          if (o.kind === 'snapshot') {
            shadow = RiskEngine.fromSnapshot(
              JSON.parse(JSON.stringify(original.toSnapshot())),
              original.config,
            );
            continue;
          }
          const engines = shadow ? [original, shadow] : [original];
          if (o.kind === 'check') {
            ts += o.dt;
            const ds = engines.map((e) =>
              e.check(
                riskRequest({ ts, side: o.side, quantity: o.qty }),
                riskContext({
                  equity: o.equity,
                  position: o.pos,
                  startOfDayEquity: 100_000,
                  peakEquity: 100_000,
                }),
              ),
            );
            if (shadow && JSON.stringify(ds[0]) !== JSON.stringify(ds[1])) return false;
          } else if (o.kind === 'submit') {
            ts += o.dt;
            engines.forEach((e) => e.onOrderSubmitted(ts));
          } else if (original.mode === 'HALTED') {
            engines.forEach((e) => e.resetKillSwitch({ operator: 'ops', reason: 'test', ts }));
          }
          if (
            shadow &&
            JSON.stringify(original.toSnapshot()) !== JSON.stringify(shadow.toSnapshot())
          )
            return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe('RiskEngine: wiring', () => {
  it('exposes DI tokens and can be built from a parsed config without options', () => {
    expect(RISK_TOKENS.RiskEngine).toBe(Symbol.for('trading.RiskEngine'));
    expect(RISK_TOKENS.RiskCheck).toBe(Symbol.for('trading.RiskCheck'));
    const engine: RiskCheck = new RiskEngine(parseRiskConfig({ maxOrderQuantity: 1 }));
    rejected(engine.check(riskRequest({ ts: T0 }), riskContext()), R.FAT_FINGER_QUANTITY);
  });
});

describe('RiskEngine: all controls together (the benchmark configuration)', () => {
  it('approves a normal order and keeps approving while counters allow', () => {
    const { engine, check } = setup({
      maxOrderQuantity: 1000,
      maxOrderNotional: 1e6,
      priceCollarPct: 10,
      maxPositionQuantity: 5000,
      maxPositionNotional: 2e6,
      maxPositionPctOfEquity: 50,
      maxOpenPositions: 10,
      maxOrdersPerDay: 1e6,
      maxOrdersPerSecond: 100,
      dailyLossLimit: 5000,
      maxDrawdownPct: 20,
      enforceTradingHours: true,
      allowedInstruments: ['TEST.SIM'],
      deniedInstruments: ['BAD.SIM'],
    });
    for (let i = 0; i < 50; i++) {
      ok(
        check(
          { ts: T0 + i, quantity: 1 + (i % 7), price: 100 + (i % 5) },
          { position: i % 3 === 0 ? 0 : 100, openPositions: 3 },
        ),
      );
      engine.onOrderSubmitted(T0 + i);
    }
    expect(engine.ordersToday).toBe(50);
  });
});

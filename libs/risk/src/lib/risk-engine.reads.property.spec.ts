import fc from 'fast-check';
import {
  Decimal,
  OrderSide,
  OrderType,
  parseTimestamp,
  TradingDecimal,
  ZERO,
} from '@trading/domain';
import { ALWAYS_OPEN } from '../testing';
import { RiskContext, RiskDecision, RiskOrderRequest } from './risk-check.port';
import { RiskConfigInput } from './risk-config';
import { LazyDecimal, lazyDecimal, lazyMax } from './lazy-decimal';
import { RiskEngine } from './risk-engine';
import { RiskEvent } from './risk-events';

/**
 * `RiskEngine.readsEquity`, `readsPeakEquity` and `readsStartOfDayEquity` say which context values
 * the configured controls read. A caller (the trading kernel) passes ZERO for a value no control
 * reads instead of computing it; this must give the same decisions, messages, events and state as
 * the real value, for any configuration and any sequence of checks (state changes included: daily
 * loss → REDUCING, a new day → ACTIVE, drawdown → HALTED).
 */

const T0 = parseTimestamp('2024-01-03T15:00:00Z');
const DAY = 86_400_000;
const dec = (v: string | number): Decimal => new TradingDecimal(v);

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const configArb: fc.Arbitrary<RiskConfigInput> = fc
  .record({
    maxOrderQuantity: opt(fc.integer({ min: 5, max: 500 })),
    maxOrderNotional: opt(fc.integer({ min: 1_000, max: 100_000 })),
    priceCollarPct: opt(fc.integer({ min: 1, max: 20 })),
    maxPositionQuantity: opt(fc.integer({ min: 10, max: 500 })),
    maxPositionNotional: opt(fc.integer({ min: 1_000, max: 100_000 })),
    maxPositionPctOfEquity: opt(fc.integer({ min: 5, max: 50 })),
    maxOpenPositions: opt(fc.integer({ min: 1, max: 5 })),
    maxOrdersPerDay: opt(fc.integer({ min: 1, max: 10 })),
    dailyLossLimit: opt(fc.integer({ min: 100, max: 5_000 })),
    maxDrawdownPct: opt(fc.integer({ min: 5, max: 30 })),
  })
  .map((c) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c)) if (v !== undefined) out[k] = v;
    return out as RiskConfigInput;
  });

interface Step {
  side: OrderSide;
  limit: boolean;
  qty: number;
  priceCents: number;
  equityCents: number;
  /** Equity given as a LazyDecimal (with offsetting terms in its scale), else a Decimal. */
  equityLazy: boolean;
  positionQty: number;
  openPositions: number;
  sodCents: number;
  peakCents: number;
  /** peakEquity as the kernel gives it (lazyMax of the recorded peak and equity), else a Decimal. */
  peakMax: boolean;
  /** Days since T0 (0 … 2): a later day re-arms the daily loss limit. */
  day: number;
  submitted: boolean;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  side: fc.constantFrom(OrderSide.BUY, OrderSide.SELL),
  limit: fc.boolean(),
  qty: fc.integer({ min: 1, max: 200 }),
  priceCents: fc.integer({ min: 9_000, max: 11_000 }),
  equityCents: fc.integer({ min: 7_000_000, max: 12_000_000 }),
  equityLazy: fc.boolean(),
  positionQty: fc.integer({ min: -300, max: 300 }),
  openPositions: fc.integer({ min: 0, max: 6 }),
  sodCents: fc.integer({ min: 7_000_000, max: 12_000_000 }),
  peakCents: fc.integer({ min: 7_000_000, max: 14_000_000 }),
  peakMax: fc.boolean(),
  day: fc.integer({ min: 0, max: 2 }),
  submitted: fc.boolean(),
});

function equityOf(s: Step): Decimal | LazyDecimal {
  const e = dec(s.equityCents).div(100);
  return s.equityLazy ? lazyDecimal(s.equityCents / 100, 3 * (s.equityCents / 100), () => e) : e;
}

function run(
  config: RiskConfigInput,
  steps: readonly Step[],
  placeholders: boolean,
): { decisions: RiskDecision[]; events: RiskEvent[]; state: unknown } {
  const events: RiskEvent[] = [];
  const engine = RiskEngine.create(config, { onEvent: (e) => events.push(e) });
  const decisions: RiskDecision[] = [];
  let day = 0;
  for (const s of steps) {
    day = Math.max(day, s.day);
    const ts = T0 + day * DAY;
    const request: RiskOrderRequest = {
      instrumentId: 'TEST.SIM',
      side: s.side,
      type: s.limit ? OrderType.LIMIT : OrderType.MARKET,
      quantity: String(s.qty),
      price: s.limit ? dec(s.priceCents).div(100) : undefined,
      strategyId: 'strat-1',
      ts,
    };
    const equity = equityOf(s);
    const position = dec(s.positionQty);
    const ctx: RiskContext = {
      equity: placeholders && !engine.readsEquity ? ZERO : equity,
      position,
      openPositions: s.openPositions,
      opensNewPosition: position.isZero(),
      lastPrice: 100,
      multiplier: undefined,
      startOfDayEquity:
        placeholders && !engine.readsStartOfDayEquity ? ZERO : dec(s.sodCents).div(100),
      peakEquity:
        placeholders && !engine.readsPeakEquity
          ? ZERO
          : s.peakMax
            ? lazyMax(dec(s.peakCents).div(100), equity)
            : dec(Math.max(s.peakCents, s.equityCents)).div(100),
      tradingHours: ALWAYS_OPEN,
    };
    const d = engine.check(request, ctx);
    decisions.push(d);
    if (d.approved && s.submitted) engine.onOrderSubmitted(ts);
  }
  return { decisions, events, state: engine.toSnapshot() };
}

describe('RiskEngine.reads*: a value no configured control reads may be given as ZERO', () => {
  it('says which controls read equity, peak equity and start-of-day equity', () => {
    const reads = (c: RiskConfigInput) => {
      const e = RiskEngine.create(c);
      return [e.readsEquity, e.readsPeakEquity, e.readsStartOfDayEquity];
    };
    expect(reads({})).toEqual([false, false, false]);
    expect(
      reads({
        maxOrderQuantity: 1,
        maxOrderNotional: 1,
        priceCollarPct: 1,
        maxPositionQuantity: 1,
        maxPositionNotional: 1,
        maxOpenPositions: 1,
        maxOrdersPerDay: 1,
        maxOrdersPerSecond: 1,
      }),
    ).toEqual([false, false, false]);
    expect(reads({ maxDrawdownPct: 10 })).toEqual([true, true, false]);
    expect(reads({ dailyLossLimit: 10 })).toEqual([true, false, true]);
    expect(reads({ maxPositionPctOfEquity: 10 })).toEqual([true, false, false]);
  });

  it('gives the same decisions, messages, events and state as the real values', () => {
    let withPlaceholder = 0;
    fc.assert(
      fc.property(configArb, fc.array(stepArb, { minLength: 1, maxLength: 8 }), (config, steps) => {
        const real = run(config, steps, false);
        const stub = run(config, steps, true);
        expect(stub).toEqual(real);
        const e = RiskEngine.create(config);
        if (!e.readsEquity || !e.readsPeakEquity || !e.readsStartOfDayEquity) withPlaceholder++;
      }),
      { numRuns: 400 },
    );
    expect(withPlaceholder).toBeGreaterThan(100);
  });

  it('would catch a control that reads a value it says it does not (planted)', () => {
    // The real and ZERO equities differ in what a drawdown check decides: the comparison above is
    // able to fail.
    const config = { maxDrawdownPct: 10 };
    const step: Step = {
      side: OrderSide.BUY,
      limit: false,
      qty: 1,
      priceCents: 10_000,
      equityCents: 8_000_000,
      equityLazy: false,
      positionQty: 0,
      openPositions: 0,
      sodCents: 8_000_000,
      peakCents: 10_000_000,
      peakMax: false,
      day: 0,
      submitted: false,
    };
    const real = run(config, [step], false);
    const engine = RiskEngine.create(config);
    const zeroed = engine.check(
      {
        instrumentId: 'TEST.SIM',
        side: OrderSide.BUY,
        type: OrderType.MARKET,
        quantity: '1',
        strategyId: 'strat-1',
        ts: T0,
      },
      {
        equity: ZERO,
        position: ZERO,
        openPositions: 0,
        startOfDayEquity: ZERO,
        peakEquity: ZERO,
        tradingHours: ALWAYS_OPEN,
      },
    );
    expect(real.decisions[0].approved).toBe(false);
    expect(zeroed).not.toEqual(real.decisions[0]);
  });
});

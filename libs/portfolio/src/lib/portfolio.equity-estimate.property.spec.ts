import fc from 'fast-check';
import {
  Decimal,
  Instrument,
  Money,
  OrderSide,
  parseTimestamp,
  Price,
  Quantity,
  TradingDecimal,
} from '@trading/domain';
import { testEquity, testFuture } from '@trading/domain/testing';
import { EQUITY_ESTIMATE_MAX_ERROR, Portfolio } from './portfolio';
import { PortfolioEvent } from './portfolio.events';

/**
 * Portfolio.equityEstimate (float64 equity with an error scale, for the risk context) stays within
 * its documented bound of the exact decimal equity after every kind of state change: fills (longs,
 * shorts, flips, multiplier 10 and 0.5 equities, futures), number and decimal marks, deposits,
 * withdrawals, fees, recorded points, snapshot restores and event replays. Large positions bought
 * on margin make cash and positions offset, so |equity| is small against the scale.
 */

const UNIVERSE: Instrument[] = [
  testEquity('AAA'),
  testEquity('TEN', { multiplier: '10' }),
  testEquity('ODD', { multiplier: '0.5' }),
  testFuture('FUT'), // multiplier 10, PNL_ONLY
  testFuture('BIG', { multiplier: '50' }),
];
const N = UNIVERSE.length;
const T0 = parseTimestamp('2024-03-08T14:00:00Z');
const D = (v: string | number | bigint): Decimal => new TradingDecimal(String(v));

type Action =
  | { kind: 'fill'; inst: number; side: OrderSide; qty: Decimal; price: Decimal; comm: Decimal }
  | { kind: 'markNumber'; inst: number; price: number }
  | { kind: 'markPrice'; inst: number; price: Decimal }
  | { kind: 'cash'; reason: 'DEPOSIT' | 'WITHDRAWAL' | 'FEE'; amount: Decimal }
  | { kind: 'record' }
  | { kind: 'restore' }
  | { kind: 'replay' };

/** Prices with 2 decimals, or up to 12 odd decimals (inexact doubles). */
const priceArb = fc.oneof(
  fc.integer({ min: 1, max: 500_000 }).map((c) => D(c).div(100)),
  fc
    .tuple(fc.integer({ min: 1, max: 99_999 }), fc.bigInt({ min: 0n, max: 999_999_999_999n }))
    .map(([i, f]) => D(`${i}.${f.toString().padStart(12, '0')}`)),
);

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('fill' as const),
      inst: fc.nat(N - 1),
      side: fc.constantFrom<OrderSide>('BUY', 'SELL'),
      // Up to 10⁶ units: notionals up to ~10¹¹ against 10⁶ starting cash (deep margin, offsets).
      qty: fc.oneof(
        fc.integer({ min: 1, max: 1_000_000 }).map((q) => D(q)),
        fc.integer({ min: 1, max: 50_000_000 }).map((q) => D(q).div(1000)),
      ),
      price: priceArb,
      comm: fc.integer({ min: -100, max: 2_000 }).map((c) => D(c).div(100)),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('markNumber' as const),
      inst: fc.nat(N - 1),
      price: fc.oneof(
        fc.integer({ min: 1, max: 500_000 }).map((c) => c / 100),
        fc.double({ min: 0.0001, max: 1e6, noNaN: true }),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('markPrice' as const),
      inst: fc.nat(N - 1),
      price: priceArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cash' as const),
      reason: fc.constantFrom('DEPOSIT' as const, 'WITHDRAWAL' as const, 'FEE' as const),
      amount: fc.integer({ min: 1, max: 1_000_000_000 }).map((c) => D(c).div(100)),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'record' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restore' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'replay' as const }) },
);

const options = { startingCash: '1000000', instruments: UNIVERSE };

describe('Portfolio.equityEstimate (property)', () => {
  it('is within EQUITY_ESTIMATE_MAX_ERROR × scale of the exact equity after every change, with scale ≥ |value|', () => {
    const stats = { checks: 0, offset: 0, maxRelErr: 0 };
    fc.assert(
      fc.property(fc.array(actionArb, { minLength: 1, maxLength: 60 }), (actions) => {
        let pf = new Portfolio(options);
        let events: PortfolioEvent[] = [];
        let ts = T0;
        const check = (): void => {
          const { value, scale } = pf.equityEstimate();
          expect(pf.equityEstimateScale).toBe(scale);
          // the allocation-free variant: the same numbers, to the bit
          expect(pf.equityEstimateValue()).toBe(value);
          expect(pf.equityEstimateScale).toBe(scale);
          const exact = pf.equity().amount;
          expect(Number.isFinite(value) && Number.isFinite(scale)).toBe(true);
          expect(scale).toBeGreaterThanOrEqual(Math.abs(value));
          // Decimal check; converting `value` to a decimal adds at most 2⁻⁵³ × |value| ≤ 2⁻⁵³ × scale.
          const err = exact.sub(D(value)).abs();
          const bound = D(EQUITY_ESTIMATE_MAX_ERROR * scale + 2 ** -53 * scale);
          if (!err.lte(bound))
            throw new Error(`estimate ${value} (scale ${scale}) vs exact ${exact.toFixed()}`);
          stats.checks++;
          if (scale > 100 * Math.abs(exact.toNumber())) stats.offset++;
          if (scale > 0) stats.maxRelErr = Math.max(stats.maxRelErr, err.toNumber() / scale);
        };
        check();
        for (const a of actions) {
          ts += 3_600_000;
          const inst = UNIVERSE[(a as { inst?: number }).inst ?? 0];
          switch (a.kind) {
            case 'fill':
              events.push(
                ...pf.applyFill({
                  instrumentId: inst.id,
                  side: a.side,
                  quantity: Quantity.positive(a.qty),
                  price: Price.fromDecimal(a.price),
                  commission: Money.fromDecimal(a.comm, pf.baseCurrency),
                  ts,
                }),
              );
              break;
            case 'markNumber':
              pf.mark(inst.id, a.price, ts);
              break;
            case 'markPrice':
              pf.mark(inst.id, Price.fromDecimal(a.price), ts);
              break;
            case 'cash':
              events.push(
                ...(a.reason === 'DEPOSIT'
                  ? pf.deposit(a.amount, ts)
                  : a.reason === 'WITHDRAWAL'
                    ? pf.withdraw(a.amount, ts)
                    : pf.adjustCash(a.amount.neg(), 'FEE', ts)),
              );
              break;
            case 'record':
              events.push(...pf.recordEquity(ts));
              break;
            case 'restore':
              // Marks not yet recorded are part of the snapshot (mark + markDirty).
              pf = Portfolio.fromSnapshot(JSON.parse(JSON.stringify(pf.toSnapshot())), UNIVERSE);
              events = [];
              break;
            case 'replay': {
              // Replay restores the recorded marks only: record first so the states agree.
              events.push(...pf.recordEquity(ts));
              const start = events.length > 0 ? events[0].seq : pf.seq + 1;
              if (start !== 1) break; // the log starts at a restore: nothing to replay from scratch
              const replayed = Portfolio.replay(options, JSON.parse(JSON.stringify(events)));
              expect(replayed.equity().eq(pf.equity())).toBe(true);
              pf = replayed;
              break;
            }
          }
          check();
        }
      }),
      { numRuns: 500 },
    );
    expect(stats.checks).toBeGreaterThan(3000);
    expect(stats.offset).toBeGreaterThan(300); // |equity| ≪ scale happens often
    expect(stats.maxRelErr).toBeLessThan(EQUITY_ESTIMATE_MAX_ERROR);
  });

  it('offsetting cash and positions: a small equity keeps the large scale (not |value|)', () => {
    const pf = new Portfolio({ startingCash: '100', instruments: UNIVERSE });
    pf.applyFill({
      instrumentId: 'TEN.SIM',
      side: 'BUY',
      quantity: Quantity.positive(D(1_000_000)),
      price: Price.fromDecimal(D('123.45')),
      commission: Money.fromDecimal(D(0), pf.baseCurrency),
      ts: T0,
    });
    pf.mark('TEN.SIM', 123.46, T0 + 1);
    const { value, scale } = pf.equityEstimate();
    expect(pf.equity().amount.toFixed()).toBe('100100'); // 100 − 1,234,500,000 + 1,234,600,000
    expect(value).toBeCloseTo(100100, 3);
    expect(scale).toBeCloseTo(1_234_500_000 - 100 + 1_234_600_000, 0);
  });

  it('enlarges the scale beyond 893 open positions so the bound still holds', () => {
    const many = Array.from({ length: 900 }, (_, i) => testEquity(`S${i}`));
    const pf = new Portfolio({ startingCash: '0', instruments: many });
    for (const inst of many)
      pf.applyFill({
        instrumentId: inst.id,
        side: 'BUY',
        quantity: Quantity.positive(D(1)),
        price: Price.fromDecimal(D('0.1')),
        commission: Money.fromDecimal(D(0), pf.baseCurrency),
        ts: T0,
      });
    const { value, scale } = pf.equityEstimate();
    // Terms: cash −90 and 900 × 0.1: Σ|terms| = 180, enlarged by (900 + 7) × 2⁻⁵³ / 1e-13.
    expect(scale).toBeCloseTo(180 * ((907 * 2 ** -53) / 1e-13), 9);
    expect(Math.abs(value - pf.equity().amount.toNumber())).toBeLessThanOrEqual(1e-13 * scale);
  });
});

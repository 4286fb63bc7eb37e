import fc from 'fast-check';
import {
  Instrument,
  Money,
  OrderSide,
  parseTimestamp,
  Price,
  Quantity,
  rememberScaled,
  Scaled,
  scaledInt,
  TradingDecimal,
} from '@trading/domain';
import { testEquity, testFuture } from '@trading/domain/testing';
import { ReferencePortfolio } from '../reference/reference-portfolio';
import { formatScaled } from './fixed';
import { Portfolio, PortfolioOptions } from './portfolio';
import { PortfolioEvent } from './portfolio.events';
import { PortfolioSnapshot } from './portfolio.snapshot';

/**
 * Differential test of the fixed-point ledger (fixed.ts cells, ADR 0005 milestone 3) against the
 * all-decimal.js ledger it replaced (src/reference/reference-portfolio.ts, the old code verbatim).
 * Random sequences of fills (opens, adds, partial closes, exact closes, flips; multipliers 1, 10,
 * 25, 0.5; prices with 0–4 decimals, zero and negative; quantities with 0–3 decimals; fractional,
 * zero and negative commissions; values far beyond 2^53 and some beyond 40 digits), marks, cash
 * flows, equity points, reads and snapshot restores go to both. Every returned event must be
 * byte-identical (JSON), and every read-out identical down to decimal.js's internal form (digits,
 * exponent, sign of zero) and the bits of the float estimate.
 */

type Ledger = Portfolio | ReferencePortfolio;

const UNIVERSE: Instrument[] = [
  testEquity('AAA'),
  testEquity('TEN', { multiplier: '10' }),
  testEquity('HALF', { multiplier: '0.5' }),
  testFuture('FUT', { multiplier: '25' }),
  testFuture('TNF', { multiplier: '10' }),
  testFuture('HLF', { multiplier: '0.5' }),
];

const scaled = (maxN: number, maxScale: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: maxN }), fc.integer({ min: 0, max: maxScale }))
    .map(([n, s]) => formatScaled(n, s));

const quantityText = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 50 }).map(String) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 50_000 }).map((n) => formatScaled(n, 3)) },
  // large: beyond 2^53 once multiplied by a price
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 ** 50 }).map((n) => formatScaled(n, 3)) },
  // long digit strings (the product with a price goes beyond 40 digits)
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '123456789012345.678',
      '0.000000000000000000001',
      '1.00000000000000000000000000000000000000000007',
    ),
  },
);

const priceText = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 500_000 }).map((n) => formatScaled(n, 2)) },
  { weight: 4, arbitrary: scaled(5_000_000, 4) },
  { weight: 1, arbitrary: fc.constantFrom('0', '-0', '-1.25', '-0.0001') },
  { weight: 1, arbitrary: scaled(Number.MAX_SAFE_INTEGER, 4) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('98765432109876.5432', '3.14159265358979323846264338327950288'),
  },
);

const commissionText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('0', '0.35', '1', '-0') },
  {
    weight: 4,
    arbitrary: fc.integer({ min: -100, max: 2_000 }).map((n) => formatScaled(n, 2)),
  },
  { weight: 2, arbitrary: fc.integer({ min: -1000, max: 90_000 }).map((n) => formatScaled(n, 4)) },
  { weight: 1, arbitrary: scaled(Number.MAX_SAFE_INTEGER, 6) },
);

type Action =
  | { kind: 'fill'; inst: number; side: OrderSide; qty: string; price: string; comm: string }
  /** Closes the whole position (exactly flat), or flips it by `extra`. */
  | { kind: 'close'; inst: number; extra: string | null; price: string; comm: string }
  | { kind: 'mark'; inst: number; price: string; asNumber: boolean }
  | { kind: 'cash'; reason: 'DEPOSIT' | 'WITHDRAWAL' | 'FEE'; amount: string }
  | { kind: 'record' }
  | { kind: 'read' }
  | { kind: 'restore' };

const inst = fc.nat(UNIVERSE.length - 1);
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('fill' as const),
      inst,
      side: fc.constantFrom<OrderSide>('BUY', 'SELL'),
      qty: quantityText,
      price: priceText,
      comm: commissionText,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('close' as const),
      inst,
      extra: fc.option(quantityText, { nil: null }),
      price: priceText,
      comm: commissionText,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('mark' as const),
      inst,
      price: priceText,
      asNumber: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cash' as const),
      reason: fc.constantFrom('DEPOSIT' as const, 'WITHDRAWAL' as const, 'FEE' as const),
      amount: fc.oneof(scaled(10_000_000, 2), scaled(Number.MAX_SAFE_INTEGER, 5)),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'record' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'read' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restore' as const }) },
);

const D = (v: string) => new TradingDecimal(v);
/** decimal.js's internal form: digits, exponent, sign (so −0 ≠ 0). */
const repr = (d: TradingDecimal | null | undefined): string =>
  d === null || d === undefined ? String(d) : `${d.s}|${d.e}|${(d.d ?? []).join(',')}`;
const num = (x: number) => (Object.is(x, -0) ? '-0' : String(x));

/** Every read-out of a ledger, as text (decimals in their internal form). */
function readouts(pf: Ledger, ts: number): string {
  const est = pf.equityEstimate();
  const snap: PortfolioSnapshot = pf.toSnapshot();
  const exposure = pf.exposure();
  const dd = pf.drawdown();
  return JSON.stringify({
    seq: pf.seq,
    cash: repr(pf.cash().amount),
    equity: repr(pf.equity().amount),
    estimate: [num(est.value), num(est.scale)],
    realised: repr(pf.realisedPnl().amount),
    unrealised: repr(pf.unrealisedPnl().amount),
    commissions: repr(pf.totalCommissions().amount),
    netDeposits: repr(pf.netDeposits().amount),
    other: repr(pf.otherCashAdjustments().amount),
    buyingPower: repr(pf.buyingPower().amount),
    exposure: [exposure.gross, exposure.net, exposure.long, exposure.short].map((m) =>
      repr(m.amount),
    ),
    drawdown: [dd.peak?.amount, dd.amount.amount, dd.percent, dd.maxAmount.amount].map(repr),
    dailyPnl: repr(pf.dailyPnl(ts).amount),
    open: pf.openPositionCount(),
    positions: pf.positions().map((v) => v.instrumentId),
    views: UNIVERSE.map((i) => {
      const v = pf.position(i.id);
      const s = pf.positionSummary(i.id);
      return [
        repr(v.quantity.value),
        repr(v.avgPrice.value),
        v.side,
        repr(v.realisedPnl.amount),
        repr(v.unrealisedPnl.amount),
        repr(v.marketValue.amount),
        repr(v.costBasis.amount),
        repr(v.commissions.amount),
        repr(v.lastPrice?.value),
        v.lastPriceTs,
        repr(s.quantity),
        repr(s.avgPrice),
        s.side,
      ];
    }),
    snap,
  });
}

interface Pair {
  pf: Ledger;
  ref: Ledger;
}

let fillsSeen = 0;

function fillBoth(pair: Pair, fill: Parameters<Portfolio['applyFill']>[0]): PortfolioEvent[] {
  // Every other price is registered as a producer (the simulated exchange) does with domain's
  // rememberScaled: then it is read from the registration, not from its digits (the integers are
  // read from a copy here, so they are right), and the ledger must come out the same.
  const s: Scaled = { n: 0, scale: 0 };
  const px = fill.price.value;
  if (++fillsSeen % 2 === 0 && scaledInt(new TradingDecimal(px), s))
    rememberScaled(px, s.n, s.scale);
  const got = pair.pf.applyFill(fill);
  const want = pair.ref.applyFill(fill);
  expect(JSON.stringify(got)).toBe(JSON.stringify(want));
  return got;
}

function run(actions: Action[], marginMultiplier: string): void {
  const options: PortfolioOptions = {
    startingCash: '1000000',
    instruments: UNIVERSE,
    marginMultiplier,
  };
  let pair: Pair = { pf: new Portfolio(options), ref: new ReferencePortfolio(options) };
  const log: PortfolioEvent[] = [];
  let ts = parseTimestamp('2024-03-08T14:00:00Z');
  const both = (f: (pf: Ledger) => PortfolioEvent[]) => {
    const got = f(pair.pf);
    expect(JSON.stringify(got)).toBe(JSON.stringify(f(pair.ref)));
    log.push(...got);
  };
  for (const a of actions) {
    ts += 3_600_000;
    switch (a.kind) {
      case 'fill':
      case 'close': {
        const id = UNIVERSE[a.inst].id;
        let side: OrderSide;
        let qty: TradingDecimal;
        if (a.kind === 'fill') {
          side = a.side;
          qty = D(a.qty);
        } else {
          pair.pf.positionSummary(id); // (adds the instrument to the state on both sides)
          const pos = pair.ref.positionSummary(id).quantity;
          if (pos.isZero()) continue;
          side = pos.isNegative() ? 'BUY' : 'SELL';
          qty = a.extra === null ? pos.abs() : pos.abs().add(D(a.extra));
        }
        log.push(
          ...fillBoth(pair, {
            instrumentId: id,
            side,
            quantity: Quantity.fromDecimal(qty),
            price: Price.fromDecimal(D(a.price)),
            commission: Money.fromDecimal(D(a.comm), pair.pf.baseCurrency),
            ts,
            tradeId: `T${ts}`,
          }),
        );
        break;
      }
      case 'mark': {
        const id = UNIVERSE[a.inst].id;
        const n = Number(a.price);
        for (const pf of [pair.pf, pair.ref])
          pf.mark(id, a.asNumber ? n : Price.fromDecimal(D(a.price)), ts);
        break;
      }
      case 'cash':
        both((pf) =>
          a.reason === 'DEPOSIT'
            ? pf.deposit(a.amount === '0' ? '1' : a.amount, ts)
            : a.reason === 'WITHDRAWAL'
              ? pf.withdraw(a.amount === '0' ? '1' : a.amount, ts)
              : pf.adjustCash(D(a.amount).neg(), 'FEE', ts),
        );
        break;
      case 'record':
        both((pf) => pf.recordEquity(ts));
        break;
      case 'read':
        expect(readouts(pair.pf, ts)).toBe(readouts(pair.ref, ts));
        break;
      case 'restore': {
        // (a ledger beyond the ±1e18 boundary limit is not restorable: both must refuse alike)
        const s1 = JSON.parse(JSON.stringify(pair.pf.toSnapshot())) as PortfolioSnapshot;
        const s2 = JSON.parse(JSON.stringify(pair.ref.toSnapshot())) as PortfolioSnapshot;
        expect(s1).toEqual(s2);
        const pf = outcome(() => Portfolio.fromSnapshot(s1, UNIVERSE));
        const ref = outcome(() => ReferencePortfolio.fromSnapshot(s2, UNIVERSE));
        expect(pf.error).toBe(ref.error);
        if (pf.value !== undefined && ref.value !== undefined)
          pair = { pf: pf.value, ref: ref.value };
        break;
      }
    }
  }
  both((pf) => pf.recordEquity(ts + 1));
  expect(readouts(pair.pf, ts + 1)).toBe(readouts(pair.ref, ts + 1));
  // the event log replays to the same state on both (or fails alike, beyond ±1e18)
  const events = JSON.parse(JSON.stringify(log)) as PortfolioEvent[];
  const replayed = outcome(() => readouts(Portfolio.replay(options, events), ts + 1));
  const replayedRef = outcome(() => readouts(ReferencePortfolio.replay(options, events), ts + 1));
  expect(replayed).toEqual(replayedRef);
}

/** The value of `f()`, or the message of what it threw. */
function outcome<T>(f: () => T): { value?: T; error?: string } {
  try {
    return { value: f() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('fixed-point ledger vs the all-decimal ledger (differential)', () => {
  it('gives byte-identical events and identical read-outs over random sequences', () => {
    let bigMantissas = 0;
    fc.assert(
      fc.property(
        fc.array(action, { minLength: 1, maxLength: 60 }),
        fc.constantFrom('1', '2'),
        (actions, margin) => {
          run(actions, margin);
          if (actions.some((a) => a.kind === 'fill' && a.qty.length > 8)) bigMantissas++;
        },
      ),
      { numRuns: 400 },
    );
    expect(bigMantissas).toBeGreaterThan(20); // the generator really leaves the safe range
  });

  it('keeps long sequences on one instrument identical (averages after adds, partial closes)', () => {
    const fill = fc.record({
      kind: fc.constant('fill' as const),
      inst: fc.constantFrom(0, 3),
      side: fc.constantFrom<OrderSide>('BUY', 'BUY', 'SELL'),
      qty: fc.integer({ min: 1, max: 40 }).map(String),
      price: fc.integer({ min: 9_000, max: 11_000 }).map((n) => formatScaled(n, 2)),
      comm: fc.constantFrom('0.35', '0'),
    });
    fc.assert(
      fc.property(fc.array(fill, { minLength: 50, maxLength: 200 }), (actions) =>
        run([...actions, { kind: 'read' }], '1'),
      ),
      { numRuns: 60 },
    );
  });
});

import fc from 'fast-check';
import {
  Instrument,
  Money,
  OrderSide,
  parseTimestamp,
  Price,
  Quantity,
  TradingDecimal,
  ZERO,
} from '@trading/domain';
import { testEquity, testFuture } from '@trading/domain/testing';
import { Portfolio, PortfolioOptions } from './portfolio';
import { PortfolioEvent } from './portfolio.events';
import { PortfolioSnapshot } from './portfolio.snapshot';

/**
 * Ledger properties over random fill/mark/cash sequences. Every comparison is exact (Decimal.eq).
 *
 * Identity (see README): cash + Σ positionValue == startingCash + netDeposits + otherAdjustments
 *                                                   + realised + unrealised − commissions
 * where positionValue = marketValue for FULL_NOTIONAL (equity-style) instruments and
 * = unrealised P&L for PNL_ONLY (futures) instruments (their notional never touches cash).
 */

type Action =
  | {
      kind: 'fill';
      inst: number;
      side: OrderSide;
      qtyMilli: number;
      cents: number;
      commCents: number;
    }
  | { kind: 'mark'; inst: number; cents: number }
  | { kind: 'cash'; reason: 'DEPOSIT' | 'WITHDRAWAL' | 'FEE'; cents: number }
  | { kind: 'record' };

const UNIVERSES: Record<string, Instrument[]> = {
  equity: [
    testEquity('AAA'),
    testEquity('TEN', { multiplier: '10' }),
    testEquity('ODD', { multiplier: '0.5' }),
  ],
  futures: [
    testFuture('FUT'),
    testFuture('TEN', { multiplier: '10' }),
    testFuture('BIG', { multiplier: '50' }),
  ],
  mixed: [
    testEquity('AAA'),
    testEquity('TEN', { multiplier: '10' }),
    testFuture('FUT'),
    testFuture('BIG', { multiplier: '50' }),
  ],
};

const action = (n: number): fc.Arbitrary<Action> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('fill' as const),
        inst: fc.nat(n - 1),
        side: fc.constantFrom<OrderSide>('BUY', 'SELL'),
        qtyMilli: fc.oneof(
          fc.integer({ min: 1, max: 50 }).map((q) => q * 1000),
          fc.integer({ min: 1, max: 50_000 }),
        ),
        cents: fc.integer({ min: 1, max: 500_000 }),
        commCents: fc.integer({ min: -100, max: 2_000 }),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('mark' as const),
        inst: fc.nat(n - 1),
        cents: fc.integer({ min: 1, max: 500_000 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('cash' as const),
        reason: fc.constantFrom('DEPOSIT' as const, 'WITHDRAWAL' as const, 'FEE' as const),
        cents: fc.integer({ min: 1, max: 1_000_000 }),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'record' as const }) },
  );

const D = (v: string | number) => new TradingDecimal(v);
const T0 = parseTimestamp('2024-03-08T14:00:00Z'); // sequences cross the 2024-03-10 DST change

interface Model {
  qty: Map<string, TradingDecimal>;
  /** Σ signed qty × price × multiplier over all fills. */
  spent: TradingDecimal;
  commissions: TradingDecimal;
}

function run(universe: Instrument[], actions: Action[], snapshotAt = -1, fillEvents = true) {
  const options: PortfolioOptions = { startingCash: '1000000', instruments: universe };
  const pf = new Portfolio(options);
  const events: PortfolioEvent[] = [];
  const model: Model = { qty: new Map(), spent: ZERO, commissions: ZERO };
  let mid: { snap: PortfolioSnapshot; seq: number } | null = null;
  let ts = T0;
  actions.forEach((a, i) => {
    ts += 3_600_000; // one hour: sequences cross several New York midnights
    if (i === snapshotAt) mid = { snap: JSON.parse(JSON.stringify(pf.toSnapshot())), seq: pf.seq };
    if (a.kind === 'fill') {
      const inst = universe[a.inst];
      const qty = D(a.qtyMilli).div(1000);
      const price = D(a.cents).div(100);
      const comm = D(a.commCents).div(100);
      const booked = pf.applyFill(
        {
          instrumentId: inst.id,
          side: a.side,
          quantity: Quantity.positive(qty),
          price: Price.fromDecimal(price),
          commission: Money.fromDecimal(comm, pf.baseCurrency),
          ts,
        },
        { events: fillEvents },
      );
      if (!fillEvents) expect(booked).toEqual([]);
      events.push(...booked);
      const signed = a.side === 'BUY' ? qty : qty.neg();
      model.qty.set(inst.id, (model.qty.get(inst.id) ?? ZERO).add(signed));
      model.spent = model.spent.add(signed.mul(price).mul(inst.multiplier));
      model.commissions = model.commissions.add(comm);
    } else if (a.kind === 'mark') {
      pf.mark(universe[a.inst].id, a.cents / 100, ts);
    } else if (a.kind === 'cash') {
      const amt = D(a.cents).div(100);
      events.push(
        ...(a.reason === 'DEPOSIT'
          ? pf.deposit(amt, ts)
          : a.reason === 'WITHDRAWAL'
            ? pf.withdraw(amt, ts)
            : pf.adjustCash(amt.neg(), 'FEE', ts)),
      );
    } else {
      events.push(...pf.recordEquity(ts));
    }
  });
  events.push(...pf.recordEquity(ts + 1));
  return {
    pf,
    events,
    model,
    options,
    mid: mid as { snap: PortfolioSnapshot; seq: number } | null,
  };
}

function checkIdentity(pf: Portfolio, universe: Instrument[], model: Model): void {
  let positionValue = ZERO;
  let unrealised = ZERO;
  let markValue = ZERO;
  for (const inst of universe) {
    const v = pf.position(inst.id);
    expect(v.quantity.value.eq(model.qty.get(inst.id) ?? ZERO)).toBe(true);
    positionValue = positionValue.add(
      v.settlement === 'PNL_ONLY' ? v.unrealisedPnl.amount : v.marketValue.amount,
    );
    unrealised = unrealised.add(v.unrealisedPnl.amount);
    markValue = markValue.add(v.marketValue.amount);
    // Average-cost invariant: book = avg × qty × multiplier, up to the 12-decimal rounding of partial closes.
    expect(
      v.costBasis.amount
        .sub(v.avgPrice.value.mul(v.quantity.value).mul(inst.multiplier))
        .abs()
        .lt('1e-9'),
    ).toBe(true);
  }
  expect(unrealised.eq(pf.unrealisedPnl().amount)).toBe(true);
  const lhs = pf.cash().amount.add(positionValue);
  const rhs = pf
    .startingCash()
    .amount.add(pf.netDeposits().amount)
    .add(pf.otherCashAdjustments().amount)
    .add(pf.realisedPnl().amount)
    .add(unrealised)
    .sub(pf.totalCommissions().amount);
  expect(lhs.toFixed()).toBe(rhs.toFixed());
  expect(lhs.eq(rhs)).toBe(true);
  expect(lhs.eq(pf.equity().amount)).toBe(true);
  // Independent oracle for total trading P&L (does not depend on the average-cost split):
  expect(pf.realisedPnl().amount.add(unrealised).eq(markValue.sub(model.spent))).toBe(true);
  expect(pf.totalCommissions().amount.eq(model.commissions)).toBe(true);
}

describe.each(Object.keys(UNIVERSES))('portfolio ledger properties (%s instruments)', (name) => {
  const universe = UNIVERSES[name];
  const actions = fc.array(action(universe.length), { minLength: 1, maxLength: 80 });

  it('books fills without building events (events: false) to exactly the same state and sequence', () => {
    fc.assert(
      fc.property(actions, (as) => {
        const withEvents = run(universe, as);
        const without = run(universe, as, -1, false);
        expect(without.pf.seq).toBe(withEvents.pf.seq);
        expect(JSON.stringify(without.pf.toSnapshot())).toBe(
          JSON.stringify(withEvents.pf.toSnapshot()),
        );
        expect(without.pf.equity().amount.toFixed()).toBe(withEvents.pf.equity().amount.toFixed());
        // the events built either way (cash adjustments, equity points) carry the same numbers
        const others = (es: PortfolioEvent[]) =>
          es.filter(
            (e) =>
              !['FillApplied', 'PositionOpened', 'PositionChanged', 'PositionClosed'].includes(
                e.type,
              ),
          );
        expect(others(without.events)).toEqual(others(withEvents.events));
      }),
      { numRuns: 150 },
    );
  });

  it('cash + position value == start + deposits + adjustments + realised + unrealised − commissions, exactly', () => {
    let flips = 0;
    fc.assert(
      fc.property(actions, (as) => {
        const { pf, model, events } = run(universe, as);
        checkIdentity(pf, universe, model);
        flips += events.filter(
          (e, i) => e.type === 'PositionOpened' && events[i - 1]?.type === 'PositionClosed',
        ).length;
      }),
      { numRuns: 200 },
    );
    expect(flips).toBeGreaterThan(10); // the generator really crosses zero
  });

  it('replaying the events rebuilds the same state; snapshot → restore → same state', () => {
    fc.assert(
      fc.property(actions, fc.nat(), (as, cut) => {
        const at = cut % as.length;
        const { pf, events, options, mid } = run(universe, as, at);
        const snap = pf.toSnapshot();
        // replay of the JSON-round-tripped event log
        const log = JSON.parse(JSON.stringify(events)) as PortfolioEvent[];
        const replayed = Portfolio.replay(options, log);
        expect(replayed.toSnapshot()).toEqual(snap);
        expect(replayed.equity().eq(pf.equity())).toBe(true);
        // snapshot → restore
        const restored = Portfolio.fromSnapshot(JSON.parse(JSON.stringify(snap)), universe);
        expect(restored.toSnapshot()).toEqual(snap);
        expect(restored.equity().eq(pf.equity())).toBe(true);
        // mid-stream snapshot + replay of the whole log (earlier events are skipped by seq)
        if (mid !== null) {
          const recovered = Portfolio.fromSnapshot(mid.snap, universe).replay(log);
          expect(recovered.toSnapshot()).toEqual(snap);
        }
      }),
      { numRuns: 100 },
    );
  });
});

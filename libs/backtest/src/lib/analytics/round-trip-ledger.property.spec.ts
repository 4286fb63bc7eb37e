import fc from 'fast-check';
import {
  ClientOrderId,
  Instrument,
  InstrumentId,
  Money,
  Price,
  Quantity,
  TradeId,
  TradingDecimal,
  ZERO,
} from '@trading/domain';
import { Portfolio } from '@trading/portfolio';
import { RoundTripTracker } from './round-trip-tracker';

/**
 * Two independent ledgers must agree: the round-trip tracker (FIFO lots, pro-rata commissions) and
 * the portfolio (signed book cost, average price). Whenever an instrument is flat, FIFO and
 * average-cost P&L are both the exact cash-flow difference, so for that instrument:
 * Σ trade gross P&L = portfolio realised P&L and Σ trade commissions = Σ fill commissions; at every
 * step the tracker's open lots add up to the portfolio's position. Each trade's net P&L is gross
 * minus commission.
 */
describe('RoundTripTracker agrees with the Portfolio ledger', () => {
  const instruments = [
    new Instrument({ id: 'EQ.SIM', tickSize: '0.01', lotSize: '0.01' }),
    new Instrument({ id: 'FUT.SIM', tickSize: '0.25', multiplier: '10', assetClass: 'FUTURE' }),
  ];
  const fillArb = fc.record({
    inst: fc.integer({ min: 0, max: 1 }),
    buy: fc.boolean(),
    // EQ: lots of 0.01; FUT: whole contracts
    units: fc.integer({ min: 1, max: 4000 }),
    ticks: fc.integer({ min: 4, max: 40_000 }),
    commissionCents: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 500 })),
  });

  it('for random fills (pyramiding, partial closes, flips, zero and non-zero commissions)', () => {
    fc.assert(
      fc.property(fc.array(fillArb, { minLength: 1, maxLength: 60 }), (rows) => {
        const tracker = new RoundTripTracker();
        const pf = new Portfolio({ startingCash: '100000000', instruments });
        const commissionsPaid = new Map<InstrumentId, TradingDecimal>();
        rows.forEach((r, i) => {
          const inst = instruments[r.inst];
          const quantity =
            r.inst === 0
              ? new TradingDecimal(r.units).div(100)
              : new TradingDecimal(Math.ceil(r.units / 100));
          const price = inst.tickSize.mul(r.ticks);
          const commission = new TradingDecimal(r.commissionCents).div(100);
          const side = r.buy ? 'BUY' : 'SELL';
          const ts = 1_700_000_000_000 + i * 60_000;
          tracker.onFill(
            {
              ts,
              instrumentId: inst.id,
              side,
              quantity,
              price,
              commission,
              clientOrderId: `C-${i}` as ClientOrderId,
              tradeId: `T-${i}` as TradeId,
            },
            inst.multiplier,
          );
          pf.applyFill({
            instrumentId: inst.id,
            side,
            quantity: Quantity.fromDecimal(quantity),
            price: Price.fromDecimal(price),
            commission: Money.fromDecimal(commission, inst.currency),
            ts,
          });
          commissionsPaid.set(inst.id, (commissionsPaid.get(inst.id) ?? ZERO).add(commission));

          // open lots = position, at every step
          const lots = tracker.openTrades().filter((t) => t.instrumentId === inst.id);
          const open = lots.reduce(
            (s, t) => (t.direction === 'LONG' ? s.add(t.quantity) : s.sub(t.quantity)),
            ZERO,
          );
          const position = pf.position(inst.id);
          expect(open.toFixed()).toBe(position.quantity.value.toFixed());

          if (position.quantity.value.isZero()) {
            const trades = tracker.trades().filter((t) => t.instrumentId === inst.id);
            const gross = trades.reduce((s, t) => s.add(t.grossPnl), ZERO);
            const fees = trades.reduce((s, t) => s.add(t.commission), ZERO);
            expect(gross.toFixed()).toBe(position.realisedPnl.amount.toFixed());
            expect(fees.toFixed()).toBe((commissionsPaid.get(inst.id) ?? ZERO).toFixed());
          }
        });
        for (const t of tracker.trades()) {
          expect(t.netPnl.toFixed()).toBe(t.grossPnl.sub(t.commission).toFixed());
          expect(t.quantity.gt(0)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

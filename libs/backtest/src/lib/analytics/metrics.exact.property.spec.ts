import fc from 'fast-check';
import { clientOrderId, Decimal, instrumentId, tradeId, TradingDecimal } from '@trading/domain';
import { FillRecord, RoundTripTrade } from './analytics.types';
import { computeMetrics, FillTotals, METRICS_MONEY_PLACES, TradeTotals } from './metrics';

/**
 * computeMetrics sums trade P&L, fill notionals and commissions as scaled integers while they fit
 * (exact-decimal.ts). Its money fields must equal the plain decimal.js loop, for values where the
 * shortcut applies and where it must not (40-digit values, products beyond 2^53, fractional
 * multipliers, negative prices, zeros).
 */
describe('computeMetrics sums equal the plain decimal.js loop', () => {
  const AAA = instrumentId('AAA', 'SIM');
  const scaled = (n: number, places: number): Decimal =>
    new TradingDecimal(n).div(new TradingDecimal(10).pow(places));
  const money = (x: Decimal) =>
    x.toDecimalPlaces(METRICS_MONEY_PLACES, TradingDecimal.ROUND_HALF_EVEN).toFixed();
  const small = fc
    .tuple(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: 0, max: 6 }))
    .map(([n, p]) => scaled(n, p));
  const value = fc.oneof(
    small,
    fc.integer({ min: -1000, max: 1000 }).map((n) => new TradingDecimal(n).div(7)),
    fc.constantFrom(new TradingDecimal('987654321987.654321'), new TradingDecimal(-0)),
  );
  const positive = fc.oneof(
    fc.integer({ min: 1, max: 10_000_000 }).map((n) => scaled(n, 2)),
    fc.constantFrom(new TradingDecimal('99999999999'), new TradingDecimal(1).div(3)),
  );
  const multiplier = fc.option(fc.constantFrom('1', '25', '0.1', '1e9', '0.0000001'), {
    nil: undefined,
  });
  const fillArb = fc.record({ quantity: positive, price: value, commission: positive, multiplier });

  it('for trade P&L sums, traded notional and commissions', () => {
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 25 }),
        fc.array(fillArb, { maxLength: 25 }),
        (nets, rows) => {
          const trades = nets.map((net) => ({ netPnl: net }) as unknown as RoundTripTrade);
          const fills: FillRecord[] = rows.map((r, i) => ({
            ts: i,
            instrumentId: AAA,
            side: 'BUY',
            quantity: r.quantity,
            price: r.price,
            commission: r.commission,
            clientOrderId: clientOrderId(`o-${i}`),
            tradeId: tradeId(`t-${i}`),
            ...(r.multiplier ? { multiplier: new TradingDecimal(r.multiplier) } : {}),
          }));
          const m = computeMetrics({
            equityCurve: [],
            trades,
            fills,
            startingCash: '100000',
            exposure: 0,
          });
          let total = new TradingDecimal(0);
          let profit = new TradingDecimal(0);
          let loss = new TradingDecimal(0);
          for (const net of nets) {
            total = total.add(net);
            if (net.gt(0)) profit = profit.add(net);
            else if (net.lt(0)) loss = loss.sub(net);
          }
          let notional = new TradingDecimal(0);
          let commission = new TradingDecimal(0);
          for (const f of fills) {
            let x = f.quantity.mul(f.price);
            if (f.multiplier) x = x.mul(f.multiplier);
            notional = notional.add(x.abs());
            commission = commission.add(f.commission);
          }
          expect(m.totalTradeNetPnl).toBe(money(total));
          expect(m.grossProfit).toBe(money(profit));
          expect(m.grossLoss).toBe(money(loss));
          expect(m.tradedNotional).toBe(money(notional));
          expect(m.totalCommission).toBe(money(commission));
          // totals accumulated by the caller give the very same metrics
          const tradeTotals = new TradeTotals();
          for (const t of trades) tradeTotals.add(t);
          const fillTotals = new FillTotals();
          for (const f of fills) fillTotals.add(f);
          const base = { equityCurve: [], trades, fills, startingCash: '100000', exposure: 0 };
          expect(computeMetrics({ ...base, tradeTotals, fillTotals })).toEqual(m);
          if (fills.length > 0)
            expect(() =>
              computeMetrics({ ...base, fillTotals: new FillTotals(), tradeTotals }),
            ).toThrow(/fillTotals/);
          const n = nets.length;
          expect(m.expectancy).toBe(n > 0 ? money(total.div(n)) : null);
          expect(m.profitFactor).toBe(
            loss.gt(0) ? profit.div(loss).toNumber() : profit.gt(0) ? Infinity : null,
          );
        },
      ),
      { numRuns: 1500 },
    );
  });
});

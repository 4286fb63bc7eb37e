import fc from 'fast-check';
import {
  ClientOrderId,
  Decimal,
  InstrumentId,
  isRememberedScaled,
  Scaled,
  scaledInt,
  TradeId,
  TradingDecimal,
} from '@trading/domain';
import { FillRecord } from './analytics.types';
import { FillTotals } from './metrics';
import { RoundTripTracker } from './round-trip-tracker';

/**
 * The tracker computes `returnPct`, `maeValue`/`mfeValue` and the excursions' price numbers from
 * scaled integers when the decimals are small (exact-decimal.ts). Every trade must carry exactly
 * the doubles of the plain decimal.js formulas, for values where the shortcut applies and where
 * it must not (40-digit prices, quantities beyond 2^53, fractional multipliers, zero P&L, -0).
 */
describe('RoundTripTracker float fields equal the plain decimal.js formulas', () => {
  const ID = 'X.SIM' as InstrumentId;
  const scaled = (n: number, places: number): Decimal =>
    new TradingDecimal(n).div(new TradingDecimal(10).pow(places));
  const price = fc.oneof(
    fc
      .tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 6 }))
      .map(([n, p]) => scaled(n, p)),
    fc.integer({ min: 1, max: 1000 }).map((n) => new TradingDecimal(n).div(7)), // 40 digits
    fc.constantFrom(new TradingDecimal('123456789012.345678'), new TradingDecimal('0.5')),
    fc.constant(new TradingDecimal('100.25')), // repeated: zero P&L (and −0 for shorts)
  );
  const quantity = fc.oneof(
    fc.integer({ min: 1, max: 2000 }).map((n) => new TradingDecimal(n)),
    fc.integer({ min: 1, max: 100_000 }).map((n) => scaled(n, 3)),
    fc.constantFrom(new TradingDecimal('9007199254740993'), new TradingDecimal('1e17')),
  );
  const commission = fc.oneof(
    fc.constant(new TradingDecimal(0)),
    fc.integer({ min: 1, max: 100_000 }).map((n) => scaled(n, 2)),
    fc.constant(new TradingDecimal(1).div(3)),
  );
  const multiplier = fc.constantFrom('1', '10', '0.1', '50', '0.0001', '1e15');
  const repr = (x: Decimal) => {
    const r = x as unknown as { d: number[]; e: number; s: number };
    return { d: [...r.d], e: r.e, s: r.s };
  };
  const row = fc.record({ buy: fc.boolean(), quantity, price, commission });

  it('for returnPct, the excursions and their currency values', () => {
    let shortcutShaped = 0;
    let remembered = 0;
    fc.assert(
      fc.property(multiplier, fc.array(row, { minLength: 2, maxLength: 12 }), (multText, rows) => {
        const mult = new TradingDecimal(multText);
        const tracker = new RoundTripTracker();
        rows.forEach((r, i) => {
          tracker.onFill(
            {
              ts: 1_700_000_000_000 + i * 60_000,
              instrumentId: ID,
              side: r.buy ? 'BUY' : 'SELL',
              quantity: r.quantity,
              price: r.price,
              commission: r.commission,
              clientOrderId: `C-${i}` as ClientOrderId,
              tradeId: `T-${i}` as TradeId,
            },
            mult,
          );
          // The last trade's net P&L is registered with rememberScaled (for the metrics' trade
          // totals): its registered integer must be the one its digits give (read from a copy).
          const closed = tracker.trades();
          const last = closed[closed.length - 1];
          if (last !== undefined && isRememberedScaled(last.netPnl)) {
            remembered++;
            const a: Scaled = { n: 0, scale: 0 };
            const b: Scaled = { n: 0, scale: 0 };
            expect(scaledInt(last.netPnl, a)).toBe(true);
            expect(scaledInt(new TradingDecimal(last.netPnl), b)).toBe(true);
            expect(a).toEqual(b);
          }
        });
        for (const t of tracker.trades()) {
          // P&L: exactly decimal.js's value and representation (sign of zero included)
          const g = t.exitPrice.sub(t.entryPrice).mul(t.quantity).mul(t.multiplier);
          const gross = t.direction === 'LONG' ? g : g.neg();
          const net = t.commission.isZero() ? gross : gross.sub(t.commission);
          expect(repr(t.grossPnl)).toEqual(repr(gross));
          expect(repr(t.netPnl)).toEqual(repr(net));
          const notional = t.entryPrice.mul(t.quantity).mul(t.multiplier).abs();
          const want = notional.isZero() ? 0 : t.netPnl.div(notional).toNumber();
          expect(Object.is(t.returnPct, want)).toBe(true);
          const entry = t.entryPrice.toNumber();
          const exit = t.exitPrice.toNumber();
          const up = Math.max(0, exit - entry);
          const down = Math.max(0, entry - exit);
          expect(t.mae).toBe(t.direction === 'LONG' ? down : up);
          expect(t.mfe).toBe(t.direction === 'LONG' ? up : down);
          const scale = t.quantity.mul(t.multiplier).toNumber();
          expect(Object.is(t.maeValue, t.mae * scale)).toBe(true);
          expect(Object.is(t.mfeValue, t.mfe * scale)).toBe(true);
          if (t.quantity.lt(1e9) && t.entryPrice.decimalPlaces() <= 6) shortcutShaped++;
        }
      }),
      { numRuns: 400 },
    );
    expect(shortcutShaped).toBeGreaterThan(100);
    expect(remembered).toBeGreaterThan(100);
  });

  it('with shared instances, per-fill multipliers and the fill totals reading the same fills', () => {
    // The runner feeds each fill to FillTotals and then to the tracker, and the same quantity,
    // price, commission and multiplier instances recur (both remember recent instances and their
    // scaled integers): P&L, returnPct, the open lots and the totals must be the plain values.
    const pick = <T>(xs: readonly T[]) =>
      fc.integer({ min: 0, max: xs.length - 1 }).map((k) => xs[k]);
    const quantities = ['1', '2', '0.5', '3', '9007199254740993'].map((q) => new TradingDecimal(q));
    const prices = ['100.25', '100.26', '99.5', '100', '0.5'].map((p) => new TradingDecimal(p));
    prices.push(new TradingDecimal(1000).div(7));
    const commissions = ['0', '0.35', '1'].map((c) => new TradingDecimal(c));
    commissions.push(new TradingDecimal(1).div(3));
    const multipliers = ['1', '10', '0.1'].map((m) => new TradingDecimal(m));
    const rowArb = fc.record({
      buy: fc.boolean(),
      quantity: pick(quantities),
      price: pick(prices),
      commission: pick(commissions),
      multiplier: pick(multipliers),
    });
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 2, maxLength: 30 }), (rows) => {
        const tracker = new RoundTripTracker();
        const totals = new FillTotals();
        let notional = new TradingDecimal(0);
        let commission = new TradingDecimal(0);
        // the open quantity per multiplier (a lot keeps the multiplier it was opened with)
        let signed = new TradingDecimal(0);
        rows.forEach((r, i) => {
          const fill: FillRecord = {
            ts: 1_700_000_000_000 + i * 60_000,
            instrumentId: ID,
            side: r.buy ? 'BUY' : 'SELL',
            quantity: r.quantity,
            price: r.price,
            commission: r.commission,
            clientOrderId: `C-${i}` as ClientOrderId,
            tradeId: `T-${i}` as TradeId,
            multiplier: r.multiplier,
          };
          totals.add(fill);
          tracker.onFill(fill, r.multiplier);
          notional = notional.add(r.quantity.mul(r.price).mul(r.multiplier).abs());
          commission = commission.add(r.commission);
          signed = r.buy ? signed.add(r.quantity) : signed.sub(r.quantity);
        });
        expect(totals.notional().toFixed()).toBe(notional.toFixed());
        expect(totals.commission().toFixed()).toBe(commission.toFixed());
        for (const t of tracker.trades()) {
          const g = t.exitPrice.sub(t.entryPrice).mul(t.quantity).mul(t.multiplier);
          const gross = t.direction === 'LONG' ? g : g.neg();
          const net = t.commission.isZero() ? gross : gross.sub(t.commission);
          expect(repr(t.grossPnl)).toEqual(repr(gross));
          expect(repr(t.netPnl)).toEqual(repr(net));
          const n = t.entryPrice.mul(t.quantity).mul(t.multiplier).abs();
          const want = n.isZero() ? 0 : t.netPnl.div(n).toNumber();
          expect(Object.is(t.returnPct, want)).toBe(true);
        }
        // the open lots add up to the position, each with its entry fill's values
        let open = new TradingDecimal(0);
        for (const o of tracker.openTrades()) {
          open = o.direction === 'LONG' ? open.add(o.quantity) : open.sub(o.quantity);
          const entry = rows[Number(o.entryClientOrderId.slice(2))];
          expect(o.entryPrice).toBe(entry.price);
          expect(o.multiplier).toBe(entry.multiplier);
          expect(o.entryTs).toBe(
            1_700_000_000_000 + Number(o.entryClientOrderId.slice(2)) * 60_000,
          );
        }
        expect(open.toFixed()).toBe(signed.toFixed());
      }),
      { numRuns: 600 },
    );
  });
});

import fc from 'fast-check';
import { ClientOrderId, InstrumentId, TradeId, TradingDecimal } from '@trading/domain';
import { RoundTripTracker } from './round-trip-tracker';

/**
 * The tracker computes MAE/MFE lazily from monotonic deques of bar extremes. This property test
 * checks it against the naive definition: for each closed trade, the extremes of the bars that
 * closed strictly after its entry and before its exit fill, plus the entry and exit prices.
 */
describe('RoundTripTracker excursions (lazy) equal the naive definition', () => {
  const id = 'X.SIM' as InstrumentId;
  it('for random bars and random fills (pyramiding, partial closes, flips)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            high: fc.integer({ min: 100, max: 200 }),
            spread: fc.integer({ min: 0, max: 50 }),
            fill: fc.option(fc.record({ buy: fc.boolean(), qty: fc.integer({ min: 1, max: 5 }) }), {
              freq: 2,
            }),
          }),
          { minLength: 1, maxLength: 80 },
        ),
        (rows) => {
          const tracker = new RoundTripTracker();
          const bars: { ts: number; high: number; low: number }[] = [];
          let n = 0;
          rows.forEach((r, i) => {
            const ts = (i + 1) * 1000;
            const high = r.high;
            const low = r.high - r.spread;
            if (r.fill) {
              const price = low + Math.floor(r.spread / 2);
              tracker.onFill({
                ts,
                instrumentId: id,
                side: r.fill.buy ? 'BUY' : 'SELL',
                quantity: new TradingDecimal(r.fill.qty),
                price: new TradingDecimal(price),
                commission: new TradingDecimal(0),
                clientOrderId: `C-${++n}` as ClientOrderId,
                tradeId: `T-${n}` as TradeId,
              });
            }
            tracker.onBar(id, ts, high, low);
            bars.push({ ts, high, low });
          });
          for (const t of tracker.trades()) {
            // fills are booked before the tracker sees their own bar: the exit bar does not count
            const inside = bars.filter((b) => b.ts > t.entryTs && b.ts < t.exitTs);
            const entry = t.entryPrice.toNumber();
            const exit = t.exitPrice.toNumber();
            const hi = Math.max(entry, exit, ...inside.map((b) => b.high));
            const lo = Math.min(entry, exit, ...inside.map((b) => b.low));
            const up = hi - entry;
            const down = entry - lo;
            expect([t.mae, t.mfe]).toEqual(t.direction === 'LONG' ? [down, up] : [up, down]);
            expect(t.barsHeld).toBe(inside.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

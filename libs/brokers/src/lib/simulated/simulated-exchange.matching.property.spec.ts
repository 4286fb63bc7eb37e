import fc from 'fast-check';
import { clientOrderId, localToUtc, MS, Price, Quantity } from '@trading/domain';
import { testEquity } from '@trading/domain/testing';
import { ExecutionReport } from '../broker.port';
import { SimulatedExchange } from './simulated-exchange';

/**
 * The matching rules, as documented on SimulatedExchange, written out independently in integer
 * cents and checked against the exchange for random bars and one order of each kind and side:
 * - the order sent after bar 0 may first trade on bar 1;
 * - MARKET fills at the open;
 * - LIMIT fills at the open when the bar gaps through the limit, else at the limit when the range
 *   touches it;
 * - STOP triggers at the open on a gap through, else at the stop when the range reaches it, and
 *   fills there;
 * - STOP_LIMIT triggers like a stop, then fills at the trigger price when it is within the limit,
 *   else at the limit when the bar touches it; once triggered it works as a limit order whose
 *   trigger price on later bars is the open.
 */
describe('SimulatedExchange matching equals the documented rules', () => {
  const DAY1 = localToUtc('2024-01-02T16:00:00', 'America/New_York');
  const barArb = fc
    .record({
      open: fc.integer({ min: 900, max: 1100 }),
      up: fc.integer({ min: 0, max: 60 }),
      down: fc.integer({ min: 0, max: 60 }),
      closeFrac: fc.integer({ min: 0, max: 100 }),
    })
    .map(({ open, up, down, closeFrac }) => {
      const high = open + up;
      const low = open - down;
      return { open, high, low, close: low + Math.round(((high - low) * closeFrac) / 100) };
    });
  type CentBar = { open: number; high: number; low: number; close: number };

  /** Expected [bar index, fill price in cents] of one order, or null: the documented rules. */
  function reference(
    bars: CentBar[],
    type: 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT',
    buy: boolean,
    limit: number,
    stop: number,
  ): [number, number] | null {
    let triggered = false;
    for (let i = 1; i < bars.length; i++) {
      const b = bars[i];
      const limitFill = (): number | null =>
        buy
          ? b.open <= limit
            ? b.open
            : b.low <= limit
              ? limit
              : null
          : b.open >= limit
            ? b.open
            : b.high >= limit
              ? limit
              : null;
      const stopTrigger = (): number | null =>
        buy
          ? b.open >= stop
            ? b.open
            : b.high >= stop
              ? stop
              : null
          : b.open <= stop
            ? b.open
            : b.low <= stop
              ? stop
              : null;
      if (type === 'MARKET') return [i, b.open];
      if (type === 'LIMIT') {
        const p = limitFill();
        if (p !== null) return [i, p];
      }
      if (type === 'STOP') {
        const p = stopTrigger();
        if (p !== null) return [i, p];
      }
      if (type === 'STOP_LIMIT') {
        const t = triggered ? b.open : stopTrigger();
        if (t !== null) {
          triggered = true;
          if (buy ? t <= limit : t >= limit) return [i, t];
          if (buy ? b.low <= limit : b.high >= limit) return [i, limit];
        }
      }
    }
    return null;
  }

  it('for every order kind and side', () => {
    fc.assert(
      fc.property(
        fc.array(barArb, { minLength: 2, maxLength: 12 }),
        fc.constantFrom('MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT'),
        fc.boolean(),
        fc.integer({ min: -80, max: 80 }),
        fc.integer({ min: -80, max: 80 }),
        (bars, type, buy, limitOffset, stopOffset) => {
          const inst = testEquity('MTP');
          let now = DAY1;
          const ex = new SimulatedExchange({ clock: { now: () => now }, instruments: [inst] });
          const fills: Extract<ExecutionReport, { kind: 'filled' }>[] = [];
          ex.onExecutionReport((r) => {
            if (r.kind === 'filled') fills.push(r);
          });
          const ref = bars[0].close;
          const limit = Math.max(1, ref + limitOffset);
          const stop = Math.max(1, ref + stopOffset);
          const feed = (b: CentBar, i: number) => {
            now = DAY1 + i * MS.DAY;
            ex.processBar({
              instrumentId: inst.id,
              ts: now,
              open: b.open / 100,
              high: b.high / 100,
              low: b.low / 100,
              close: b.close / 100,
              volume: 1_000_000,
            });
          };
          feed(bars[0], 0);
          ex.submitOrder({
            clientOrderId: clientOrderId('M-1'),
            instrumentId: inst.id,
            side: buy ? 'BUY' : 'SELL',
            type,
            quantity: Quantity.of(5),
            limitPrice:
              type === 'LIMIT' || type === 'STOP_LIMIT' ? Price.of(limit / 100) : undefined,
            stopPrice: type === 'STOP' || type === 'STOP_LIMIT' ? Price.of(stop / 100) : undefined,
            timeInForce: 'GTC',
            ts: now,
          });
          bars.slice(1).forEach((b, i) => feed(b, i + 1));

          const want = reference(bars, type, buy, limit, stop);
          if (want === null) {
            expect(fills).toEqual([]);
          } else {
            expect(fills).toHaveLength(1);
            expect(fills[0].tsEvent).toBe(DAY1 + want[0] * MS.DAY);
            expect(fills[0].lastPx.toString()).toBe(Price.of(want[1] / 100).toString());
            expect(fills[0].lastQty.toString()).toBe('5');
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

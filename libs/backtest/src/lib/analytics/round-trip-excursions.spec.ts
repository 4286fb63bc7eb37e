import fc from 'fast-check';
import { ClientOrderId, InstrumentId, TradeId, TradingDecimal } from '@trading/domain';
import { RoundTripTracker } from './round-trip-tracker';

/**
 * The tracker computes MAE/MFE lazily from per-lot blocks of bar extremes (a suffix max/min over
 * the open lots). These property tests check it against the naive definition: for each closed trade, the extremes of the bars that
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

  it("with several instruments, several fills per timestamp and bars at a fill's timestamp", () => {
    const ids = ['A.SIM', 'B.SIM'] as InstrumentId[];
    type Ev =
      | { kind: 'fill'; inst: number; buy: boolean; qty: number; px: number; dt: number }
      | { kind: 'bar'; inst: number; high: number; spread: number; dt: number };
    const ev: fc.Arbitrary<Ev> = fc.oneof(
      fc.record({
        kind: fc.constant('fill' as const),
        inst: fc.integer({ min: 0, max: 1 }),
        buy: fc.boolean(),
        qty: fc.integer({ min: 1, max: 4 }),
        px: fc.integer({ min: 100, max: 200 }),
        dt: fc.integer({ min: 0, max: 2 }),
      }),
      fc.record({
        kind: fc.constant('bar' as const),
        inst: fc.integer({ min: 0, max: 1 }),
        high: fc.integer({ min: 100, max: 200 }),
        spread: fc.integer({ min: 0, max: 40 }),
        dt: fc.integer({ min: 0, max: 2 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(ev, { minLength: 1, maxLength: 120 }), (events) => {
        const tracker = new RoundTripTracker();
        const recorders = ids.map((id) => tracker.barRecorderFor(id));
        // every event in arrival order, timestamps non-decreasing (repeats allowed)
        const log: { i: number; ts: number; e: Ev; cid?: string }[] = [];
        let ts = 1000;
        events.forEach((e, i) => {
          ts += e.dt;
          if (e.kind === 'fill') {
            const cid = `C-${i}`;
            tracker.onFill({
              ts,
              instrumentId: ids[e.inst],
              side: e.buy ? 'BUY' : 'SELL',
              quantity: new TradingDecimal(e.qty),
              price: new TradingDecimal(e.px),
              commission: new TradingDecimal(0),
              clientOrderId: cid as ClientOrderId,
              tradeId: `T-${i}` as TradeId,
            });
            log.push({ i, ts, e, cid });
          } else {
            // half the bars through the per-instrument recorder (bound before any fill)
            if (i % 2 === 0) tracker.onBar(ids[e.inst], ts, e.high, e.high - e.spread);
            else recorders[e.inst](ts, e.high, e.high - e.spread);
            log.push({ i, ts, e });
          }
        });
        const at = (cid: string) => log.findIndex((l) => l.cid === cid);
        /** Bars of `inst` that arrived after log[from] (and before log[to]) closing after `entryTs`. */
        const window = (inst: InstrumentId, from: number, to: number, entryTs: number) =>
          log
            .slice(from + 1, to)
            .filter((l) => l.e.kind === 'bar' && ids[l.e.inst] === inst && l.ts > entryTs)
            .map((l) => l.e as Extract<Ev, { kind: 'bar' }>);
        const expected = (
          direction: string,
          entry: number,
          last: number,
          bars: Extract<Ev, { kind: 'bar' }>[],
        ) => {
          const hi = Math.max(entry, last, ...bars.map((b) => b.high));
          const lo = Math.min(entry, last, ...bars.map((b) => b.high - b.spread));
          return direction === 'LONG' ? [entry - lo, hi - entry] : [hi - entry, entry - lo];
        };
        for (const t of tracker.trades()) {
          const bars = window(
            t.instrumentId,
            at(t.entryClientOrderId),
            at(t.exitClientOrderId),
            t.entryTs,
          );
          const entry = t.entryPrice.toNumber();
          expect([t.mae, t.mfe]).toEqual(
            expected(t.direction, entry, t.exitPrice.toNumber(), bars),
          );
          expect(t.barsHeld).toBe(bars.length);
        }
        for (const o of tracker.openTrades()) {
          const bars = window(o.instrumentId, at(o.entryClientOrderId), log.length, o.entryTs);
          const entry = o.entryPrice.toNumber();
          expect([o.mae, o.mfe]).toEqual(expected(o.direction, entry, entry, bars));
          expect(o.barsHeld).toBe(bars.length);
        }
      }),
      { numRuns: 400 },
    );
  });
});

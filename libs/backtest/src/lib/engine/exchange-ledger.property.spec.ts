import fc from 'fast-check';
import { clientOrderId, localToUtc, MS, Price, Quantity, TradingDecimal } from '@trading/domain';
import { testEquity } from '@trading/domain/testing';
import { Portfolio } from '@trading/portfolio';
import {
  commissionModel,
  ExecutionReport,
  fillModelConfig,
  SimulatedExchange,
  slippageModel,
} from '@trading/brokers';

/**
 * The simulated exchange keeps its own venue-side account (cash, positions) from the fills it
 * makes; the portfolio books the same fills independently. For random order flows (market and
 * limit, both sides, partial fills under a participation cap, per-unit + minimum or percent
 * commissions, bps slippage, a contract multiplier) both must agree after every bar: cash,
 * signed position, and equity at the last close.
 */
describe('SimulatedExchange venue account agrees with the Portfolio', () => {
  const DAY1 = localToUtc('2024-01-02T16:00:00', 'America/New_York');
  const commissionArb = fc.oneof(
    fc.constant({}),
    fc.constant({ perUnit: '0.005', minimum: '1' }),
    fc.constant({ pctOfNotional: '0.001', minimum: '0.35' }),
    fc.constant({ perOrder: '2.5' }),
  );
  const stepArb = fc.record({
    cents: fc.integer({ min: 1_000, max: 30_000 }),
    range: fc.integer({ min: 0, max: 300 }),
    volume: fc.integer({ min: 0, max: 5_000 }),
    order: fc.option(
      fc.record({
        buy: fc.boolean(),
        qty: fc.integer({ min: 1, max: 400 }),
        limitOffset: fc.option(fc.integer({ min: -200, max: 200 }), { freq: 3 }),
      }),
      { freq: 3 },
    ),
  });

  it('cash, position and equity match after every bar', async () => {
    let fillsSeen = 0;
    let partialFills = 0;
    await fc.assert(
      fc.asyncProperty(
        commissionArb,
        fc.integer({ min: 0, max: 25 }),
        fc.constantFrom('1', '10'),
        fc.boolean(),
        fc.array(stepArb, { minLength: 1, maxLength: 40 }),
        async (commission, bps, multiplier, capped, steps) => {
          const inst = testEquity('PRP', { multiplier });
          let now = DAY1;
          const ex = new SimulatedExchange({
            clock: { now: () => now },
            instruments: [inst],
            commission: commissionModel(commission),
            slippage: slippageModel({ bps }),
            fill: fillModelConfig(capped ? { participation: '0.1' } : {}),
            startingCash: new TradingDecimal('1000000'),
          });
          const pf = new Portfolio({ startingCash: '1000000', instruments: [inst] });
          const fills: ExecutionReport[] = [];
          ex.onExecutionReport((r) => {
            if (r.kind !== 'filled') return;
            fills.push(r);
            fillsSeen++;
            if (r.cumulativeQty && r.lastQty.value.lt(r.cumulativeQty.value)) partialFills++;
            pf.applyFill({
              instrumentId: r.instrumentId,
              side: r.side,
              quantity: r.lastQty,
              price: r.lastPx,
              commission: r.commission,
              ts: r.tsEvent,
            });
          });
          let n = 0;
          for (const s of steps) {
            now += MS.DAY;
            const open = s.cents / 100;
            const high = (s.cents + s.range) / 100;
            const low = Math.max(0.01, (s.cents - s.range) / 100);
            ex.processBar({
              instrumentId: inst.id,
              ts: now,
              open,
              high,
              low,
              close: open,
              volume: s.volume,
            });
            if (s.order) {
              const limit =
                s.order.limitOffset === null
                  ? undefined
                  : Price.of(Math.max(1, s.cents + s.order.limitOffset) / 100);
              ex.submitOrder({
                clientOrderId: clientOrderId(`P-${++n}`),
                instrumentId: inst.id,
                side: s.order.buy ? 'BUY' : 'SELL',
                type: limit ? 'LIMIT' : 'MARKET',
                quantity: Quantity.of(s.order.qty),
                limitPrice: limit,
                timeInForce: 'GTC',
                ts: now,
              });
            }
            const account = await ex.account();
            const positions = await ex.positions();
            pf.mark(inst.id, open, now);
            const venueQty =
              positions.length > 0 ? positions[0].quantity.value : new TradingDecimal(0);
            expect(venueQty.toFixed()).toBe(pf.position(inst.id).quantity.value.toFixed());
            expect(account.cash.amount.toFixed()).toBe(pf.cash().amount.toFixed());
            expect(account.equity.amount.toFixed()).toBe(pf.equity().amount.toFixed());
          }
        },
      ),
      { numRuns: 200 },
    );
    // the flows really trade, partial fills included (the property is not vacuous)
    expect(fillsSeen).toBeGreaterThan(500);
    expect(partialFills).toBeGreaterThan(20);
  });
});

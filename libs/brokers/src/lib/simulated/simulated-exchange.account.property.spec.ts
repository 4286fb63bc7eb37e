import fc from 'fast-check';
import { clientOrderId, Decimal, Quantity, TradingDecimal } from '@trading/domain';
import { testEquity } from '@trading/domain/testing';
import { ExecutionReport } from '../broker.port';
import { commissionModel, fillModelConfig } from './cost-models';
import { SimulatedExchange } from './simulated-exchange';

/**
 * The exchange's fill path skips work that cannot change a value: it reuses px × qty for the
 * position cost, skips additions to zero, uses the order quantity when nothing is filled yet and
 * shares quantity objects. A plain decimal.js ledger (the formulas as first written) fed with the
 * reported fills must agree with it after every bar: signed position, average price (sign of
 * zero included), cash and each fill's commission. Prices include 0 (the zero-sign corner).
 */
describe('SimulatedExchange fill path equals the plain decimal.js ledger', () => {
  const ZERO = new TradingDecimal(0);
  const specs = [
    {},
    { perUnit: '0.005', minimum: '1' },
    { pctOfNotional: '0.001', minimum: '0.35' },
    { perOrder: '2.5', perUnit: '0.01' },
    { perOrder: '-0', pctOfNotional: '0.0005' },
  ];
  const stepArb = fc.record({
    cents: fc.oneof(fc.integer({ min: 1, max: 30_000 }), fc.constant(0)),
    volume: fc.integer({ min: 0, max: 3_000 }),
    buy: fc.boolean(),
    qty: fc.integer({ min: 1, max: 500 }),
  });

  it('after every bar', async () => {
    let fills = 0;
    let partial = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: specs.length - 1 }),
        fc.constantFrom('1', '10', '0.5'),
        fc.constantFrom<'close' | 'next-open'>('close', 'next-open'),
        fc.boolean(),
        fc.array(stepArb, { minLength: 1, maxLength: 30 }),
        async (spec, multiplier, marketFill, capped, steps) => {
          const inst = testEquity('ACC', { multiplier });
          const mult = new TradingDecimal(multiplier);
          const { perUnit, perOrder, pctOfNotional, minimum } = specs[spec] as Record<
            string,
            string | undefined
          >;
          let now = 1_700_000_000_000;
          const ex = new SimulatedExchange({
            clock: { now: () => now },
            instruments: [inst],
            commission: commissionModel(specs[spec]),
            fill: fillModelConfig({ marketFill, participation: capped ? '0.1' : null }),
            startingCash: new TradingDecimal('1000000'),
          });
          // plain ledger
          let q: Decimal = ZERO;
          let cost: Decimal = ZERO;
          let cash: Decimal = new TradingDecimal('1000000');
          const perOrderState = new Map<
            string,
            { filled: Decimal; notional: Decimal; paid: Decimal }
          >();
          const total = (quantity: Decimal, notional: Decimal): Decimal => {
            let c = new TradingDecimal(perOrder ?? 0);
            if (perUnit) c = c.add(new TradingDecimal(perUnit).mul(quantity));
            if (pctOfNotional) c = c.add(new TradingDecimal(pctOfNotional).mul(notional.abs()));
            const min = new TradingDecimal(minimum ?? 0);
            return c.lt(min) ? min : c;
          };
          const reports: ExecutionReport[] = [];
          ex.onExecutionReport((r) => reports.push(r));
          let n = 0;
          for (const s of steps) {
            now += 60_000;
            const px = s.cents / 100;
            ex.processBar({
              instrumentId: inst.id,
              ts: now,
              open: px,
              high: px,
              low: px,
              close: px,
              volume: s.volume,
            });
            ex.submitOrder({
              clientOrderId: clientOrderId(`A-${++n}`),
              instrumentId: inst.id,
              side: s.buy ? 'BUY' : 'SELL',
              type: 'MARKET',
              quantity: Quantity.of(s.qty),
              timeInForce: 'GTC',
              ts: now,
            });
            for (const r of reports.splice(0)) {
              if (r.kind !== 'filled') continue;
              fills++;
              const qty = r.lastQty.value;
              const price = r.lastPx.value;
              const st = perOrderState.get(r.clientOrderId) ?? {
                filled: ZERO,
                notional: ZERO,
                paid: ZERO,
              };
              st.filled = st.filled.add(qty);
              const notional = price.mul(qty).mul(mult);
              st.notional = st.notional.add(notional);
              const t = total(st.filled, st.notional);
              const commission = t.sub(st.paid);
              st.paid = t;
              perOrderState.set(r.clientOrderId, st);
              if (st.filled.lt(s.qty)) partial++;
              expect(r.commission.amount.toFixed()).toBe(commission.toFixed());
              expect(r.cumulativeQty?.value.toFixed()).toBe(st.filled.toFixed());
              // the original applyPosition
              const signed = r.side === 'BUY' ? qty : qty.neg();
              const nq = q.add(signed);
              let ncost: Decimal;
              if (q.isZero() || q.isNegative() === signed.isNegative())
                ncost = cost.add(signed.mul(price));
              else if (nq.isZero()) ncost = ZERO;
              else if (nq.isNegative() === q.isNegative()) ncost = cost.mul(nq).div(q);
              else ncost = nq.mul(price);
              q = nq;
              cost = ncost;
              cash = r.side === 'BUY' ? cash.sub(notional) : cash.add(notional);
              cash = cash.sub(commission);
            }
            {
              // after the bar's fills and the new order's own fill (fill at close)
              const positions = await ex.positions();
              if (q.isZero()) expect(positions).toEqual([]);
              else {
                expect(positions[0].quantity.value.toFixed()).toBe(q.toFixed());
                const avg = cost.div(q);
                expect(positions[0].avgPrice.value.toFixed()).toBe(avg.toFixed());
                expect(positions[0].avgPrice.value.isNegative()).toBe(avg.isNegative());
              }
              expect((await ex.account()).cash.amount.toFixed()).toBe(cash.toFixed());
            }
          }
        },
      ),
      { numRuns: 250 },
    );
    expect(fills).toBeGreaterThan(1000);
    expect(partial).toBeGreaterThan(50);
  });
});

import { Bar, Instrument, strategyId } from '@trading/domain';
import { InMemoryHistoricalData, syntheticBarBatches } from '@trading/data-providers';
import { Strategy, StrategyContext } from '@trading/engine';
import { runBacktest } from '@trading/backtest';
const instruments = Array.from(
  { length: 10 },
  (_, k) => new Instrument({ id: `SYN${k}.SIM`, tickSize: '0.01' }),
);
const ids = instruments.map((i) => i.id);
function everyBar(id: string): Strategy {
  const flip = new Map<string, boolean>();
  return {
    id: strategyId(id),
    instruments: ids,
    onBar(bar: Bar, ctx: StrategyContext) {
      const buy = !flip.get(bar.instrumentId);
      flip.set(bar.instrumentId, buy);
      ctx.submit({ instrumentId: bar.instrumentId, side: buy ? 'BUY' : 'SELL', quantity: 1 });
    },
  };
}
(async () => {
  const N = Number(process.env.N ?? 20000);
  const data = new InMemoryHistoricalData(
    instruments.map((inst, k) => ({
      instrumentId: inst.id,
      source: 'syn',
      batches: () => syntheticBarBatches({ instrumentId: inst.id, count: N, seed: 1000 + k }),
    })),
  );
  for (let r = 0; r < 2; r++) {
    const t0 = process.hrtime.bigint();
    const res = await runBacktest({
      instruments,
      data,
      strategies: [everyBar('E' + r)],
      startingCash: 100_000_000,
      collectPrices: false,
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(
      'bars',
      res.bars,
      'orders',
      res.ordersSubmitted,
      'rate',
      Math.round(res.bars / (ms / 1000)),
      'us/order',
      ((ms * 1000) / res.ordersSubmitted).toFixed(1),
    );
  }
})();

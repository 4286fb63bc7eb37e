import { Instrument } from '@trading/domain';
import { InMemoryHistoricalData, syntheticBarBatches } from '@trading/data-providers';
import { createStrategy } from '@trading/strategies';
import { runBacktest } from '@trading/backtest';
import * as v8 from 'node:v8';
const instruments = Array.from(
  { length: 10 },
  (_, k) => new Instrument({ id: `SYN${k}.SIM`, tickSize: '0.01' }),
);
const ids = instruments.map((i) => i.id);
(async () => {
  const total = Number(process.env.BARS ?? 10_000_000);
  const per = total / 10;
  const streamed = new InMemoryHistoricalData(
    instruments.map((inst, k) => ({
      instrumentId: inst.id,
      source: 'syn',
      batches: () => syntheticBarBatches({ instrumentId: inst.id, count: per, seed: 7 + k }),
    })),
  );
  const mu = () => {
    const m = process.memoryUsage();
    return `rss ${(m.rss / 1e6) | 0} heapUsed ${(m.heapUsed / 1e6) | 0} heapTotal ${(m.heapTotal / 1e6) | 0} ext ${(m.external / 1e6) | 0} ab ${(m.arrayBuffers / 1e6) | 0} maxRSS ${(process.resourceUsage().maxRSS / 1024) | 0}`;
  };
  console.log('start', mu());
  const t0 = Date.now();
  const res = await runBacktest({
    instruments,
    data: streamed,
    strategies: [
      createStrategy('sma-cross', {
        id: 'RSS',
        instruments: ids,
        params: { period: 2000, quantity: 1 },
      }),
    ],
    startingCash: 100_000_000,
    collectPrices: true,
  });
  console.log('done', Date.now() - t0, 'ms orders', res.ordersSubmitted, mu());
  (globalThis as any).gc?.();
  console.log('after gc', mu());
  if (process.env.SNAP) {
    console.log(v8.writeHeapSnapshot('/tmp/prof/rss.heapsnapshot'));
  }
  (globalThis as any).keep = res;
})();

/**
 * Indicator and strategy hot-path throughput (libs/strategies).
 * Goals: SMA(20) ≥ 50,000,000 updates/s; RSI(14) ≥ 30,000,000 updates/s; sma-cross onBar on a
 * RecordingContext ≥ 10,000,000 bars/s with rare orders (a slow sine: a handful of crosses per pass).
 */
import { Bar, instrumentId } from '@trading/domain';
import { createStrategy, Ema, RecordingContext, Rsi, Sma } from '@trading/strategies';
import { BenchResult, throughput } from './harness';

const N = 100_000;
const iid = instrumentId('BENCH', 'SIM');

export async function run(): Promise<BenchResult[]> {
  const prices = new Float64Array(N);
  let x = 1;
  for (let i = 0; i < N; i++) {
    x = (x * 48271) % 2147483647;
    prices[i] = 100 + Math.sin(i / 50) * 5 + (x / 2147483647 - 0.5);
  }
  let sink = 0;
  const results: BenchResult[] = [];

  const sma = new Sma(20);
  results.push(
    await throughput(
      'strategies: SMA(20) update',
      () => {
        for (let i = 0; i < N; i++) sink += sma.update(prices[i]);
      },
      { opsPerCall: N, unit: 'updates/s', goal: 50_000_000 },
    ),
  );
  const rsi = new Rsi(14);
  results.push(
    await throughput(
      'strategies: RSI(14) update',
      () => {
        for (let i = 0; i < N; i++) sink += rsi.update(prices[i]);
      },
      { opsPerCall: N, unit: 'updates/s', goal: 30_000_000 },
    ),
  );
  const ema = new Ema(20);
  results.push(
    await throughput(
      'strategies: EMA(20) update (reference)',
      () => {
        for (let i = 0; i < N; i++) sink += ema.update(prices[i]);
      },
      { opsPerCall: N, unit: 'updates/s' },
    ),
  );

  // slow sine (period ≈ 31,400 bars): the close crosses its SMA(20) only a few times per pass
  const bars: Bar[] = [];
  for (let i = 0; i < N; i++) {
    const c = 100 + 10 * Math.sin(i / 5000);
    bars.push({
      instrumentId: iid,
      ts: 1_700_000_000_000 + i * 60_000,
      open: c,
      high: c,
      low: c,
      close: c,
      volume: 1,
    });
  }
  const strategy = createStrategy('sma-cross', {
    id: 'bench',
    instruments: [iid],
    params: { period: 20, quantity: 1 },
  });
  const ctx = new RecordingContext({ strategyId: 'bench', keepLogs: false });
  ctx.start(strategy);
  let passes = 0;
  results.push(
    await throughput(
      'strategies: sma-cross onBar + RecordingContext',
      () => {
        for (let i = 0; i < N; i++) ctx.step(strategy, bars[i]);
        passes++;
      },
      { opsPerCall: N, unit: 'bars/s', goal: 10_000_000 },
    ),
  );
  const ordersPerPass = ctx.decisions.length / Math.max(1, passes);
  if (ordersPerPass > 50) throw new Error(`orders are not rare: ${ordersPerPass} per ${N} bars`);
  if (sink === 42) console.log('');
  return results;
}

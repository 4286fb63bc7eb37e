/**
 * Full-kernel backtest throughput: strategy → risk → orders → simulated exchange → portfolio,
 * over 10 instruments × BARS_PER_INSTRUMENT synthetic M1 bars, with an SMA-cross strategy (rare
 * orders) and with an order every bar; plus the same SMA-cross computation as a bare typed-array
 * loop in the same run, and the kernel's ratio to it (progress measure on a noisy machine).
 * Peak RSS of a 10,000,000-bar run (streamed) is measured in its own child process by run.js
 * (this file measures its own RSS high-water mark during the rare-orders run).
 */
import { Instrument, InstrumentId, strategyId, Bar } from '@trading/domain';
import { InMemoryHistoricalData, syntheticBarBatches, BarBatch } from '@trading/data-providers';
import { Strategy, StrategyContext } from '@trading/engine';
import { runBacktest } from '@trading/backtest';
import { BenchResult } from './harness';

const INSTRUMENTS = 10;
const BARS = Number(process.env.BENCH_KERNEL_BARS ?? 1_000_000);
const PERIOD = 20;

function smaCross(id: string, instruments: InstrumentId[]): Strategy {
  // minimal local SMA-cross (same rule as strategies' sma-cross: close vs SMA, last non-zero diff)
  const state = new Map<string, { buf: Float64Array; i: number; n: number; sum: number; lastDiff: number }>();
  for (const i of instruments) state.set(i, { buf: new Float64Array(PERIOD), i: 0, n: 0, sum: 0, lastDiff: 0 });
  return {
    id: strategyId(id),
    instruments,
    onBar(bar: Bar, ctx: StrategyContext) {
      const s = state.get(bar.instrumentId)!;
      const c = bar.close;
      s.sum += c - s.buf[s.i];
      s.buf[s.i] = c;
      s.i = (s.i + 1) % PERIOD;
      if (s.n < PERIOD) {
        s.n++;
        if (s.n < PERIOD) return;
      }
      const d = c - s.sum / PERIOD;
      if (d === 0) return;
      const prev = s.lastDiff;
      s.lastDiff = d;
      if (prev < 0 && d > 0) {
        if (ctx.position(bar.instrumentId).quantity.isZero()) ctx.submit({ instrumentId: bar.instrumentId, side: 'BUY', quantity: 100 });
      } else if (prev > 0 && d < 0) {
        const q = ctx.position(bar.instrumentId).quantity;
        if (q.isPositive()) ctx.submit({ instrumentId: bar.instrumentId, side: 'SELL', quantity: q });
      }
    },
  };
}

function everyBar(id: string, instruments: InstrumentId[]): Strategy {
  let flip = false;
  return {
    id: strategyId(id),
    instruments,
    onBar(bar: Bar, ctx: StrategyContext) {
      flip = !flip;
      ctx.submit({ instrumentId: bar.instrumentId, side: flip ? 'BUY' : 'SELL', quantity: 1 });
    },
  };
}

function universe(bars: number) {
  const instruments = Array.from({ length: INSTRUMENTS }, (_, k) => new Instrument({ id: `SYN${k}.SIM`, tickSize: '0.01' }));
  const data = new InMemoryHistoricalData(
    instruments.map((inst, k) => ({ instrumentId: inst.id, source: 'syn', batches: () => syntheticBarBatches({ instrumentId: inst.id, count: bars, seed: 1000 + k }) })),
  );
  return { instruments, data };
}

/** The same SMA-cross decision computation as a bare loop over pre-generated typed arrays. */
function bareLoop(batches: BarBatch[][]): { bars: number; ms: number; signals: number } {
  const t0 = process.hrtime.bigint();
  let signals = 0;
  let bars = 0;
  for (const series of batches) {
    const buf = new Float64Array(PERIOD);
    let i = 0, n = 0, sum = 0, last = 0;
    for (const b of series) {
      const close = b.close;
      for (let k = 0; k < b.length; k++) {
        const c = close[k];
        sum += c - buf[i];
        buf[i] = c;
        i = (i + 1) % PERIOD;
        bars++;
        if (n < PERIOD) { n++; if (n < PERIOD) continue; }
        const d = c - sum / PERIOD;
        if (d === 0) continue;
        if ((last < 0 && d > 0) || (last > 0 && d < 0)) signals++;
        last = d;
      }
    }
  }
  return { bars, ms: Number(process.hrtime.bigint() - t0) / 1e6, signals };
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const total = INSTRUMENTS * BARS;

  // bare loop reference (data generated up front, excluded from timing)
  const pre = Array.from({ length: INSTRUMENTS }, (_, k) => [...syntheticBarBatches({ instrumentId: `SYN${k}.SIM`, count: BARS, seed: 1000 + k })]);
  bareLoop(pre); // warm-up
  const bare = bareLoop(pre);
  const bareRate = bare.bars / (bare.ms / 1000);
  pre.length = 0;

  // kernel, rare orders
  {
    const { instruments, data } = universe(BARS);
    const t0 = process.hrtime.bigint();
    const res = await runBacktest({ instruments, data, strategies: [smaCross('SMA', instruments.map((i) => i.id))], startingCash: 10_000_000, collectPrices: false });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const rate = res.bars / (ms / 1000);
    results.push({ name: `kernel: sma-cross, ${INSTRUMENTS}×${BARS.toLocaleString('en-US')} M1 bars (rare orders: ${res.ordersSubmitted} orders)`, value: Math.round(rate), unit: 'bars/s', goal: 3_000_000, better: 'higher' });
    results.push({ name: 'kernel: bare typed-array SMA-cross loop (same run)', value: Math.round(bareRate), unit: 'bars/s', goal: null, better: 'higher' });
    results.push({ name: 'kernel: ratio kernel / bare loop (rare orders)', value: +(100 * rate / bareRate).toFixed(3), unit: '%', goal: 2, better: 'higher' });
    if (res.bars !== total) throw new Error(`processed ${res.bars} bars, expected ${total}`);
  }
  // kernel, an order every bar (fewer bars: the goal is per bar)
  {
    const bars = Math.max(1, Math.floor(BARS / 10));
    const { instruments, data } = universe(bars);
    const t0 = process.hrtime.bigint();
    const res = await runBacktest({ instruments, data, strategies: [everyBar('EVERY', instruments.map((i) => i.id))], startingCash: 10_000_000, collectPrices: false });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    results.push({ name: `kernel: order every bar, ${INSTRUMENTS}×${bars.toLocaleString('en-US')} M1 bars (${res.ordersSubmitted} orders)`, value: Math.round(res.bars / (ms / 1000)), unit: 'bars/s', goal: 500_000, better: 'higher' });
  }
  results.push({ name: 'kernel: peak RSS during the runs', value: Math.round(process.resourceUsage().maxRSS / 1024), unit: 'MB', goal: null, better: 'lower' });
  return results;
}

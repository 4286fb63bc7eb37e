/**
 * Full-kernel backtest throughput: strategy → risk → orders → simulated exchange → portfolio, over
 * 10 instruments × BARS synthetic M1 bars (pre-generated into memory so data generation is not
 * timed), for:
 *  - the real `sma-cross` strategy (period 20; on random-walk data it trades on ≈ 12% of bars),
 *  - a strategy that never orders (the per-bar data path of the kernel),
 *  - a strategy that sends an order on every bar (alternating buy/sell per instrument);
 * plus the same SMA-cross computation as a bare typed-array loop over the same arrays, and the
 * kernel's ratio to it. Peak RSS is measured first, on streamed 10,000,000-bar runs (bars are
 * generated on the fly, never all in memory), each in its own child process (tools/bench/rss-child.js).
 */
import { Bar, Instrument, strategyId } from '@trading/domain';
import { BarBatch, InMemoryHistoricalData, syntheticBarBatches } from '@trading/data-providers';
import { Strategy, StrategyContext } from '@trading/engine';
import { createStrategy } from '@trading/strategies';
import { runBacktest } from '@trading/backtest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { BenchResult } from './harness';

const INSTRUMENTS = 10;
const BARS = Number(process.env.BENCH_KERNEL_BARS ?? 1_000_000);
const PERIOD = 20;

const instruments = Array.from(
  { length: INSTRUMENTS },
  (_, k) => new Instrument({ id: `SYN${k}.SIM`, tickSize: '0.01' }),
);
const ids = instruments.map((i) => i.id);

function silent(id: string): Strategy {
  return { id: strategyId(id), instruments: ids, onBar: () => undefined };
}

/** One market order on every bar, alternating buy and sell per instrument (round trips). */
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

/** The same SMA-cross decision computation as a bare loop over the typed arrays. */
function bareLoop(series: BarBatch[][]): { bars: number; ms: number; signals: number } {
  const t0 = process.hrtime.bigint();
  let signals = 0;
  let bars = 0;
  for (const batches of series) {
    const buf = new Float64Array(PERIOD);
    let i = 0;
    let n = 0;
    let sum = 0;
    let last = 0;
    for (const b of batches) {
      const close = b.close;
      for (let k = 0; k < b.length; k++) {
        const c = close[k];
        sum += c - buf[i];
        buf[i] = c;
        i = (i + 1) % PERIOD;
        bars++;
        if (n < PERIOD) {
          n++;
          if (n < PERIOD) continue;
        }
        const d = c - sum / PERIOD;
        if (d === 0) continue;
        if ((last < 0 && d > 0) || (last > 0 && d < 0)) signals++;
        last = d;
      }
    }
  }
  return { bars, ms: Number(process.hrtime.bigint() - t0) / 1e6, signals };
}

interface RssRun {
  maxRssMb: number;
  bars: number;
  orders: number;
  fills: number;
  trades: number;
}

/**
 * Builds the libraries (nx build, cached), links dist/libs/* as `dist/node_modules/@trading/*` and
 * runs tools/bench/rss-child.js in a fresh `node` process per scenario.
 */
function rssRuns(
  totalBars: number,
  scenarios: readonly (readonly ['compiled' | 'source', 'quiet' | 'orders'])[],
): RssRun[] {
  const root = path.resolve(__dirname, '../..');
  const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
  const build = spawnSync(
    'npx',
    ['nx', 'run-many', '-t', 'build', '--projects=backtest,strategies,data-providers'],
    { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (build.status !== 0) throw new Error(`nx build failed:\n${build.stdout}\n${build.stderr}`);
  // dist/node_modules is on the resolution path of every dist/libs/* file, so the compiled libs
  // find each other (and the workspace's node_modules for third-party packages) like installed ones.
  const modules = path.join(root, 'dist/node_modules/@trading');
  rmSync(modules, { recursive: true, force: true });
  mkdirSync(modules, { recursive: true });
  for (const lib of readdirSync(path.join(root, 'dist/libs')))
    symlinkSync(path.join(root, 'dist/libs', lib), path.join(modules, lib));
  return scenarios.map(([how, mode]) => {
    const r = spawnSync(
      process.execPath,
      [path.join(__dirname, 'rss-child.js'), how, mode, String(totalBars)],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('@@RSS@@'));
    if (r.status !== 0 || !line)
      throw new Error(`rss-child ${how} ${mode} failed (exit ${r.status})`);
    return JSON.parse(line.slice('@@RSS@@'.length)) as RssRun;
  });
}

async function timed(strategy: Strategy, data: InMemoryHistoricalData) {
  const t0 = process.hrtime.bigint();
  const res = await runBacktest({
    instruments,
    data,
    strategies: [strategy],
    startingCash: 100_000_000,
    collectPrices: false,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { res, rate: res.bars / (ms / 1000) };
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const fmt = (n: number) => n.toLocaleString('en-US');

  // 1) Peak RSS of streamed 10M-bar runs, each in its own child process on the compiled libraries
  //    (dist/, as deployed): the order-free data path, then sma-cross(2000) whose fills and round
  //    trips are all kept in memory for the report. The same sma-cross run on the TypeScript
  //    sources (@swc-node/register, ~75 MB of compiler before any bar) is printed without a goal.
  {
    const total = Number(process.env.BENCH_RSS_BARS ?? 10_000_000);
    const [quiet, orders, source] = rssRuns(total, [
      ['compiled', 'quiet'],
      ['compiled', 'orders'],
      ['source', 'orders'],
    ]);
    results.push({
      name: `kernel: peak RSS, streamed ${fmt(quiet.bars)}-bar run without orders (compiled, data path + report prices)`,
      value: quiet.maxRssMb,
      unit: 'MB',
      goal: 400,
      better: 'lower',
    });
    results.push({
      name: `kernel: peak RSS, streamed ${fmt(orders.bars)}-bar sma-cross(2000) run (compiled; ${fmt(orders.orders)} orders, ${fmt(orders.fills)} fills, ${fmt(orders.trades)} trades kept)`,
      value: orders.maxRssMb,
      unit: 'MB',
      goal: 400,
      better: 'lower',
    });
    results.push({
      name: `kernel: peak RSS, same sma-cross(2000) run on the TS sources (@swc-node/register in process)`,
      value: source.maxRssMb,
      unit: 'MB',
      goal: null,
      better: 'lower',
    });
  }

  // 2) pre-generated data shared by all timed runs
  const series = instruments.map((inst, k) => [
    ...syntheticBarBatches({ instrumentId: inst.id, count: BARS, seed: 1000 + k }),
  ]);
  const data = new InMemoryHistoricalData(
    instruments.map((inst, k) => ({ instrumentId: inst.id, source: 'syn', batches: series[k] })),
  );

  bareLoop(series);
  const bare = bareLoop(series);
  const bareRate = bare.bars / (bare.ms / 1000);

  const sma = await timed(
    createStrategy('sma-cross', {
      id: 'SMA',
      instruments: ids,
      params: { period: PERIOD, quantity: 100 },
    }),
    data,
  );
  const pct = ((100 * sma.res.ordersSubmitted) / sma.res.bars).toFixed(1);
  results.push({
    name: `kernel: sma-cross(${PERIOD}), ${INSTRUMENTS}×${fmt(BARS)} M1 bars (orders on ${pct}% of bars)`,
    value: Math.round(sma.rate),
    unit: 'bars/s',
    goal: 3_000_000,
    better: 'higher',
  });
  const rare = await timed(
    createStrategy('sma-cross', {
      id: 'SMA2000',
      instruments: ids,
      params: { period: 2000, quantity: 100 },
    }),
    data,
  );
  results.push({
    name: `kernel: sma-cross(2000), ${INSTRUMENTS}×${fmt(BARS)} M1 bars (rarer orders: ${((100 * rare.res.ordersSubmitted) / rare.res.bars).toFixed(2)}% of bars)`,
    value: Math.round(rare.rate),
    unit: 'bars/s',
    goal: 3_000_000,
    better: 'higher',
  });
  const quiet = await timed(silent('QUIET'), data);
  results.push({
    name: `kernel: strategy without orders, ${INSTRUMENTS}×${fmt(BARS)} M1 bars (data path)`,
    value: Math.round(quiet.rate),
    unit: 'bars/s',
    goal: 3_000_000,
    better: 'higher',
  });
  results.push({
    name: 'kernel: bare typed-array SMA-cross loop (same run, same arrays)',
    value: Math.round(bareRate),
    unit: 'bars/s',
    goal: null,
    better: 'higher',
  });
  results.push({
    name: 'kernel: ratio sma-cross kernel / bare loop',
    value: +((100 * sma.rate) / bareRate).toFixed(3),
    unit: '%',
    goal: 2,
    better: 'higher',
  });
  results.push({
    name: 'kernel: ratio order-free kernel / bare loop',
    value: +((100 * quiet.rate) / bareRate).toFixed(3),
    unit: '%',
    goal: 2,
    better: 'higher',
  });

  const everyBars = Math.max(1, Math.floor(BARS / 20));
  const small = new InMemoryHistoricalData(
    instruments.map((inst, k) => ({
      instrumentId: inst.id,
      source: 'syn',
      batches: () =>
        syntheticBarBatches({ instrumentId: inst.id, count: everyBars, seed: 1000 + k }),
    })),
  );
  const every = await timed(everyBar('EVERY'), small);
  results.push({
    name: `kernel: order every bar, ${INSTRUMENTS}×${fmt(everyBars)} M1 bars (${fmt(every.res.ordersSubmitted)} orders)`,
    value: Math.round(every.rate),
    unit: 'bars/s',
    goal: 500_000,
    better: 'higher',
  });
  return results;
}

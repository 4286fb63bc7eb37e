/**
 * Full-kernel backtest throughput: strategy → risk → orders → simulated exchange → portfolio, over
 * 10 instruments × BARS synthetic M1 bars (pre-generated into memory so data generation is not
 * timed), for:
 *  - `sma-cross(2000)`: the real strategy with rare orders (≈ 1.2 % of bars on random-walk data):
 *    the issue's "≥ 3,000,000 bars/s with rare orders" line, and its ratio to the bare loop;
 *  - `sma-cross(20)`: the same strategy ordering on ≈ 12.5 % of bars (neither rare nor every bar:
 *    printed without a goal, to show how the cost grows with the order rate);
 *  - a strategy that never orders (the per-bar data path of the kernel), and one that holds a
 *    position in every instrument (the same path with every bar consumed; no goal);
 *  - a strategy that sends an order on every bar (alternating buy/sell per instrument);
 * plus the same SMA-cross computation as a bare typed-array loop over the same arrays in the same
 * process, and the kernel's ratio to it. Every timed scenario runs in its own child process on the
 * compiled libraries (tools/bench/kernel-child.js), so no scenario runs on a heap still holding
 * another's results. The scenarios with a goal (sma-cross(2000), an order every bar) run in three
 * processes each (BENCH_KERNEL_FORKS) and report the median, with the spread in the name. Peak RSS
 * is measured first, on streamed 10,000,000-bar runs (bars are
 * generated on the fly, never all in memory), each in its own child process (tools/bench/rss-child.js).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { BenchResult } from './harness';

const INSTRUMENTS = 10;
const BARS = Number(process.env.BENCH_KERNEL_BARS ?? 1_000_000);

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
const root = path.resolve(__dirname, '../..');

function buildCompiled(): void {
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
}

function rssRuns(
  totalBars: number,
  scenarios: readonly (readonly ['compiled' | 'source', 'quiet' | 'orders'])[],
): RssRun[] {
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

interface KernelRun {
  bars: number;
  orders: number;
  ms: number;
  rate: number;
  bareRate: number;
  bareSignals: number;
}

/** One timed scenario in its own `node` process on the compiled libraries. */
function timed(scenario: string, barsPerInstrument: number): KernelRun {
  const r = spawnSync(
    process.execPath,
    [path.join(__dirname, 'kernel-child.js'), scenario, String(barsPerInstrument)],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('@@KERNEL@@'));
  if (r.status !== 0 || !line)
    throw new Error(`kernel-child ${scenario} failed (exit ${r.status})`);
  return JSON.parse(line.slice('@@KERNEL@@'.length)) as KernelRun;
}

/** Processes per goal-bearing timed scenario (JMH-style forks); the median run is reported. */
const FORKS = Number(process.env.BENCH_KERNEL_FORKS ?? 3);

/**
 * A goal-bearing scenario run in `FORKS` fresh processes: the run with the median rate (its own
 * bare loop gives the ratio), and every fork's rate for the printed spread. One cold run on a
 * shared 2-core machine varies by ±10 %; the median of three does not hang on one slow moment.
 */
function timedMedian(
  scenario: string,
  barsPerInstrument: number,
): { run: KernelRun; rates: number[]; ratios: number[] } {
  const runs: KernelRun[] = [];
  for (let i = 0; i < Math.max(1, FORKS); i++) runs.push(timed(scenario, barsPerInstrument));
  const byRate = [...runs].sort((a, b) => a.rate - b.rate);
  const ratios = runs.map((x) => (100 * x.rate) / x.bareRate).sort((a, b) => a - b);
  return {
    run: byRate[(byRate.length - 1) >> 1],
    rates: byRate.map((x) => x.rate),
    ratios,
  };
}

/** "median of 3 processes: 2.9–3.3 M" for a result name. */
function spread(values: number[], unit: (v: number) => string): string {
  if (values.length < 2) return 'one process';
  return `median of ${values.length} processes: ${unit(values[0])}–${unit(values[values.length - 1])}`;
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const fmt = (n: number) => n.toLocaleString('en-US');

  buildCompiled();
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

  // 2) timed scenarios, each in its own process with its own bare loop over the same arrays
  const rareForks = timedMedian('sma:2000', BARS);
  const rare = rareForks.run;
  const pctOf = (r: KernelRun, digits: number) => ((100 * r.orders) / r.bars).toFixed(digits);
  const mega = (v: number) => `${(v / 1e6).toFixed(2)} M`;
  results.push({
    name: `kernel: sma-cross(2000), ${INSTRUMENTS}×${fmt(BARS)} M1 bars, rare orders (${pctOf(rare, 2)}% of bars, ${fmt(rare.orders)} orders; ${spread(rareForks.rates, mega)})`,
    value: Math.round(rare.rate),
    unit: 'bars/s',
    goal: 3_000_000,
    better: 'higher',
  });
  results.push({
    name: 'kernel: bare typed-array SMA(2000)-cross loop (same process, same arrays)',
    value: Math.round(rare.bareRate),
    unit: 'bars/s',
    goal: null,
    better: 'higher',
  });
  results.push({
    name: `kernel: ratio sma-cross(2000) kernel / bare loop (${spread(rareForks.ratios, (v) => `${v.toFixed(2)} %`)})`,
    value: +rareForks.ratios[(rareForks.ratios.length - 1) >> 1].toFixed(3),
    unit: '%',
    goal: 2,
    better: 'higher',
  });
  const sma = timed('sma:20', BARS);
  results.push({
    name: `kernel: sma-cross(20), ${INSTRUMENTS}×${fmt(BARS)} M1 bars (orders on ${pctOf(sma, 1)}% of bars; no goal: neither rare nor every bar)`,
    value: Math.round(sma.rate),
    unit: 'bars/s',
    goal: null,
    better: 'higher',
  });
  results.push({
    name: 'kernel: ratio sma-cross(20) kernel / bare loop (informational)',
    value: +((100 * sma.rate) / sma.bareRate).toFixed(3),
    unit: '%',
    goal: null,
    better: 'higher',
  });
  const quiet = timed('quiet', BARS);
  results.push({
    name: `kernel: strategy without orders, ${INSTRUMENTS}×${fmt(BARS)} M1 bars (data path)`,
    value: Math.round(quiet.rate),
    unit: 'bars/s',
    goal: 3_000_000,
    better: 'higher',
  });
  results.push({
    name: 'kernel: ratio order-free kernel / bare loop',
    value: +((100 * quiet.rate) / quiet.bareRate).toFixed(3),
    unit: '%',
    goal: 2,
    better: 'higher',
  });
  // With a no-op strategy V8 drops the bar columns nobody reads; holding positions makes every
  // bar count (marks, excursions of open trades): the data path a trading strategy really pays.
  const hold = timed('hold', BARS);
  results.push({
    name: `kernel: strategy holding 10 positions, no further orders, ${INSTRUMENTS}×${fmt(BARS)} M1 bars (data path with every bar consumed)`,
    value: Math.round(hold.rate),
    unit: 'bars/s',
    goal: null,
    better: 'higher',
  });
  const everyBars = Math.max(1, Math.floor(BARS / 20));
  const everyForks = timedMedian('every', everyBars);
  const every = everyForks.run;
  results.push({
    name: `kernel: order every bar, ${INSTRUMENTS}×${fmt(everyBars)} M1 bars (${fmt(every.orders)} orders; ${spread(everyForks.rates, (v) => `${fmt(Math.round(v / 1000))}k`)})`,
    value: Math.round(every.rate),
    unit: 'bars/s',
    goal: 500_000,
    better: 'higher',
  });
  results.push({
    name: 'kernel: cost of one order round trip, every bar (run time / orders)',
    value: +((every.ms * 1000) / every.orders).toFixed(2),
    unit: 'µs',
    goal: null,
    better: 'lower',
  });
  return results;
}

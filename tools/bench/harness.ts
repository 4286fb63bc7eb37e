/**
 * Benchmark harness shared by every `tools/bench/*.bench.ts` file.
 *
 * A bench file exports `run(): Promise<BenchResult[]>`. `npm run bench` (tools/bench/run.js)
 * runs each file in its own child process (so RSS and JIT state do not leak between them),
 * prints one table of figure vs goal, and writes `dist/bench/results.json`.
 * A missed goal is reported, never an error.
 */
import { Bench } from 'tinybench';

/** One measured figure. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  goal: number | null;
  better: 'higher' | 'lower';
}

/**
 * Measures operations per second of `fn` with tinybench. `opsPerCall` scales the rate when one
 * call performs many operations (e.g. a loop of 10,000 appends).
 */
export async function throughput(
  name: string,
  fn: () => void | Promise<void>,
  opts: {
    opsPerCall?: number;
    unit?: string;
    goal?: number | null;
    timeMs?: number;
    warmupMs?: number;
  } = {},
): Promise<BenchResult> {
  const bench = new Bench({ time: opts.timeMs ?? 1000, warmupTime: opts.warmupMs ?? 200 });
  bench.add(name, fn);
  await bench.run();
  const task = bench.tasks[0];
  const r = task.result as unknown as {
    throughput?: { mean: number };
    hz?: number;
    error?: unknown;
    state?: string;
  };
  if (r?.error) throw r.error;
  const hz = r?.throughput?.mean ?? r?.hz ?? 0;
  return {
    name,
    value: Math.round(hz * (opts.opsPerCall ?? 1)),
    unit: opts.unit ?? 'ops/s',
    goal: opts.goal ?? null,
    better: 'higher',
  };
}

/** Times one run of `fn` (after `warmups` unmeasured runs) and returns elapsed ms. */
export async function timeOnce(fn: () => unknown | Promise<unknown>, warmups = 0): Promise<number> {
  for (let i = 0; i < warmups; i++) await fn();
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Percentile (0–100) of a numeric sample (nearest-rank). */
export function percentile(sample: number[], p: number): number {
  if (sample.length === 0) return NaN;
  const s = [...sample].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

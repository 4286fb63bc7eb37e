import { Bar, InstrumentId, StrategyId, ValidationError } from '@trading/domain';
import type { Strategy, StrategyFactory } from '@trading/engine';
import {
  RecordedDecision,
  RecordingContext,
  RecordingContextOptions,
  runBars,
} from './recording-context';
import { RawParams } from './sdk/params';

/**
 * How the checker obtains a fresh strategy for each run: a factory with its arguments, or a
 * function receiving the history of that run (the full series or a truncated copy). A function
 * that keeps the array it receives can only see what that run is allowed to see, so a strategy
 * that peeks at `history[i + 1]` is caught.
 */
export type StrategySource =
  | {
      readonly factory: StrategyFactory;
      readonly id: StrategyId | string;
      readonly instruments: readonly (InstrumentId | string)[];
      readonly params?: RawParams;
    }
  | ((history: readonly Bar[]) => Strategy);

/** Options of {@link checkLookAhead}. */
export interface LookAheadOptions {
  /** Explicit cut points t (the truncated run sees bars[0..t]). */
  readonly cuts?: readonly number[];
  /** Also cut after every k-th bar (default: about 40 evenly spaced cuts). */
  readonly every?: number;
  /** Also this many random cut points (default 10). */
  readonly randomCuts?: number;
  /** Seed of the random cut points (default 1). */
  readonly seed?: number;
  /** Options of every run's {@link RecordingContext}. */
  readonly context?: RecordingContextOptions;
}

/** The first decision that differs between the full run and a truncated run. */
export interface LookAheadDifference {
  /** The truncated run saw bars[0..cut]. */
  readonly cut: number;
  /** Position of the decision in the decision list. */
  readonly position: number;
  /** Bar index at which the decision was (or should have been) made. */
  readonly barIndex: number;
  /** The full run's decision (undefined: the truncated run made an extra one). */
  readonly expected: RecordedDecision | undefined;
  /** The truncated run's decision (undefined: it is missing). */
  readonly actual: RecordedDecision | undefined;
}

/** Result of {@link checkLookAhead}. */
export interface LookAheadReport {
  /** True when every truncated run made the same decisions as the full run up to its cut. */
  readonly ok: boolean;
  readonly bars: number;
  /** Cut points checked (ascending). */
  readonly cuts: readonly number[];
  /** Decisions of the full run. */
  readonly decisions: number;
  /** The first difference (lowest cut), when not ok. */
  readonly firstDifference?: LookAheadDifference;
}

/** Deterministic PRNG (mulberry32) for the random cut points. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function build(source: StrategySource, history: readonly Bar[]): Strategy {
  if (typeof source === 'function') return source(history);
  return source.factory.create({
    id: source.id as StrategyId,
    instruments: source.instruments as readonly InstrumentId[],
    params: source.params ?? {},
  });
}

/** The cut points: explicit, every k-th bar and seeded random ones; deduplicated, ascending, in [0, n−2]. */
export function lookAheadCuts(n: number, opts: LookAheadOptions = {}): number[] {
  const set = new Set<number>();
  const last = n - 2; // cutting at n−1 is the full run
  if (last < 0) return [];
  for (const c of opts.cuts ?? []) {
    if (!Number.isSafeInteger(c) || c < 0 || c >= n)
      throw new ValidationError('cuts', c, `must be integers in [0, ${n - 1}]`);
    if (c <= last) set.add(c);
  }
  const every = opts.every ?? Math.max(1, Math.floor(n / 40));
  if (!Number.isSafeInteger(every) || every < 1)
    throw new ValidationError('every', every, 'must be an integer ≥ 1');
  for (let c = every - 1; c <= last; c += every) set.add(c);
  const rnd = mulberry32(opts.seed ?? 1);
  for (let i = 0; i < (opts.randomCuts ?? 10); i++) set.add(Math.floor(rnd() * (last + 1)));
  return [...set].sort((a, b) => a - b);
}

/**
 * Look-ahead bias check. Runs the strategy on the full history, then on truncated histories
 * `bars[0..t]` for every cut t (fresh strategy and {@link RecordingContext} each run, `onStop` is not
 * called), and requires that every decision made at a bar ≤ t is identical (same order, kind, arguments
 * and bar index) with and without the later bars. A strategy that uses future bars in any way that
 * changes a decision fails; the report gives the first difference.
 */
export function checkLookAhead(
  source: StrategySource,
  bars: readonly Bar[],
  opts: LookAheadOptions = {},
): LookAheadReport {
  const run = (history: readonly Bar[]): RecordingContext => {
    const strategy = build(source, history);
    return runBars(strategy, history, {
      ...opts.context,
      strategyId: opts.context?.strategyId ?? strategy.id,
      keepLogs: false,
    });
  };
  const full = run(bars).decisions;
  const cuts = lookAheadCuts(bars.length, opts);
  for (const cut of cuts) {
    const expected = full.filter((d) => d.barIndex <= cut);
    const actual = run(bars.slice(0, cut + 1)).decisions;
    const n = Math.max(expected.length, actual.length);
    for (let i = 0; i < n; i++) {
      const e = expected[i];
      const a = actual[i];
      if (e && a && e.key === a.key && e.barIndex === a.barIndex) continue;
      const barIndex = Math.min(e?.barIndex ?? Infinity, a?.barIndex ?? Infinity);
      return {
        ok: false,
        bars: bars.length,
        cuts,
        decisions: full.length,
        firstDifference: { cut, position: i, barIndex, expected: e, actual: a },
      };
    }
  }
  return { ok: true, bars: bars.length, cuts, decisions: full.length };
}

/** Human-readable one-line summary of a report. */
export function formatLookAheadReport(r: LookAheadReport): string {
  if (r.ok)
    return `look-ahead check passed: ${r.cuts.length} cuts over ${r.bars} bars, ${r.decisions} decisions`;
  const d = r.firstDifference as LookAheadDifference;
  return (
    `look-ahead bias: with bars[0..${d.cut}] the decision #${d.position} at bar ${d.barIndex} differs; ` +
    `expected ${d.expected ? d.expected.key : 'none'}, got ${d.actual ? d.actual.key : 'none'}`
  );
}

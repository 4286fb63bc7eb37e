/** Fakes and test helpers of @trading/strategies for other libs' tests. */
import { Bar, InstrumentId } from '@trading/domain';

export { RecordingContext, runBars } from './lib/recording-context';
export type {
  RecordedDecision,
  RecordedFill,
  RecordedLog,
  RecordingContextOptions,
  DecisionKind,
} from './lib/recording-context';
export { checkLookAhead, formatLookAheadReport } from './lib/look-ahead';

/**
 * Deterministic random-walk bars (mulberry32 seed): close moves by a relative step of up to
 * ±`volatility`, open = previous close, high/low extend beyond open/close by a random wick, prices
 * rounded to cents, one bar per `stepMs` from `startTs`.
 */
export function randomWalkBars(opts: {
  instrumentId: InstrumentId;
  count: number;
  seed?: number;
  start?: number;
  volatility?: number;
  startTs?: number;
  stepMs?: number;
}): Bar[] {
  let a = (opts.seed ?? 42) >>> 0;
  const rnd = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const vol = opts.volatility ?? 0.01;
  const step = opts.stepMs ?? 60_000;
  const cents = (x: number): number => Math.round(x * 100) / 100;
  const bars: Bar[] = [];
  let prev = opts.start ?? 100;
  for (let i = 0; i < opts.count; i++) {
    const open = cents(prev);
    const close = cents(Math.max(0.01, open * (1 + (rnd() * 2 - 1) * vol)));
    const high = cents(Math.max(open, close) * (1 + rnd() * vol * 0.5));
    const low = cents(Math.max(0.01, Math.min(open, close) * (1 - rnd() * vol * 0.5)));
    bars.push({
      instrumentId: opts.instrumentId,
      ts: (opts.startTs ?? 1_700_000_000_000) + (i + 1) * step,
      open,
      high,
      low,
      close,
      volume: 100 + Math.floor(rnd() * 1000),
    });
    prev = close;
  }
  return bars;
}

import { MS, ValidationError } from '@trading/domain';

/** Bar timeframes the aggregator supports. Intraday buckets are aligned on the UTC epoch. */
export type Timeframe = 'M1' | 'M5' | 'M15' | 'M30' | 'H1' | 'D1';

/** Every supported timeframe, shortest first. */
export const TIMEFRAMES: readonly Timeframe[] = ['M1', 'M5', 'M15', 'M30', 'H1', 'D1'];

const DURATION: Record<Timeframe, number> = {
  M1: MS.MINUTE,
  M5: 5 * MS.MINUTE,
  M15: 15 * MS.MINUTE,
  M30: 30 * MS.MINUTE,
  H1: MS.HOUR,
  D1: MS.DAY,
};

/** Validates a timeframe name. */
export function assertTimeframe(tf: unknown, field = 'timeframe'): Timeframe {
  if (typeof tf !== 'string' || !(tf in DURATION))
    throw new ValidationError(field, tf, `must be one of ${TIMEFRAMES.join(', ')}`);
  return tf as Timeframe;
}

/** Nominal duration of a timeframe in ms (D1: 24 h; D1 buckets follow exchange sessions, not this). */
export function timeframeMs(tf: Timeframe): number {
  return DURATION[assertTimeframe(tf)];
}

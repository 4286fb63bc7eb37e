import { IANAZone } from 'luxon';
import { assertZone, MS } from '@trading/domain';
import { EquityPoint } from './analytics.types';

/** Exchange time zone used to cut the equity curve into trading days. */
export const DEFAULT_REPORT_TIME_ZONE = 'America/New_York';

const OFFSET_BUCKET_MS = 15 * MS.MINUTE;

/**
 * Returns a function mapping a UTC instant to its exchange-local calendar day number (days since
 * 1970-01-01 local). UTC offsets are looked up once per 15-minute bucket (zone transitions happen
 * on quarter-hour boundaries), which keeps million-point curves fast.
 */
export function localDayKeyer(timeZone: string): (ts: number) => number {
  const zone = IANAZone.create(assertZone(timeZone));
  const cache = new Map<number, number>();
  return (ts) => {
    const bucket = Math.floor(ts / OFFSET_BUCKET_MS);
    let off = cache.get(bucket);
    if (off === undefined) {
      off = zone.offset(bucket * OFFSET_BUCKET_MS);
      cache.set(bucket, off);
    }
    return Math.floor((ts + off * MS.MINUTE) / MS.DAY);
  };
}

/**
 * Resamples an equity curve (sorted by `ts`) to one point per exchange-local calendar day: the
 * last point of each day in `timeZone` (the day's closing equity). Days without points are
 * skipped, so weekends and holidays produce no zero returns.
 */
export function resampleToTradingDays<T extends { ts: number }>(
  curve: readonly T[],
  timeZone = DEFAULT_REPORT_TIME_ZONE,
): T[] {
  const dayOf = localDayKeyer(timeZone);
  const out: T[] = [];
  let lastDay = NaN;
  for (const p of curve) {
    const day = dayOf(p.ts);
    if (day === lastDay) out[out.length - 1] = p;
    else out.push(p);
    lastDay = day;
  }
  return out;
}

/**
 * Simple period returns `v[i] / v[i-1] − 1`. A period that starts at a non-positive value has no
 * defined return and is skipped (after ruin, returns are meaningless).
 */
export function simpleReturns(values: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < values.length; i++) {
    const prev = values[i - 1];
    if (prev > 0) out.push(values[i] / prev - 1);
  }
  return out;
}

/** One point of the drawdown series: the fractional distance below the running peak (≥ 0). */
export interface DrawdownPoint {
  readonly ts: number;
  /** (peak − equity) / peak; 0 at a new high; 0 while the running peak is not positive. */
  readonly drawdown: number;
}

/** Drawdown as a fraction of the running peak for each point of the curve. */
export function drawdownSeries(curve: readonly { ts: number; value: number }[]): DrawdownPoint[] {
  let peak = -Infinity;
  return curve.map(({ ts, value }) => {
    if (value > peak) peak = value;
    return { ts, drawdown: peak > 0 ? (peak - value) / peak : 0 };
  });
}

/** A drawdown episode: from a peak, through a trough, to recovery (or the end of data). */
export interface DrawdownPeriod {
  /** Time of the peak the episode starts from. */
  readonly startTs: number;
  /** Time of the lowest point. */
  readonly troughTs: number;
  /** Time equity first got back to the peak; null when it never did. */
  readonly endTs: number | null;
  /** Maximum fractional drawdown in the episode. */
  readonly depth: number;
  /** endTs (or the last point when not recovered) − startTs, in ms. */
  readonly durationMs: number;
  readonly recovered: boolean;
}

/**
 * Splits a curve into drawdown episodes. An episode starts at the last point at the running peak
 * before equity falls below it and ends at the first point at or above that peak.
 */
export function drawdownPeriods(curve: readonly { ts: number; value: number }[]): DrawdownPeriod[] {
  const out: DrawdownPeriod[] = [];
  if (curve.length === 0) return out;
  let peak = curve[0].value;
  let peakTs = curve[0].ts;
  let inDd = false;
  let trough = peak;
  let troughTs = peakTs;
  const depthOf = (low: number) => (peak > 0 ? (peak - low) / peak : 0);
  for (const { ts, value } of curve) {
    if (value >= peak) {
      if (inDd) {
        out.push({
          startTs: peakTs,
          troughTs,
          endTs: ts,
          depth: depthOf(trough),
          durationMs: ts - peakTs,
          recovered: true,
        });
        inDd = false;
      }
      peak = value;
      peakTs = ts;
    } else {
      if (!inDd || value < trough) {
        trough = value;
        troughTs = ts;
      }
      inDd = true;
    }
  }
  if (inDd) {
    const lastTs = curve[curve.length - 1].ts;
    out.push({
      startTs: peakTs,
      troughTs,
      endTs: null,
      depth: depthOf(trough),
      durationMs: lastTs - peakTs,
      recovered: false,
    });
  }
  return out;
}

/** Milliseconds → calendar days (fractional). */
export function msToDays(ms: number): number {
  return ms / MS.DAY;
}

/** Numeric (float64) view of an equity curve, for analytics. */
export function equityValues(curve: readonly EquityPoint[]): { ts: number; value: number }[] {
  return curve.map((p) => ({ ts: p.ts, value: p.equity.toNumber() }));
}

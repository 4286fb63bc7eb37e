import { exchangeDay } from '@trading/domain';

/** JSON form of the submission counters (part of the risk snapshot). */
export interface RateCountersSnapshot {
  /** Start (UTC ms, inclusive) of the exchange day being counted; null before the first order. */
  readonly dayStart: number | null;
  /** End (UTC ms, exclusive) of that day; null before the first order. */
  readonly dayEnd: number | null;
  /** Exchange-local date (yyyy-MM-dd) of that day; null before the first order. */
  readonly day: string | null;
  /** Submissions counted in that day. */
  readonly dayCount: number;
  /** Timestamps of the latest submissions, oldest first (at most maxOrdersPerSecond of them). */
  readonly recent: readonly number[];
}

/** Window of the per-second limit, in ms. */
export const RATE_WINDOW_MS = 1_000;

/**
 * Submission counters for orders/day and orders/second. Allocation-free on the hot path.
 *
 * - Day: the exchange-local calendar date in `zone` (America/New_York by default, via `exchangeDay`);
 *   its [start, end) bounds in UTC are computed once per day (23 h and 25 h DST days included), so
 *   the hot path is two number comparisons. The window only moves forward: a timestamp before the
 *   current day (clock going backwards) is counted in the current day, never resets it.
 * - Second: an exact SLIDING window (t − 1000 ms, t] kept in a ring buffer of the last N submission
 *   times; full when N submissions happened less than 1 s before t (no 2N burst across a boundary,
 *   as a fixed window would allow).
 */
export class OrderRateLimiter {
  private dayStartMs = -Infinity;
  private dayEndMs = -Infinity;
  private dayLabel: string | null = null;
  private count = 0;
  private readonly ring: Float64Array;
  private head = 0;
  private size = 0;

  constructor(
    perSecond: number | null,
    private readonly zone: string,
  ) {
    this.ring = new Float64Array(perSecond ?? 0);
  }

  /** Start (UTC ms) of the exchange day currently counted (−Infinity before any timestamp). */
  get dayStart(): number {
    return this.dayStartMs;
  }

  /** Submissions counted in the current exchange day. */
  get dayCount(): number {
    return this.count;
  }

  /** Moves the day window forward when `ts` is at or after its end. */
  roll(ts: number): void {
    if (ts >= this.dayEndMs) {
      // arithmetic when the zone's offset is steady around ts, luxon near offset changes
      const day = exchangeDay(ts, this.zone);
      this.dayStartMs = day.start;
      this.dayEndMs = day.end;
      this.dayLabel = day.date;
      this.count = 0;
    }
  }

  /** True when the ring holds N submissions and the oldest is less than 1 s before `ts`. */
  secondFull(ts: number): boolean {
    return this.size === this.ring.length && ts - this.ring[this.head] < RATE_WINDOW_MS;
  }

  /** Counts one real submission at `ts`. */
  record(ts: number): void {
    this.roll(ts);
    this.count++;
    const n = this.ring.length;
    if (n === 0) return;
    if (this.size < n) {
      this.ring[(this.head + this.size) % n] = ts;
      this.size++;
    } else {
      this.ring[this.head] = ts;
      this.head = (this.head + 1) % n;
    }
  }

  /** JSON form of the counters. */
  toSnapshot(): RateCountersSnapshot {
    const recent: number[] = [];
    for (let i = 0; i < this.size; i++) recent.push(this.ring[(this.head + i) % this.ring.length]);
    const started = this.dayLabel !== null;
    return {
      dayStart: started ? this.dayStartMs : null,
      dayEnd: started ? this.dayEndMs : null,
      day: this.dayLabel,
      dayCount: this.count,
      recent,
    };
  }

  /** Restores counters from a validated snapshot (keeps the newest N timestamps if N shrank). */
  restore(s: RateCountersSnapshot): void {
    if (s.day !== null) {
      this.dayStartMs = s.dayStart as number;
      this.dayEndMs = s.dayEnd as number;
      this.dayLabel = s.day;
      this.count = s.dayCount;
    }
    const keep = s.recent.slice(Math.max(0, s.recent.length - this.ring.length));
    this.head = 0;
    this.size = keep.length;
    keep.forEach((t, i) => (this.ring[i] = t));
  }
}

import { IANAZone } from 'luxon';
import { assertZone, MS } from '@trading/domain';

/**
 * Arithmetic calendar and zone conversion for hot parsing loops (no luxon per row).
 *
 * A "wall" time is the exchange-local calendar time written as if it were UTC epoch ms
 * (`daysFromCivil(y, m, d) * DAY + timeOfDay`). {@link ZoneConverter} turns wall → UTC with one
 * zone lookup per local hour (cached), and falls back to an exact per-row computation for the
 * hours around a DST change, rejecting times that do not exist (gap) or occur twice (overlap).
 */

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Days in a month (1–12) of a year. */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Why a wall time could not be converted. */
export type WallProblem = 'gap' | 'overlap';

/** Converts exchange-local wall times to UTC (and back) in one IANA zone, cached per hour. */
export class ZoneConverter {
  /** The IANA zone name. */
  readonly zone: string;
  private readonly z: IANAZone | null;
  private readonly cache = new Map<number, number>();
  private lastHour = NaN;
  private lastOffset = 0;
  private utcCacheHour = NaN;
  private utcCacheOffset = 0;
  /** Set when {@link toUtc} returns NaN. */
  problem: WallProblem | null = null;

  constructor(zone: string) {
    this.zone = assertZone(zone);
    this.z = zone === 'UTC' || zone === 'Etc/UTC' ? null : IANAZone.create(zone);
  }

  /** Offset (ms, local − UTC) in effect at a UTC instant. */
  offsetAtUtc(utcMs: number): number {
    if (this.z === null) return 0;
    const h = Math.floor(utcMs / MS.HOUR);
    if (h !== this.utcCacheHour) {
      // Offsets change at most at whole-minute instants; cache per UTC hour only when stable.
      const a = this.z.offset(h * MS.HOUR);
      const b = this.z.offset(h * MS.HOUR + MS.HOUR - 1);
      if (a !== b) return this.z.offset(utcMs) * MS.MINUTE;
      this.utcCacheHour = h;
      this.utcCacheOffset = a * MS.MINUTE;
    }
    return this.utcCacheOffset;
  }

  /** UTC → wall time. */
  toWall(utcMs: number): number {
    return utcMs + this.offsetAtUtc(utcMs);
  }

  /** Wall time → UTC ms; NaN (and {@link problem} set) in a DST gap or overlap. */
  toUtc(wallMs: number): number {
    if (this.z === null) return wallMs;
    const h = Math.floor(wallMs / MS.HOUR);
    if (h === this.lastHour) return wallMs - this.lastOffset;
    let off = this.cache.get(h);
    if (off === undefined) {
      const a = this.exact(h * MS.HOUR);
      const b = this.exact(h * MS.HOUR + MS.HOUR - 1);
      off = !Number.isNaN(a) && !Number.isNaN(b) && h * MS.HOUR - a === h * MS.HOUR + MS.HOUR - 1 - b ? h * MS.HOUR - a : NaN;
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(h, off);
    }
    if (Number.isNaN(off)) return this.exact(wallMs); // an hour with a DST change: exact per row
    this.lastHour = h;
    this.lastOffset = off;
    return wallMs - off;
  }

  /** Exact conversion: candidates wall − offset for offsets seen a day around; unique hit wins. */
  private exact(wallMs: number): number {
    const z = this.z as IANAZone;
    const o1 = z.offset(wallMs - MS.DAY);
    const o2 = z.offset(wallMs);
    const o3 = z.offset(wallMs + MS.DAY);
    let hit = NaN;
    let hits = 0;
    for (const o of o1 === o2 ? (o2 === o3 ? [o1] : [o1, o3]) : o2 === o3 || o1 === o3 ? [o1, o2] : [o1, o2, o3]) {
      const utc = wallMs - o * MS.MINUTE;
      if (z.offset(utc) === o) {
        hit = utc;
        hits++;
      }
    }
    if (hits === 1) {
      this.problem = null;
      return hit;
    }
    this.problem = hits === 0 ? 'gap' : 'overlap';
    return NaN;
  }
}

/** Parses `HH:mm` (or `HH:mm:ss`) to ms since midnight; NaN when invalid. */
export function parseClockTime(text: string): number {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m) return NaN;
  const h = +m[1];
  const mi = +m[2];
  const s = m[3] === undefined ? 0 : +m[3];
  if (h > 24 || mi > 59 || s > 59 || (h === 24 && (mi > 0 || s > 0))) return NaN;
  return h * MS.HOUR + mi * MS.MINUTE + s * MS.SECOND;
}

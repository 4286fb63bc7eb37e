import { IANAZone } from 'luxon';
import { assertZone } from '@trading/domain';

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

const HOUR = 3_600_000;
const DAY = 86_400_000;
const MINUTE = 60_000;

/**
 * Converts exchange-local wall times to UTC (and back) in one IANA zone. Zone offsets are looked
 * up (luxon, i.e. Intl) once per UTC day and once per local day, and per hour or per call only
 * on days with a DST change, so parsing millions of rows costs a few lookups per day.
 */
export class ZoneConverter {
  /** The IANA zone name. */
  readonly zone: string;
  private readonly z: IANAZone | null;
  /** UTC day → offset ms, or NaN when the offset changes during that UTC day. */
  private readonly utcDays = new Map<number, number>();
  /** Local day → offset ms, NaN when it changes during that local day. */
  private readonly wallDays = new Map<number, number>();
  /** Local hour → offset ms (NaN: gap/overlap/change within the hour), only for DST days. */
  private readonly wallHours = new Map<number, number>();
  private lastDay = NaN;
  private lastOffset = 0;
  /** Set when {@link toUtc} returns NaN. */
  problem: WallProblem | null = null;

  private static readonly shared = new Map<string, ZoneConverter>();

  constructor(zone: string) {
    this.zone = assertZone(zone);
    this.z = zone === 'UTC' || zone === 'Etc/UTC' ? null : IANAZone.create(zone);
  }

  /** A process-wide converter per zone (offsets are facts, so caches are shared between parsers). */
  static for(zone: string): ZoneConverter {
    let c = ZoneConverter.shared.get(zone);
    if (!c) {
      c = new ZoneConverter(zone);
      if (ZoneConverter.shared.size > 1000) ZoneConverter.shared.clear();
      ZoneConverter.shared.set(zone, c);
    }
    return c;
  }

  /** Offset (ms, local − UTC) in effect at a UTC instant. */
  offsetAtUtc(utcMs: number): number {
    const z = this.z;
    if (z === null) return 0;
    const d = Math.floor(utcMs / DAY);
    let off = this.utcDays.get(d);
    if (off === undefined) {
      const a = z.offset(d * DAY);
      off = a === z.offset(d * DAY + DAY - 1) ? a * MINUTE : NaN;
      if (this.utcDays.size > 50_000) this.utcDays.clear();
      this.utcDays.set(d, off);
    }
    return Number.isNaN(off) ? z.offset(utcMs) * MINUTE : off;
  }

  /** UTC → wall time. */
  toWall(utcMs: number): number {
    return utcMs + this.offsetAtUtc(utcMs);
  }

  /** Wall time → UTC ms; NaN (and {@link problem} set) in a DST gap or overlap. */
  toUtc(wallMs: number): number {
    if (this.z === null) return wallMs;
    const d = Math.floor(wallMs / DAY);
    if (d === this.lastDay) return wallMs - this.lastOffset;
    let off = this.wallDays.get(d);
    if (off === undefined) {
      off = this.stableOffset(d * DAY, DAY);
      if (this.wallDays.size > 50_000) this.wallDays.clear();
      this.wallDays.set(d, off);
    }
    if (Number.isNaN(off)) return this.byHour(wallMs); // a day with a DST change
    this.lastDay = d;
    this.lastOffset = off;
    return wallMs - off;
  }

  private byHour(wallMs: number): number {
    const h = Math.floor(wallMs / HOUR);
    let off = this.wallHours.get(h);
    if (off === undefined) {
      off = this.stableOffset(h * HOUR, HOUR);
      if (this.wallHours.size > 50_000) this.wallHours.clear();
      this.wallHours.set(h, off);
    }
    return Number.isNaN(off) ? this.exact(wallMs) : wallMs - off;
  }

  /** The offset valid for every wall time in [start, start + len), or NaN. */
  private stableOffset(start: number, len: number): number {
    const a = this.exact(start);
    const b = this.exact(start + len - 1);
    return !Number.isNaN(a) && !Number.isNaN(b) && start - a === start + len - 1 - b
      ? start - a
      : NaN;
  }

  /** Exact conversion: candidates wall − offset for offsets seen a day around; a unique hit wins. */
  private exact(wallMs: number): number {
    const o1 = this.offsetAtUtc(wallMs - DAY);
    const o2 = this.offsetAtUtc(wallMs);
    const o3 = this.offsetAtUtc(wallMs + DAY);
    let hit = NaN;
    let hits = 0;
    for (const o of o1 === o2
      ? o2 === o3
        ? [o1]
        : [o1, o3]
      : o2 === o3 || o1 === o3
        ? [o1, o2]
        : [o1, o2, o3]) {
      const utc = wallMs - o;
      if (this.offsetAtUtc(utc) === o) {
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
  return h * HOUR + mi * MINUTE + s * 1000;
}

import { DateTime, IANAZone } from 'luxon';
import { ValidationError } from './errors';

/**
 * Time policy (ADR 0003): timestamps are UTC epoch milliseconds (`number`) everywhere, or
 * nanoseconds (`bigint`) where a venue gives them. Exchange-local time exists only at the edges
 * (parsing files, the trading calendar). Nothing here reads the current time: that is the
 * Clock port's job (@trading/clock).
 */

/** UTC epoch milliseconds. */
export type UtcMillis = number;

const HAS_ZONE = /(Z|[+-]\d{2}(:?\d{2})?)$/i;

/** Zone names already validated (validation is slow; the answer never changes in a process). */
const VALID_ZONES = new Set<string>();

/** Validates an IANA zone name (e.g. America/New_York). */
export function assertZone(zone: string, field = 'timeZone'): string {
  // luxon's validity check builds an Intl formatter each time (tens of µs): remember good zones.
  if (typeof zone === 'string' && VALID_ZONES.has(zone)) return zone;
  if (typeof zone !== 'string' || !IANAZone.isValidZone(zone))
    throw new ValidationError(
      field,
      zone,
      'must be a valid IANA time zone like "America/New_York"',
    );
  VALID_ZONES.add(zone);
  return zone;
}

/**
 * Parses an ISO-8601 timestamp to UTC epoch ms. A timestamp without an offset is naive and
 * rejected unless `zone` is given; in that zone a non-existent local time (spring-forward gap) or
 * an ambiguous one (fall-back overlap) is rejected too.
 */
export function parseTimestamp(
  text: string,
  opts: { zone?: string; field?: string } = {},
): UtcMillis {
  const field = opts.field ?? 'timestamp';
  if (typeof text !== 'string' || text.trim() === '')
    throw new ValidationError(field, text, 'must be an ISO-8601 timestamp');
  const t = text.trim().replace(' ', 'T');
  if (HAS_ZONE.test(t)) {
    const dt = DateTime.fromISO(t, { setZone: true });
    if (!dt.isValid)
      throw new ValidationError(
        field,
        text,
        `must be an ISO-8601 timestamp (${dt.invalidExplanation ?? dt.invalidReason})`,
      );
    return dt.toMillis();
  }
  if (!opts.zone)
    throw new ValidationError(
      field,
      text,
      'has no UTC offset; give an offset (e.g. "Z") or a time zone',
    );
  return localToUtc(t, opts.zone, field);
}

/**
 * Converts an exchange-local ISO date-time (no offset) in `zone` to UTC epoch ms, rejecting
 * times that do not exist or occur twice around a DST change.
 */
export function localToUtc(localIso: string, zone: string, field = 'timestamp'): UtcMillis {
  assertZone(zone);
  const wall = DateTime.fromISO(localIso, { zone: 'utc' });
  if (!wall.isValid)
    throw new ValidationError(
      field,
      localIso,
      `must be an ISO-8601 local date-time (${wall.invalidExplanation ?? wall.invalidReason})`,
    );
  return wallToUtc(wall, localIso, zone, field);
}

/** Converts local calendar fields in `zone` to UTC ms, rejecting DST gaps and overlaps. */
export function localPartsToUtc(
  parts: {
    year: number;
    month: number;
    day: number;
    hour?: number;
    minute?: number;
    second?: number;
    millisecond?: number;
  },
  zone: string,
  field = 'timestamp',
): UtcMillis {
  assertZone(zone);
  const wall = DateTime.fromObject(parts, { zone: 'utc' });
  const label = `${parts.year}-${parts.month}-${parts.day} ${parts.hour ?? 0}:${parts.minute ?? 0}:${parts.second ?? 0}`;
  if (!wall.isValid)
    throw new ValidationError(
      field,
      label,
      `must be a valid date-time (${wall.invalidExplanation ?? wall.invalidReason})`,
    );
  return wallToUtc(wall, label, zone, field);
}

/** `wall` holds the exchange-local fields (expressed in a UTC DateTime). */
function wallToUtc(wall: DateTime, label: string, zone: string, field: string): UtcMillis {
  const wallMs = wall.toMillis();
  const z = IANAZone.create(zone);
  // Candidate instants: wall minus each offset seen a day around; keep those whose offset matches.
  const offsets = new Set([
    z.offset(wallMs - 86_400_000),
    z.offset(wallMs),
    z.offset(wallMs + 86_400_000),
  ]);
  const hits: number[] = [];
  for (const off of offsets) {
    const utc = wallMs - off * 60_000;
    if (z.offset(utc) === off) hits.push(utc);
  }
  if (hits.length === 0)
    throw new ValidationError(field, label, `does not exist in ${zone} (DST gap)`);
  if (hits.length > 1)
    throw new ValidationError(field, label, `is ambiguous in ${zone} (DST overlap)`);
  return hits[0];
}

/** Formats UTC ms as ISO-8601 with `Z` (e.g. 2024-01-02T14:30:00.000Z). */
export function toIsoUtc(ms: UtcMillis): string {
  assertMillis(ms);
  return DateTime.fromMillis(ms, { zone: 'utc' }).toISO() as string;
}

/** The exchange-local date-time of a UTC instant. */
export function toExchangeTime(ms: UtcMillis, zone: string): DateTime {
  assertMillis(ms);
  return DateTime.fromMillis(ms, { zone: assertZone(zone) });
}

/** The exchange-local calendar date (yyyy-MM-dd) of a UTC instant. */
export function exchangeDate(ms: UtcMillis, zone: string): string {
  return toExchangeTime(ms, zone).toISODate() as string;
}

/** Throws unless `ms` is a safe integer epoch-millisecond value. */
export function assertMillis(ms: number, field = 'timestamp'): UtcMillis {
  if (!Number.isSafeInteger(ms))
    throw new ValidationError(field, ms, 'must be an integer epoch-millisecond timestamp');
  return ms;
}

/** Milliseconds → nanoseconds. */
export function msToNs(ms: UtcMillis): bigint {
  return BigInt(assertMillis(ms)) * 1_000_000n;
}

/** Nanoseconds → milliseconds (floor). */
export function nsToMs(ns: bigint): UtcMillis {
  const q = ns / 1_000_000n;
  return Number(ns < 0n && ns % 1_000_000n !== 0n ? q - 1n : q);
}

/** Common durations in milliseconds. */
export const MS = { SECOND: 1_000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 } as const;

/** One exchange-local calendar day: its ISO date and its bounds as UTC instants. */
export interface ExchangeDay {
  /** yyyy-MM-dd in the exchange's zone. */
  readonly date: string;
  /** First UTC millisecond of the day (the zone's start of day). */
  readonly start: UtcMillis;
  /** First UTC millisecond of the next day. */
  readonly end: UtcMillis;
}

/**
 * The exchange-local calendar day containing the UTC instant `ms`, exactly as luxon gives it
 * (`startOf('day')`, the next day's `startOf('day')`, `toISODate()`), for code that rolls days on
 * long streams (equity curves, daily P&L).
 *
 * Fast path: when the zone's UTC offset is the same one day before, at and one day after `ms`, the
 * day is computed arithmetically from that offset (three offset lookups instead of the ten or so a
 * chain of luxon calls makes; usually one, or none, when calls walk forward through time, as the
 * checked interval is remembered per zone). This assumes no zone changes its offset twice within 24 hours,
 * which no IANA zone does. Near an offset change it is luxon's own answer.
 */
export function exchangeDay(ms: UtcMillis, zone: string): ExchangeDay {
  assertMillis(ms);
  const z = IANAZone.create(assertZone(zone));
  const off = ms > FAST_DAY_MIN && ms < FAST_DAY_MAX ? steadyOffsetAround(z, ms) : null;
  if (off !== null) {
    const shift = off * MS.MINUTE;
    const day = Math.floor((ms + shift) / MS.DAY);
    const start = day * MS.DAY - shift;
    return { date: isoDateOfDay(day), start, end: start + MS.DAY };
  }
  const local = DateTime.fromMillis(ms, { zone: z }).startOf('day');
  return {
    date: local.toISODate() as string,
    start: local.toMillis(),
    end: local.plus({ days: 1 }).startOf('day').toMillis(),
  };
}

/**
 * Per zone, an interval over which the UTC offset was found the same at instants checked at most
 * a day apart (each offset lookup formats a date with Intl, several µs): exchangeDay's callers walk
 * forward through time, so consecutive days share their checks and a new day usually costs one
 * lookup (the instant a day after it) instead of three.
 */
interface SteadyOffset {
  from: number;
  to: number;
  readonly offset: number;
}
const STEADY_OFFSETS = new Map<string, SteadyOffset>();

/**
 * The zone's offset (minutes) at `ms` when it is the same one day before, at and one day after
 * `ms` (under exchangeDay's assumption: no zone changes its offset twice within 24 hours, so equal
 * offsets at points at most a day apart mean no change between them), else null.
 */
function steadyOffsetAround(z: IANAZone, ms: number): number | null {
  const lo = ms - MS.DAY;
  const hi = ms + MS.DAY;
  const w = STEADY_OFFSETS.get(z.name);
  if (w !== undefined && lo >= w.from && hi - w.to <= MS.DAY) {
    if (hi <= w.to) return w.offset;
    // extend by one checked instant a day after the last one (hi is not beyond it), so walking
    // forward costs one lookup per day of progress
    const next = w.to + MS.DAY;
    if (z.offset(next) !== w.offset) return null;
    w.to = next;
    return w.offset;
  }
  const off = z.offset(ms);
  if (z.offset(lo) !== off || z.offset(hi) !== off) return null;
  STEADY_OFFSETS.set(z.name, { from: lo, to: hi, offset: off });
  return off;
}

/** The arithmetic path of {@link exchangeDay} covers years 0002 … 9998 (four-digit ISO years). */
const FAST_DAY_MIN = -62_104_060_800_000; // 0002-01-01T00:00Z
const FAST_DAY_MAX = 253_370_678_400_000; // 9998-12-31T00:00Z

/** Calendar fields of a day number (days since 1970-01-01; H. Hinnant's civil_from_days). */
export function civilFromDays(dn: number): { year: number; month: number; day: number } {
  const z = dn + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** yyyy-MM-dd of a day number (four-digit years). */
function isoDateOfDay(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

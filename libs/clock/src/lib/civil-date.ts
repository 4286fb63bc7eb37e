/**
 * Proleptic Gregorian date arithmetic on "day numbers" (days since 1970-01-01), without Date objects
 * or time zones. Used to compute holiday rules and to validate `yyyy-MM-dd` strings.
 */
import { civilFromDays, ValidationError } from '@trading/domain';

/** Milliseconds per day. */
export const DAY_MS = 86_400_000;

/** Weekdays as returned by {@link weekday}. */
export const WEEKDAY = { SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6 } as const;

/** Day number of a calendar date (month 1-12; out-of-range days/months roll over). */
export function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** Weekday of a day number: 0 = Sunday … 6 = Saturday. */
export function weekday(dn: number): number {
  return (((dn + 4) % 7) + 7) % 7;
}

/** Calendar fields of a day number (from `@trading/domain`, where the exchange-day helpers use it). */
export { civilFromDays };

/** `yyyy-MM-dd` of a day number. */
export function isoDate(dn: number): string {
  const { year, month, day } = civilFromDays(dn);
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a strict `yyyy-MM-dd` date to a day number; throws a `ValidationError` otherwise. */
export function parseIsoDate(text: string, field = 'date'): number {
  const m = typeof text === 'string' ? ISO_DATE.exec(text) : null;
  if (m !== null) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    const dn = dayNumber(year, month, day);
    const back = civilFromDays(dn);
    if (back.year === year && back.month === month && back.day === day) return dn;
  }
  throw new ValidationError(field, text, 'must be a valid calendar date "yyyy-MM-dd"');
}

/** The `n`-th (1-based) given weekday of a month. */
export function nthWeekday(year: number, month: number, wd: number, n: number): number {
  const first = dayNumber(year, month, 1);
  return first + ((wd - weekday(first) + 7) % 7) + 7 * (n - 1);
}

/** The last given weekday of a month. */
export function lastWeekday(year: number, month: number, wd: number): number {
  const last = dayNumber(year, month + 1, 1) - 1;
  return last - ((weekday(last) - wd + 7) % 7);
}

/** Easter Sunday (Gregorian; anonymous "Meeus/Jones/Butcher" computus). */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumber(year, month, day);
}

/** US federal observance: Saturday → preceding Friday, Sunday → following Monday. */
export function nearestWeekday(dn: number): number {
  const wd = weekday(dn);
  return wd === WEEKDAY.SAT ? dn - 1 : wd === WEEKDAY.SUN ? dn + 1 : dn;
}

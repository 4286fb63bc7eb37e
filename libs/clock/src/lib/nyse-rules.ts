/**
 * NYSE (US equities) calendar rules, 2000–2030, computed by rule rather than typed in.
 *
 * Full-day holidays: New Year's Day (Sunday → Monday; a Saturday New Year is NOT observed on the
 * preceding Friday, NYSE Rule 7.2: Dec 31 is the end of an accounting period), Martin Luther King Jr.
 * Day (3rd Monday of January, since 1998), Washington's Birthday (3rd Monday of February), Good Friday,
 * Memorial Day (last Monday of May), Juneteenth (June 19, nearest weekday, since 2022), Independence Day
 * and Christmas (nearest weekday), Labor Day (1st Monday of September), Thanksgiving (4th Thursday of
 * November), plus one-off closures (9/11, national days of mourning, Hurricane Sandy).
 *
 * Early closes at 13:00 New York: July 3 on a Monday, Tuesday or Thursday; July 3 on a Wednesday from
 * 2013 (before 2013 the Friday July 5 closed early instead); the day after Thanksgiving; Christmas Eve
 * Monday–Thursday; and the one-off 2003-12-26. These match NYSE's published schedules and the XNYS
 * calendar of the `exchange_calendars` project. Years after the latest published NYSE schedule are
 * projections of the same rules: NYSE may announce exceptions.
 */
import {
  WEEKDAY,
  dayNumber,
  easterSunday,
  isoDate,
  lastWeekday,
  nearestWeekday,
  nthWeekday,
  weekday,
} from './civil-date';

/** A dated calendar entry (holiday or early close). */
export interface CalendarDay {
  /** Exchange-local date `yyyy-MM-dd`. */
  readonly date: string;
  /** Human-readable reason. */
  readonly name: string;
}

/** First year the NYSE rules here cover. */
export const NYSE_FIRST_YEAR = 2000;
/** Last year the NYSE rules here cover. */
export const NYSE_LAST_YEAR = 2030;

/** One-off full-day closures 2000–2030. */
const SPECIAL_CLOSURES: readonly CalendarDay[] = [
  { date: '2001-09-11', name: 'September 11 attacks' },
  { date: '2001-09-12', name: 'September 11 attacks' },
  { date: '2001-09-13', name: 'September 11 attacks' },
  { date: '2001-09-14', name: 'September 11 attacks' },
  { date: '2004-06-11', name: 'National day of mourning: Ronald Reagan' },
  { date: '2007-01-02', name: 'National day of mourning: Gerald Ford' },
  { date: '2012-10-29', name: 'Hurricane Sandy' },
  { date: '2012-10-30', name: 'Hurricane Sandy' },
  { date: '2018-12-05', name: 'National day of mourning: George H. W. Bush' },
  { date: '2025-01-09', name: 'National day of mourning: Jimmy Carter' },
];

/** One-off early closes 2000–2030. */
const SPECIAL_EARLY_CLOSES: readonly CalendarDay[] = [
  { date: '2003-12-26', name: 'Day after Christmas' },
];

const byDate = (a: CalendarDay, b: CalendarDay): number =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : 0;

/** NYSE full-day closures of `year` (weekdays only), sorted by date. */
export function nyseHolidays(year: number): CalendarDay[] {
  const out: CalendarDay[] = [];
  const add = (dn: number, name: string): void => {
    if (weekday(dn) !== WEEKDAY.SAT && weekday(dn) !== WEEKDAY.SUN)
      out.push({ date: isoDate(dn), name });
  };
  const newYear = dayNumber(year, 1, 1);
  if (weekday(newYear) !== WEEKDAY.SAT) add(nearestWeekday(newYear), "New Year's Day");
  if (year >= 1998) add(nthWeekday(year, 1, WEEKDAY.MON, 3), 'Martin Luther King Jr. Day');
  add(nthWeekday(year, 2, WEEKDAY.MON, 3), "Washington's Birthday");
  add(easterSunday(year) - 2, 'Good Friday');
  add(lastWeekday(year, 5, WEEKDAY.MON), 'Memorial Day');
  if (year >= 2022)
    add(nearestWeekday(dayNumber(year, 6, 19)), 'Juneteenth National Independence Day');
  add(nearestWeekday(dayNumber(year, 7, 4)), 'Independence Day');
  add(nthWeekday(year, 9, WEEKDAY.MON, 1), 'Labor Day');
  add(nthWeekday(year, 11, WEEKDAY.THU, 4), 'Thanksgiving Day');
  add(nearestWeekday(dayNumber(year, 12, 25)), 'Christmas Day');
  const prefix = `${year}-`;
  for (const s of SPECIAL_CLOSURES) if (s.date.startsWith(prefix)) out.push(s);
  return out.sort(byDate);
}

/** NYSE 13:00 early closes of `year`, sorted by date (never a holiday or weekend). */
export function nyseEarlyCloses(year: number): CalendarDay[] {
  const out: CalendarDay[] = [];
  const july3 = dayNumber(year, 7, 3);
  const wdJuly3 = weekday(july3);
  if (
    wdJuly3 === WEEKDAY.MON ||
    wdJuly3 === WEEKDAY.TUE ||
    wdJuly3 === WEEKDAY.THU ||
    (wdJuly3 === WEEKDAY.WED && year >= 2013)
  ) {
    out.push({ date: isoDate(july3), name: 'Day before Independence Day' });
  }
  if (wdJuly3 === WEEKDAY.WED && year < 2013)
    out.push({ date: isoDate(july3 + 2), name: 'Day after Independence Day' });
  out.push({
    date: isoDate(nthWeekday(year, 11, WEEKDAY.THU, 4) + 1),
    name: 'Day after Thanksgiving',
  });
  const dec24 = dayNumber(year, 12, 24);
  if (weekday(dec24) >= WEEKDAY.MON && weekday(dec24) <= WEEKDAY.THU)
    out.push({ date: isoDate(dec24), name: 'Christmas Eve' });
  const prefix = `${year}-`;
  for (const s of SPECIAL_EARLY_CLOSES) if (s.date.startsWith(prefix)) out.push(s);
  const closed = new Set(nyseHolidays(year).map((h) => h.date));
  return out.filter((d) => !closed.has(d.date)).sort(byDate);
}

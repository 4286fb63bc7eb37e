import { ValidationError } from '@trading/domain';
import { DAY_MS, WEEKDAY, dayNumber, isoDate, parseIsoDate, weekday } from './civil-date';
import {
  CalendarDay,
  NYSE_FIRST_YEAR,
  NYSE_LAST_YEAR,
  nyseEarlyCloses,
  nyseHolidays,
} from './nyse-rules';
import type { Session, TradingCalendar } from './trading-calendar.port';
import { ZoneConverter } from './zone-offsets';

/** Exchange-local wall time of day. */
export interface WallTime {
  readonly hour: number;
  readonly minute: number;
}

/** Declarative rules from which an {@link ExchangeTradingCalendar} precomputes its sessions. */
export interface TradingCalendarRules {
  /** Display name (e.g. `NYSE`). */
  readonly name: string;
  /** IANA zone of the exchange. */
  readonly zone: string;
  /** First covered year. */
  readonly firstYear: number;
  /** Last covered year (inclusive). */
  readonly lastYear: number;
  /** Regular open. */
  readonly open: WallTime;
  /** Regular close. */
  readonly close: WallTime;
  /** Close on early-close days. */
  readonly earlyClose: WallTime;
  /** Full-day closures of a year (weekends are closed anyway). */
  holidays(year: number): readonly CalendarDay[];
  /** Early-close days of a year. */
  earlyCloses(year: number): readonly CalendarDay[];
}

/** NYSE regular equity session 09:30–16:00 America/New_York, 13:00 early closes, 2000–2030. */
export const NYSE_RULES: TradingCalendarRules = Object.freeze({
  name: 'NYSE',
  zone: 'America/New_York',
  firstYear: NYSE_FIRST_YEAR,
  lastYear: NYSE_LAST_YEAR,
  open: { hour: 9, minute: 30 },
  close: { hour: 16, minute: 0 },
  earlyClose: { hour: 13, minute: 0 },
  holidays: nyseHolidays,
  earlyCloses: nyseEarlyCloses,
});

/** Precomputed, immutable session tables of one rule set. */
interface CalendarData {
  readonly sessions: readonly Session[];
  readonly opens: Float64Array;
  readonly closes: Float64Array;
  readonly byDate: ReadonlyMap<string, Session>;
  /** Per UTC day since `day0`: index of the first session whose close is after that day's start. */
  readonly firstByUtcDay: Int32Array;
  readonly day0: number;
  readonly rangeStart: number;
  readonly rangeEnd: number;
  readonly firstDay: number;
  readonly lastDay: number;
}

const cache = new WeakMap<TradingCalendarRules, CalendarData>();

function build(rules: TradingCalendarRules): CalendarData {
  const { zone, firstYear, lastYear } = rules;
  const firstDay = dayNumber(firstYear, 1, 1);
  const lastDay = dayNumber(lastYear, 12, 31);
  const conv = new ZoneConverter(zone, firstDay, lastDay + 1);
  const at = (dn: number, t: WallTime): number => conv.toUtc(dn, t.hour, t.minute);
  const sessions: Session[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    const closed = new Set(rules.holidays(year).map((d) => d.date));
    const early = new Set(rules.earlyCloses(year).map((d) => d.date));
    for (let dn = dayNumber(year, 1, 1), end = dayNumber(year + 1, 1, 1); dn < end; dn++) {
      const wd = weekday(dn);
      if (wd === WEEKDAY.SAT || wd === WEEKDAY.SUN) continue;
      const date = isoDate(dn);
      if (closed.has(date)) continue;
      const isEarly = early.has(date);
      const open = at(dn, rules.open);
      const close = at(dn, isEarly ? rules.earlyClose : rules.close);
      if (!(close > open))
        throw new ValidationError(
          'rules',
          rules.name,
          `must give a close after the open on ${date}`,
        );
      sessions.push(Object.freeze({ date, open, close, earlyClose: isEarly }));
    }
  }
  const n = sessions.length;
  const opens = new Float64Array(n);
  const closes = new Float64Array(n);
  const byDate = new Map<string, Session>();
  sessions.forEach((s, i) => {
    opens[i] = s.open;
    closes[i] = s.close;
    byDate.set(s.date, s);
  });
  const rangeStart = conv.toUtc(firstDay, 0, 0);
  const rangeEnd = conv.toUtc(lastDay + 1, 0, 0);
  const day0 = Math.floor(rangeStart / DAY_MS);
  const days = Math.floor(rangeEnd / DAY_MS) - day0 + 1;
  const firstByUtcDay = new Int32Array(days);
  let i = 0;
  for (let d = 0; d < days; d++) {
    const dayStart = (day0 + d) * DAY_MS;
    while (i < n && closes[i] <= dayStart) i++;
    firstByUtcDay[d] = i;
  }
  return {
    sessions,
    opens,
    closes,
    byDate,
    firstByUtcDay,
    day0,
    rangeStart,
    rangeEnd,
    firstDay,
    lastDay,
  };
}

/**
 * A {@link TradingCalendar} precomputed from {@link TradingCalendarRules}: all sessions of the covered
 * years are built once (and shared by every instance with the same rules object), so `isOpen`,
 * `sessionAt`, `nextOpen` and `nextClose` are O(1) table lookups.
 */
export class ExchangeTradingCalendar implements TradingCalendar {
  /** IANA zone of the exchange. */
  readonly zone: string;
  /** The rules this calendar was built from. */
  readonly rules: TradingCalendarRules;
  private readonly data: CalendarData;

  constructor(rules: TradingCalendarRules) {
    this.rules = rules;
    this.zone = rules.zone;
    let data = cache.get(rules);
    if (data === undefined) {
      data = build(rules);
      cache.set(rules, data);
    }
    this.data = data;
  }

  /** First instant covered (local midnight of Jan 1 of the first year), UTC ms. */
  get rangeStart(): number {
    return this.data.rangeStart;
  }

  /** End of coverage, exclusive (local midnight after Dec 31 of the last year), UTC ms. */
  get rangeEnd(): number {
    return this.data.rangeEnd;
  }

  /** All sessions of the covered years, in order. */
  allSessions(): readonly Session[] {
    return this.data.sessions;
  }

  /** True if `date` has a session. */
  isTradingDay(date: string): boolean {
    return this.sessionFor(date) !== null;
  }

  /** The session of `date`, or null. */
  sessionFor(date: string): Session | null {
    const dn = parseIsoDate(date);
    if (dn < this.data.firstDay || dn > this.data.lastDay) {
      throw new ValidationError(
        'date',
        date,
        `must be within ${this.rules.name} calendar years ${this.rules.firstYear}–${this.rules.lastYear}`,
      );
    }
    return this.data.byDate.get(date) ?? null;
  }

  /** True if `open <= ts < close` for some session. */
  isOpen(ts: number): boolean {
    const d = this.data;
    const i = this.firstCloseAfter(ts);
    return i < d.opens.length && d.opens[i] <= ts;
  }

  /** The session containing `ts`, or null. */
  sessionAt(ts: number): Session | null {
    const d = this.data;
    const i = this.firstCloseAfter(ts);
    return i < d.opens.length && d.opens[i] <= ts ? d.sessions[i] : null;
  }

  /** The earliest open `>= ts`. */
  nextOpen(ts: number): number {
    const d = this.data;
    let i = this.firstCloseAfter(ts);
    if (i < d.opens.length && d.opens[i] < ts) i++;
    if (i >= d.opens.length) throw this.noSession('ts', ts, 'open');
    return d.opens[i];
  }

  /** The earliest close `>= ts`. */
  nextClose(ts: number): number {
    const d = this.data;
    let i = this.firstCloseAfter(ts);
    if (i > 0 && d.closes[i - 1] === ts) i--;
    if (i >= d.closes.length) throw this.noSession('ts', ts, 'close');
    return d.closes[i];
  }

  /** Sessions overlapping `[fromTs, toTs)`. */
  sessionsBetween(fromTs: number, toTs: number): Session[] {
    const d = this.data;
    const i = this.firstCloseAfter(fromTs);
    this.checkTs('toTs', toTs, true);
    if (toTs < fromTs) throw new ValidationError('toTs', toTs, `must be >= fromTs ${fromTs}`);
    let j = i;
    while (j < d.opens.length && d.opens[j] < toTs) j++;
    return d.sessions.slice(i, j);
  }

  /** Index of the first session with `close > ts` (validates `ts`). */
  private firstCloseAfter(ts: number): number {
    const d = this.data;
    if (!(ts >= d.rangeStart && ts < d.rangeEnd) || !Number.isInteger(ts))
      this.checkTs('ts', ts, false);
    const closes = d.closes;
    let i = d.firstByUtcDay[Math.floor(ts / DAY_MS) - d.day0];
    while (i < closes.length && closes[i] <= ts) i++;
    return i;
  }

  private checkTs(field: string, ts: number, endInclusive: boolean): void {
    const d = this.data;
    if (typeof ts !== 'number' || !Number.isInteger(ts))
      throw new ValidationError(field, ts, 'must be an integer epoch-millisecond timestamp');
    if (ts < d.rangeStart || ts > d.rangeEnd || (ts === d.rangeEnd && !endInclusive)) {
      throw new ValidationError(
        field,
        ts,
        `must be within ${this.rules.name} calendar years ${this.rules.firstYear}–${this.rules.lastYear} (${this.zone})`,
      );
    }
  }

  private noSession(field: string, ts: number, what: string): ValidationError {
    return new ValidationError(
      field,
      ts,
      `has no session ${what} at or after it within ${this.rules.name} calendar years ${this.rules.firstYear}–${this.rules.lastYear}`,
    );
  }
}

/** The NYSE US-equities calendar (regular session 09:30–16:00 America/New_York), 2000–2030. */
export class NyseTradingCalendar extends ExchangeTradingCalendar {
  constructor() {
    super(NYSE_RULES);
  }
}

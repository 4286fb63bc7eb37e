import { ValidationError } from '@trading/domain';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  ExchangeTradingCalendar,
  NYSE_RULES,
  NyseTradingCalendar,
  TradingCalendarRules,
} from './exchange-trading-calendar';
import { nyseEarlyCloses, nyseHolidays } from './nyse-rules';

const cal = new NyseTradingCalendar();
const ny = (date: string, time: string): number =>
  DateTime.fromISO(`${date}T${time}`, { zone: 'America/New_York' }).toMillis();
const z = (iso: string): number => Date.parse(iso);
const yearSessions = (y: number) =>
  cal.sessionsBetween(ny(`${y}-01-01`, '00:00'), ny(`${y + 1}-01-01`, '00:00'));

describe('NYSE holidays by rule', () => {
  it.each([
    [
      2021,
      [
        '2021-01-01',
        '2021-01-18',
        '2021-02-15',
        '2021-04-02',
        '2021-05-31',
        '2021-07-05',
        '2021-09-06',
        '2021-11-25',
        '2021-12-24',
      ],
    ],
    [
      2022,
      [
        '2022-01-17',
        '2022-02-21',
        '2022-04-15',
        '2022-05-30',
        '2022-06-20',
        '2022-07-04',
        '2022-09-05',
        '2022-11-24',
        '2022-12-26',
      ],
    ],
    [
      2023,
      [
        '2023-01-02',
        '2023-01-16',
        '2023-02-20',
        '2023-04-07',
        '2023-05-29',
        '2023-06-19',
        '2023-07-04',
        '2023-09-04',
        '2023-11-23',
        '2023-12-25',
      ],
    ],
    [
      2024,
      [
        '2024-01-01',
        '2024-01-15',
        '2024-02-19',
        '2024-03-29',
        '2024-05-27',
        '2024-06-19',
        '2024-07-04',
        '2024-09-02',
        '2024-11-28',
        '2024-12-25',
      ],
    ],
    [
      2025,
      [
        '2025-01-01',
        '2025-01-09',
        '2025-01-20',
        '2025-02-17',
        '2025-04-18',
        '2025-05-26',
        '2025-06-19',
        '2025-07-04',
        '2025-09-01',
        '2025-11-27',
        '2025-12-25',
      ],
    ],
    [
      2026,
      [
        '2026-01-01',
        '2026-01-19',
        '2026-02-16',
        '2026-04-03',
        '2026-05-25',
        '2026-06-19',
        '2026-07-03',
        '2026-09-07',
        '2026-11-26',
        '2026-12-25',
      ],
    ],
    [
      2027,
      [
        '2027-01-01',
        '2027-01-18',
        '2027-02-15',
        '2027-03-26',
        '2027-05-31',
        '2027-06-18',
        '2027-07-05',
        '2027-09-06',
        '2027-11-25',
        '2027-12-24',
      ],
    ],
  ])('%i matches the published NYSE holiday list', (year, dates) => {
    expect(nyseHolidays(year).map((h) => h.date)).toEqual(dates);
    for (const d of dates) expect(cal.isTradingDay(d)).toBe(false);
  });

  it('knows the named holidays', () => {
    expect(cal.isTradingDay('2024-03-29')).toBe(false); // Good Friday
    expect(cal.isTradingDay('2023-06-19')).toBe(false); // Juneteenth
    expect(cal.isTradingDay('2021-06-18')).toBe(true); // Juneteenth not yet an NYSE holiday in 2021
    expect(cal.isTradingDay('2022-12-26')).toBe(false); // Christmas observed (Sunday)
    expect(cal.isTradingDay('2021-12-31')).toBe(true); // New Year 2022 is a Saturday: NOT observed Friday
    expect(cal.isTradingDay('2010-12-31')).toBe(true);
    expect(cal.isTradingDay('2017-01-02')).toBe(false); // New Year on Sunday → Monday
    expect(cal.isTradingDay('2000-01-17')).toBe(false); // MLK Day
    expect(cal.isTradingDay('2024-01-02')).toBe(true);
    expect(cal.isTradingDay('2024-01-06')).toBe(false); // Saturday
    expect(cal.isTradingDay('2024-01-07')).toBe(false); // Sunday
  });

  it('Good Friday follows the Easter computus', () => {
    const goodFridays: Record<number, string> = {
      2000: '2000-04-21',
      2008: '2008-03-21',
      2011: '2011-04-22',
      2019: '2019-04-19',
      2030: '2030-04-19',
    };
    for (const [y, d] of Object.entries(goodFridays)) {
      expect(nyseHolidays(Number(y)).find((h) => h.name === 'Good Friday')?.date).toBe(d);
    }
  });

  it('includes the special closures', () => {
    for (const d of [
      '2001-09-11',
      '2001-09-12',
      '2001-09-13',
      '2001-09-14',
      '2004-06-11',
      '2007-01-02',
      '2012-10-29',
      '2012-10-30',
      '2018-12-05',
      '2025-01-09',
    ]) {
      expect(cal.isTradingDay(d)).toBe(false);
    }
    expect(cal.isTradingDay('2001-09-10')).toBe(true);
    expect(cal.isTradingDay('2001-09-17')).toBe(true);
    expect(cal.isTradingDay('2012-10-31')).toBe(true);
  });
});

describe('NYSE early closes', () => {
  it.each([
    ['2024-07-03', '2024-07-03T17:00:00Z'], // Wednesday, post-2013 rule
    ['2023-11-24', '2023-11-24T18:00:00Z'], // day after Thanksgiving (EST)
    ['2024-12-24', '2024-12-24T18:00:00Z'], // Christmas Eve Tuesday
    ['2003-12-26', '2003-12-26T18:00:00Z'], // one-off
    ['2002-07-05', '2002-07-05T17:00:00Z'], // Friday after a Thursday July 4, pre-2013
    ['2013-07-03', '2013-07-03T17:00:00Z'],
  ])('%s closes at 13:00 New York', (date, closeIso) => {
    const s = cal.sessionFor(date);
    expect(s).not.toBeNull();
    expect(s?.earlyClose).toBe(true);
    expect(s?.close).toBe(z(closeIso));
    expect(cal.isOpen(z(closeIso) - 1)).toBe(true);
    expect(cal.isOpen(z(closeIso))).toBe(false);
  });

  it('has no early close where the rules say none', () => {
    expect(cal.sessionFor('2008-07-03')?.earlyClose).toBe(true); // Thursday
    expect(cal.sessionFor('2002-07-03')?.earlyClose).toBe(false); // Wednesday before 2013
    expect(cal.sessionFor('2019-07-05')?.earlyClose).toBe(false); // Friday after Thursday July 4 since 2013
    expect(cal.sessionFor('2022-07-01')?.earlyClose).toBe(false); // July 4 on Monday
    expect(cal.sessionFor('2021-07-02')?.earlyClose).toBe(false); // July 4 on Sunday
    expect(cal.sessionFor('2008-12-26')?.earlyClose).toBe(false);
    expect(cal.sessionFor('2025-12-26')?.earlyClose).toBe(false);
    expect(cal.sessionFor('2026-07-03')).toBeNull(); // observed Independence Day
    expect(nyseEarlyCloses(2024).map((d) => d.date)).toEqual([
      '2024-07-03',
      '2024-11-29',
      '2024-12-24',
    ]);
    expect(nyseEarlyCloses(2021).map((d) => d.date)).toEqual(['2021-11-26']);
  });
});

describe('sessions in UTC across DST', () => {
  it.each([
    // [year, last winter Monday, first summer Monday, last summer Monday, first winter Monday]
    [2021, '2021-03-08', '2021-03-15', '2021-11-01', '2021-11-08'],
    [2023, '2023-03-06', '2023-03-13', '2023-10-30', '2023-11-06'],
    [2024, '2024-03-04', '2024-03-11', '2024-10-28', '2024-11-04'],
  ])('%i: 14:30Z in winter, 13:30Z in summer', (_y, winter1, summer1, summer2, winter2) => {
    for (const d of [winter1, winter2]) {
      expect(cal.sessionFor(d)).toEqual({
        date: d,
        open: z(`${d}T14:30:00Z`),
        close: z(`${d}T21:00:00Z`),
        earlyClose: false,
      });
    }
    for (const d of [summer1, summer2]) {
      expect(cal.sessionFor(d)).toEqual({
        date: d,
        open: z(`${d}T13:30:00Z`),
        close: z(`${d}T20:00:00Z`),
        earlyClose: false,
      });
    }
  });

  it('agrees with luxon around every DST change (2000–2006 and 2007+ US rules) and on a sample', () => {
    const all = cal.allSessions();
    const openTimeOfDay = (i: number) => ((all[i].open % 86_400_000) + 86_400_000) % 86_400_000;
    const check = new Set<number>();
    let transitions = 0;
    for (let i = 0; i < all.length; i++) {
      if (i % 25 === 0) check.add(i);
      if (i > 0 && openTimeOfDay(i) !== openTimeOfDay(i - 1)) {
        transitions++;
        for (let k = Math.max(0, i - 3); k < Math.min(all.length, i + 3); k++) check.add(k);
      }
    }
    expect(transitions).toBe(2 * 31); // spring forward and fall back in each of the 31 years
    for (const i of check) {
      const s = all[i];
      expect(s.open).toBe(ny(s.date, '09:30'));
      expect(s.close).toBe(ny(s.date, s.earlyClose ? '13:00' : '16:00'));
    }
    expect(cal.sessionFor('2006-04-03')?.open).toBe(z('2006-04-03T13:30:00Z')); // old rule: 1st Sunday of April
    expect(cal.sessionFor('2006-03-13')?.open).toBe(z('2006-03-13T14:30:00Z'));
    expect(cal.sessionFor('2006-10-30')?.open).toBe(z('2006-10-30T14:30:00Z')); // old rule: last Sunday of October
  });
});

describe('isOpen / sessionAt / nextOpen / nextClose', () => {
  it('is open in [open, close)', () => {
    const open = z('2024-01-02T14:30:00Z');
    expect(cal.isOpen(open - 1)).toBe(false);
    expect(cal.isOpen(open)).toBe(true);
    expect(cal.isOpen(z('2024-01-02T20:59:59.999Z'))).toBe(true);
    expect(cal.isOpen(z('2024-01-02T21:00:00Z'))).toBe(false);
    expect(cal.isOpen(z('2024-01-06T15:00:00Z'))).toBe(false); // Saturday
    expect(cal.sessionAt(open)?.date).toBe('2024-01-02');
    expect(cal.sessionAt(open - 1)).toBeNull();
  });

  it('nextOpen/nextClose cross weekends and holidays', () => {
    // Thursday 2024-03-28 after close → Good Friday → weekend → Monday 2024-04-01 (EDT)
    expect(cal.nextOpen(z('2024-03-28T21:00:00Z'))).toBe(z('2024-04-01T13:30:00Z'));
    expect(cal.nextClose(z('2024-03-28T21:00:00Z'))).toBe(
      z('2024-03-28T20:00:00Z') + 86_400_000 * 4,
    ); // Monday 16:00 EDT
    // during a session: next open is the following session, next close is today's
    expect(cal.nextOpen(z('2024-01-02T15:00:00Z'))).toBe(z('2024-01-03T14:30:00Z'));
    expect(cal.nextClose(z('2024-01-02T15:00:00Z'))).toBe(z('2024-01-02T21:00:00Z'));
    // exactly at open / close
    expect(cal.nextOpen(z('2024-01-02T14:30:00Z'))).toBe(z('2024-01-02T14:30:00Z'));
    expect(cal.nextClose(z('2024-01-02T21:00:00Z'))).toBe(z('2024-01-02T21:00:00Z'));
    // Friday 2023-12-22 evening → Christmas Monday closed → Tuesday 2023-12-26
    expect(cal.nextOpen(z('2023-12-22T22:00:00Z'))).toBe(z('2023-12-26T14:30:00Z'));
    // early close day
    expect(cal.nextClose(z('2024-12-24T15:00:00Z'))).toBe(z('2024-12-24T18:00:00Z'));
  });

  it('sessionsBetween counts trading days per year', () => {
    const counts: Record<number, number> = {
      2001: 248,
      2004: 252,
      2008: 253,
      2012: 250,
      2018: 251,
      2020: 253,
      2021: 252,
      2022: 251,
      2023: 250,
      2024: 252,
      2025: 250,
    };
    for (const [y, n] of Object.entries(counts))
      expect([Number(y), yearSessions(Number(y)).length]).toEqual([Number(y), n]);
    const total = Array.from({ length: 31 }, (_, i) => yearSessions(2000 + i).length).reduce(
      (a, b) => a + b,
      0,
    );
    expect(total).toBe(cal.allSessions().length);
  });

  it('sessionsBetween returns sessions overlapping [from, to)', () => {
    const s = cal.sessionsBetween(z('2024-01-02T20:00:00Z'), z('2024-01-04T14:30:00Z'));
    expect(s.map((x) => x.date)).toEqual(['2024-01-02', '2024-01-03']);
    expect(cal.sessionsBetween(z('2024-01-06T00:00:00Z'), z('2024-01-07T00:00:00Z'))).toEqual([]);
    expect(() => cal.sessionsBetween(z('2024-01-07T00:00:00Z'), z('2024-01-06T00:00:00Z'))).toThrow(
      ValidationError,
    );
    // the whole range, with toTs at the exclusive end
    expect(cal.sessionsBetween(cal.rangeStart, cal.rangeEnd)).toHaveLength(
      cal.allSessions().length,
    );
  });

  it('rejects dates and timestamps outside 2000–2030 and malformed input', () => {
    expect(() => cal.isTradingDay('1999-12-31')).toThrow(/2000–2030/);
    expect(() => cal.sessionFor('2031-01-02')).toThrow(ValidationError);
    expect(() => cal.isTradingDay('2024-02-30')).toThrow(/yyyy-MM-dd/);
    expect(() => cal.isTradingDay('2024-1-2')).toThrow(ValidationError);
    expect(() => cal.isTradingDay(20240102 as any)).toThrow(ValidationError);
    expect(() => cal.isOpen(z('1999-12-31T15:00:00Z'))).toThrow(/2000–2030/);
    expect(() => cal.isOpen(z('2031-01-02T15:00:00Z'))).toThrow(ValidationError);
    expect(() => cal.isOpen(NaN)).toThrow(ValidationError);
    expect(() => cal.isOpen(z('2024-01-02T15:00:00Z') + 0.5)).toThrow(/integer/);
    expect(() => cal.nextOpen(z('2030-12-31T22:00:00Z'))).toThrow(/no session open/);
    expect(() => cal.nextClose(z('2030-12-31T22:00:00Z'))).toThrow(/no session close/);
    expect(cal.nextClose(z('2030-12-31T15:00:00Z'))).toBe(z('2030-12-31T21:00:00Z'));
    expect(cal.isTradingDay('2000-01-03')).toBe(true);
    expect(cal.isTradingDay('2030-12-31')).toBe(true);
  });

  it('shares precomputed data between instances and exposes its zone', () => {
    const other = new NyseTradingCalendar();
    expect(other.allSessions()).toBe(cal.allSessions());
    expect(other.zone).toBe('America/New_York');
  });

  describe('properties', () => {
    const tsArb = fc.integer({ min: cal.rangeStart, max: z('2030-12-30T00:00:00Z') });

    it('nextOpen(t) >= t, the market is open at it and closed just before it', () => {
      fc.assert(
        fc.property(tsArb, (t) => {
          const o = cal.nextOpen(t);
          expect(o).toBeGreaterThanOrEqual(t);
          expect(cal.isOpen(o)).toBe(true);
          expect(cal.isOpen(o - 1)).toBe(false);
          // no session starts in [t, o)
          expect(cal.sessionsBetween(t, o).every((s) => s.open < t)).toBe(true);
        }),
        { numRuns: 2000 },
      );
    });

    it('nextClose(t) >= t, open just before it and closed at it', () => {
      fc.assert(
        fc.property(tsArb, (t) => {
          const c = cal.nextClose(t);
          expect(c).toBeGreaterThanOrEqual(t);
          expect(cal.isOpen(c - 1)).toBe(true);
          expect(cal.isOpen(c)).toBe(false);
          if (cal.isOpen(t)) expect(c).toBe(cal.sessionAt(t)?.close);
        }),
        { numRuns: 2000 },
      );
    });

    it('isOpen agrees with the session of the New York date', () => {
      fc.assert(
        fc.property(tsArb, (t) => {
          const date = DateTime.fromMillis(t, { zone: 'America/New_York' }).toISODate() as string;
          const s = cal.sessionFor(date);
          expect(cal.isOpen(t)).toBe(s !== null && s.open <= t && t < s.close);
        }),
        { numRuns: 2000 },
      );
    });
  });
});

describe('ExchangeTradingCalendar with custom rules', () => {
  it('builds sessions from any rule set, including DST-change days', () => {
    const rules: TradingCalendarRules = {
      ...NYSE_RULES,
      name: 'TEST',
      firstYear: 2024,
      lastYear: 2024,
      open: { hour: 3, minute: 0 },
      close: { hour: 4, minute: 0 },
      holidays: () => [],
      earlyCloses: () => [],
    };
    const c = new ExchangeTradingCalendar(rules);
    expect(c.allSessions()).toHaveLength(262);
    // 2024-11-04 (Monday after fall-back): 03:00 EST = 08:00Z
    expect(c.sessionFor('2024-11-04')?.open).toBe(z('2024-11-04T08:00:00Z'));
    expect(() => c.isTradingDay('2025-01-02')).toThrow(/TEST calendar years 2024–2024/);
  });

  it('rejects wall times in a DST gap or overlap on a weekday', () => {
    // Tehran (until 2022) switched DST at midnight on March 22 / September 22, which can be weekdays.
    const base: TradingCalendarRules = {
      ...NYSE_RULES,
      name: 'TEHRAN',
      zone: 'Asia/Tehran',
      firstYear: 2021,
      lastYear: 2021,
      holidays: () => [],
      earlyCloses: () => [],
    };
    // 2021-03-22 (Monday) 00:00 → 01:00: 00:30 does not exist
    expect(() => new ExchangeTradingCalendar({ ...base, open: { hour: 0, minute: 30 } })).toThrow(
      /DST gap/,
    );
    // 2021-09-21 (Tuesday) 24:00 → 23:00: 23:30 happens twice
    expect(
      () =>
        new ExchangeTradingCalendar({
          ...base,
          open: { hour: 22, minute: 0 },
          close: { hour: 23, minute: 30 },
        }),
    ).toThrow(/DST overlap/);
    // regular hours are unaffected and convert with the right offsets either side of the change
    const ok = new ExchangeTradingCalendar(base);
    expect(ok.sessionFor('2021-03-19')?.open).toBe(z('2021-03-19T09:30:00+03:30'));
    expect(ok.sessionFor('2021-03-22')?.open).toBe(z('2021-03-22T09:30:00+04:30'));
  });

  it('rejects a close that is not after the open', () => {
    const rules: TradingCalendarRules = {
      ...NYSE_RULES,
      firstYear: 2024,
      lastYear: 2024,
      close: { hour: 9, minute: 0 },
    };
    expect(() => new ExchangeTradingCalendar(rules)).toThrow(/close after the open/);
  });
});

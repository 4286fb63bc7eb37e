import { DateTime } from 'luxon';
import { daysFromCivil, daysInMonth, parseClockTime, ZoneConverter } from './zone-time';

describe('daysFromCivil', () => {
  it('matches Date.UTC over centuries', () => {
    for (let y = 1890; y <= 2110; y += 7) {
      for (let m = 1; m <= 12; m++) {
        for (const d of [1, 15, daysInMonth(y, m)])
          expect(daysFromCivil(y, m, d) * 86_400_000).toBe(Date.UTC(y, m - 1, d));
      }
    }
  });

  it('knows month lengths and leap years', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2023, 4)).toBe(30);
    expect(daysInMonth(2023, 12)).toBe(31);
  });
});

describe('ZoneConverter', () => {
  const wall = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).toMillis();

  it('matches luxon every 7 minutes through the 2024 New York DST changes', () => {
    const z = new ZoneConverter('America/New_York');
    for (const [a, b] of [
      ['2024-03-09T00:00', '2024-03-11T00:00'],
      ['2024-11-02T00:00', '2024-11-04T00:00'],
    ]) {
      for (let w = wall(a); w < wall(b); w += 7 * 60_000) {
        const local = DateTime.fromMillis(w, { zone: 'utc' });
        const dt = DateTime.fromObject(local.toObject(), { zone: 'America/New_York' });
        const ours = z.toUtc(w);
        const inGap = dt.hour !== local.hour; // luxon shifts non-existent times forward
        const back = dt.toUTC().toMillis();
        const sameWall = (u: number) =>
          DateTime.fromMillis(u, { zone: 'America/New_York' }).toFormat('yyyy-MM-dd HH:mm') ===
          local.toFormat('yyyy-MM-dd HH:mm');
        const ambiguous = sameWall(back + 3_600_000) || sameWall(back - 3_600_000);
        if (inGap) {
          expect(ours).toBeNaN();
          expect(z.problem).toBe('gap');
        } else if (ambiguous) {
          expect(ours).toBeNaN();
          expect(z.problem).toBe('overlap');
        } else expect(ours).toBe(back);
      }
    }
  });

  it('converts UTC → wall and back, caching per hour', () => {
    const z = new ZoneConverter('Europe/Berlin');
    const u = Date.UTC(2006, 0, 2, 8, 1);
    expect(z.toWall(u)).toBe(Date.UTC(2006, 0, 2, 9, 1));
    expect(z.toUtc(Date.UTC(2006, 0, 2, 9, 1))).toBe(u);
    expect(z.toUtc(Date.UTC(2006, 6, 3, 9, 1))).toBe(Date.UTC(2006, 6, 3, 7, 1));
    // an hour with a change: exact per-call conversion
    expect(z.offsetAtUtc(Date.UTC(2024, 2, 31, 0, 59))).toBe(3_600_000);
    expect(z.offsetAtUtc(Date.UTC(2024, 2, 31, 1, 0))).toBe(7_200_000);
    expect(z.toUtc(Date.UTC(2024, 2, 31, 2, 30))).toBeNaN();
    expect(z.toUtc(Date.UTC(2024, 2, 31, 3, 30))).toBe(Date.UTC(2024, 2, 31, 1, 30));
  });

  it('handles UTC without lookups and rejects bad zones', () => {
    const z = new ZoneConverter('UTC');
    expect(z.toUtc(123)).toBe(123);
    expect(z.offsetAtUtc(123)).toBe(0);
    expect(() => new ZoneConverter('Mars/Olympus')).toThrow(/timeZone/);
  });
});

describe('parseClockTime', () => {
  it('parses HH:mm[:ss]', () => {
    expect(parseClockTime('16:00')).toBe(16 * 3_600_000);
    expect(parseClockTime('9:30:15')).toBe(9.5 * 3_600_000 + 15_000);
    expect(parseClockTime('24:00')).toBe(86_400_000);
    for (const bad of ['24:01', '12:60', 'noon', '1200']) expect(parseClockTime(bad)).toBeNaN();
  });
});

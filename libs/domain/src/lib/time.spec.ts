import fc from 'fast-check';
import { DateTime } from 'luxon';
import { exchangeDay, localToUtc, parseTimestamp, toIsoUtc, msToNs, nsToMs } from './time';
import { ValidationError } from './errors';

describe('time', () => {
  it('parses offset timestamps to UTC ms', () => {
    expect(toIsoUtc(parseTimestamp('2024-03-10T12:00:00Z'))).toBe('2024-03-10T12:00:00.000Z');
    expect(toIsoUtc(parseTimestamp('2024-03-10T12:00:00-05:00'))).toBe('2024-03-10T17:00:00.000Z');
  });
  it('rejects naive timestamps without a zone', () => {
    expect(() => parseTimestamp('2024-03-10T12:00:00')).toThrow(ValidationError);
    expect(() => parseTimestamp('2024-03-10T12:00:00')).toThrow(/no UTC offset/);
  });
  it('converts exchange-local time with a zone', () => {
    expect(toIsoUtc(parseTimestamp('2024-07-01 09:30:00', { zone: 'America/New_York' }))).toBe(
      '2024-07-01T13:30:00.000Z',
    );
    expect(toIsoUtc(localToUtc('2024-01-02T09:30:00', 'America/New_York'))).toBe(
      '2024-01-02T14:30:00.000Z',
    );
  });
  it('rejects non-existent (spring forward) and ambiguous (fall back) local times', () => {
    expect(() => localToUtc('2024-03-10T02:30:00', 'America/New_York')).toThrow(/DST gap/);
    expect(() => localToUtc('2024-11-03T01:30:00', 'America/New_York')).toThrow(/ambiguous/);
    expect(toIsoUtc(localToUtc('2024-11-03T00:59:00', 'America/New_York'))).toBe(
      '2024-11-03T04:59:00.000Z',
    );
    expect(toIsoUtc(localToUtc('2024-11-03T02:00:00', 'America/New_York'))).toBe(
      '2024-11-03T07:00:00.000Z',
    );
    expect(toIsoUtc(localToUtc('2024-03-10T03:00:00', 'America/New_York'))).toBe(
      '2024-03-10T07:00:00.000Z',
    );
  });
  it('ns/ms helpers', () => {
    expect(msToNs(1500)).toBe(1_500_000_000n);
    expect(nsToMs(1_500_999_999n)).toBe(1500);
    expect(nsToMs(-1n)).toBe(-1);
  });
});

describe('exchangeDay', () => {
  /** luxon's own answer (the reference). */
  const luxonDay = (ms: number, zone: string) => {
    const local = DateTime.fromMillis(ms, { zone }).startOf('day');
    return {
      date: local.toISODate(),
      start: local.toMillis(),
      end: local.plus({ days: 1 }).startOf('day').toMillis(),
    };
  };
  // DST at 02:00 and 03:00, southern hemisphere, 30-minute DST (Lord Howe), +05:45, DST at
  // midnight (Sao Paulo until 2019, Havana), a skipped calendar day (Apia, 2011-12-30), no DST.
  const zones = [
    'America/New_York',
    'Europe/Berlin',
    'Australia/Sydney',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'America/Sao_Paulo',
    'America/Havana',
    'Pacific/Apia',
    'UTC',
    'Asia/Tokyo',
  ];

  it('equals luxon for any instant in any zone, near offset changes included', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }),
        (zone, ms) => {
          expect(exchangeDay(ms, zone)).toEqual(luxonDay(ms, zone));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('equals luxon on every hour around offset changes and at the ends of its fast range', () => {
    const H = 3_600_000;
    const around = [
      ['America/Sao_Paulo', Date.UTC(2018, 10, 4, 3)], // 00:00 → 01:00: midnight does not exist
      ['America/Sao_Paulo', Date.UTC(2019, 1, 17, 2)],
      ['Pacific/Apia', Date.UTC(2011, 11, 30, 10)], // 2011-12-30 skipped
      ['Australia/Lord_Howe', Date.UTC(2024, 3, 6, 15)],
      ['America/New_York', Date.UTC(2024, 2, 10, 7)],
      ['America/New_York', Date.UTC(2024, 10, 3, 6)],
      ['Europe/Berlin', Date.UTC(2024, 9, 27, 1)],
    ] as const;
    for (const [zone, t] of around)
      for (let ms = t - 50 * H; ms <= t + 50 * H; ms += H / 4)
        expect(exchangeDay(ms, zone)).toEqual(luxonDay(ms, zone));
    for (const ms of [
      Date.UTC(2, 0, 1) - 1,
      Date.UTC(2, 0, 1) + 1,
      Date.UTC(9998, 11, 31) - 1,
      Date.UTC(9998, 11, 31) + 1,
      Date.UTC(1970, 0, 1),
      -1,
    ])
      expect(exchangeDay(ms, 'Europe/Berlin')).toEqual(luxonDay(ms, 'Europe/Berlin'));
  });

  it('equals luxon when walking forward (the remembered steady interval) at any stride, through offset changes', () => {
    const MIN = 60_000;
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.array(fc.integer({ min: 1, max: 3 * 1440 }), { minLength: 20, maxLength: 400 }),
        (zone, start, strides) => {
          let ms = start;
          for (const minutes of strides) {
            ms += minutes * MIN;
            expect(exchangeDay(ms, zone)).toEqual(luxonDay(ms, zone));
          }
        },
      ),
      { numRuns: 120 },
    );
    // every 47 minutes through a whole year of two DST zones and a midnight-DST one
    for (const zone of ['America/New_York', 'Australia/Lord_Howe', 'America/Sao_Paulo'])
      for (let ms = Date.UTC(2018, 0, 1); ms < Date.UTC(2019, 0, 1); ms += 47 * MIN) {
        const d = exchangeDay(ms, zone);
        const l = luxonDay(ms, zone);
        if (d.start !== l.start || d.end !== l.end || d.date !== l.date)
          expect({ zone, ms, d }).toEqual({ zone, ms, d: l });
      }
  });

  it('rejects bad input naming the field', () => {
    expect(() => exchangeDay(1.5, 'UTC')).toThrow(ValidationError);
    expect(() => exchangeDay(0, 'Mars/Olympus')).toThrow(/timeZone/);
  });
});

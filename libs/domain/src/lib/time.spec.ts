import { localToUtc, parseTimestamp, toIsoUtc, msToNs, nsToMs } from './time';
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

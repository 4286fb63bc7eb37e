import { parseTimestamp } from '@trading/domain';
import { OrderRateLimiter } from './order-rate-limiter';

const t = (iso: string): number => parseTimestamp(iso);

describe('OrderRateLimiter', () => {
  it('counts per America/New_York exchange day and resets at New York midnight', () => {
    const l = new OrderRateLimiter(null, 'America/New_York');
    l.record(t('2024-01-03T04:59:59.999Z')); // 23:59:59.999 on Jan 2 in New York
    expect(l.toSnapshot().day).toBe('2024-01-02');
    l.record(t('2024-01-03T05:00:00.000Z')); // midnight Jan 3
    expect(l.dayCount).toBe(1);
    l.record(t('2024-01-03T20:00:00.000Z'));
    expect(l.dayCount).toBe(2);
    expect(l.toSnapshot()).toMatchObject({
      day: '2024-01-03',
      dayStart: t('2024-01-03T05:00:00Z'),
      dayEnd: t('2024-01-04T05:00:00Z'),
      dayCount: 2,
      recent: [],
    });
  });

  it('handles 23 h and 25 h DST days', () => {
    const l = new OrderRateLimiter(null, 'America/New_York');
    l.roll(t('2024-03-10T12:00:00Z'));
    let s = l.toSnapshot();
    expect((s.dayEnd as number) - (s.dayStart as number)).toBe(23 * 3_600_000);
    l.roll(t('2024-11-03T12:00:00Z'));
    s = l.toSnapshot();
    expect((s.dayEnd as number) - (s.dayStart as number)).toBe(25 * 3_600_000);
  });

  it('never moves the day window back when time goes backwards', () => {
    const l = new OrderRateLimiter(null, 'America/New_York');
    l.record(t('2024-01-03T15:00:00Z'));
    l.record(t('2024-01-01T15:00:00Z'));
    expect(l.dayCount).toBe(2);
    expect(l.toSnapshot().day).toBe('2024-01-03');
  });

  it('keeps an exact sliding 1 s window in a ring buffer', () => {
    const l = new OrderRateLimiter(2, 'America/New_York');
    const t0 = t('2024-01-03T15:00:00Z');
    expect(l.secondFull(t0)).toBe(false);
    l.record(t0);
    expect(l.secondFull(t0)).toBe(false);
    l.record(t0 + 400);
    expect(l.secondFull(t0 + 999)).toBe(true);
    expect(l.secondFull(t0 + 1000)).toBe(false);
    l.record(t0 + 1000); // evicts t0
    expect(l.secondFull(t0 + 1399)).toBe(true);
    expect(l.secondFull(t0 + 1400)).toBe(false);
    expect(l.secondFull(t0 - 5000)).toBe(true); // clock went backwards: conservative
    expect(l.toSnapshot().recent).toEqual([t0 + 400, t0 + 1000]);
  });

  it('restores from a snapshot, keeping the newest N timestamps', () => {
    const l = new OrderRateLimiter(2, 'America/New_York');
    l.restore({
      dayStart: 100,
      dayEnd: 200,
      day: '1970-01-01',
      dayCount: 7,
      recent: [150, 160, 170],
    });
    expect(l.dayCount).toBe(7);
    expect(l.dayStart).toBe(100);
    expect(l.toSnapshot()).toEqual({
      dayStart: 100,
      dayEnd: 200,
      day: '1970-01-01',
      dayCount: 7,
      recent: [160, 170],
    });
    const fresh = new OrderRateLimiter(3, 'America/New_York');
    fresh.restore({ dayStart: null, dayEnd: null, day: null, dayCount: 0, recent: [1] });
    expect(fresh.toSnapshot()).toEqual({
      dayStart: null,
      dayEnd: null,
      day: null,
      dayCount: 0,
      recent: [1],
    });
    expect(fresh.dayStart).toBe(-Infinity);
  });
});

import { Money, ValidationError, parseTimestamp } from '@trading/domain';
import { buy, testPortfolio } from '../testing';
import { PortfolioEvent } from './portfolio.events';

const str = (m: Money) => m.amount.toFixed();
const at = (iso: string) => parseTimestamp(iso);

describe('equity curve, peak and drawdown', () => {
  it('tracks peak, current and max drawdown (absolute and %) at recorded points', () => {
    const pf = testPortfolio();
    expect(pf.drawdown().peak).toBeNull();
    expect(pf.peakEquity()).toBeNull();
    pf.applyFill(buy('AAA.SIM', 100, 100)); // cash 90,000
    const t = at('2024-01-02T15:00:00Z');
    const curve: Array<[number, string]> = [
      [100, '100000'],
      [110, '101000'],
      [99, '99900'],
      [105, '100500'],
      [120, '102000'],
    ];
    const dds: string[] = [];
    curve.forEach(([px, eq], i) => {
      pf.mark('AAA.SIM', px, t + i * 60_000);
      const ev = pf.recordEquity(t + i * 60_000);
      expect(ev[ev.length - 1]).toMatchObject({
        type: 'EquityRecorded',
        equity: eq,
        marks: { 'AAA.SIM': { price: String(px), ts: t + i * 60_000 } },
      });
      dds.push(str(pf.drawdown().amount));
      if (i === 2) {
        expect(str(pf.peakEquity()!)).toBe('101000');
        expect(pf.drawdown().percent.toSignificantDigits(12).toFixed()).toBe('1.08910891089');
      }
    });
    expect(dds).toEqual(['0', '0', '1100', '500', '0']);
    const dd = pf.drawdown();
    expect(str(dd.peak!)).toBe('102000');
    expect(str(dd.maxAmount)).toBe('1100');
    expect(dd.maxPercent.toSignificantDigits(12).toFixed()).toBe('1.08910891089');
    expect(str(pf.maxDrawdown())).toBe('1100');
    expect(pf.equityCurve().map((p) => str(p.equity))).toEqual(curve.map((c) => c[1]));
    // A recorded point with unchanged marks carries no marks.
    const again = pf.recordEquity(t + 10 * 60_000);
    expect(again[again.length - 1]).toMatchObject({ marks: {} });
    expect(() => pf.recordEquity(t)).toThrow(ValidationError);
  });

  it('does not treat deposits and withdrawals as performance', () => {
    const pf = testPortfolio();
    const t = at('2024-01-02T15:00:00Z');
    pf.recordEquity(t);
    pf.withdraw(10_000, t + 1);
    pf.recordEquity(t + 2);
    expect(str(pf.drawdown().amount)).toBe('0');
    expect(str(pf.dailyPnl(t + 3))).toBe('0');
    pf.deposit(500, t + 4);
    expect(str(pf.dailyPnl(t + 5))).toBe('0');
    expect(str(pf.dayStartEquity())).toBe('90500');
  });

  it('keeps a zero percentage when the peak is not positive', () => {
    const pf = testPortfolio({ startingCash: 0 });
    pf.recordEquity(at('2024-01-02T15:00:00Z'));
    pf.adjustCash(-10, 'FEE', at('2024-01-02T15:01:00Z'));
    pf.recordEquity(at('2024-01-02T15:01:00Z'));
    expect(str(pf.drawdown().amount)).toBe('10');
    expect(pf.drawdown().percent.toFixed()).toBe('0');
  });
});

describe('daily P&L (America/New_York days)', () => {
  it('uses the starting equity before anything is recorded, then the previous day close', () => {
    const pf = testPortfolio();
    pf.applyFill(buy('AAA.SIM', 100, 10));
    pf.mark('AAA.SIM', 11, at('2024-01-02T15:00:00Z'));
    expect(pf.currentDay()).toBeNull();
    expect(str(pf.dailyPnl(at('2024-01-02T15:00:00Z')))).toBe('100');
    const ev = pf.recordEquity(at('2024-01-02T21:00:00Z'));
    expect(ev.map((e) => e.type)).toEqual(['DayRolled', 'EquityRecorded']);
    expect(ev[0]).toMatchObject({
      date: '2024-01-02',
      previousDate: null,
      openingEquity: '100000',
    });
    pf.mark('AAA.SIM', 12, at('2024-01-03T14:30:00Z'));
    // Not rolled yet: pure preview uses yesterday's last recorded equity (100,100).
    expect(str(pf.dailyPnl(at('2024-01-03T14:30:00Z')))).toBe('100');
    const ev2 = pf.recordEquity(at('2024-01-03T14:30:00Z'));
    expect(ev2[0]).toMatchObject({
      type: 'DayRolled',
      date: '2024-01-03',
      previousDate: '2024-01-02',
      openingEquity: '100100',
    });
    expect(str(pf.dailyPnl(at('2024-01-03T15:00:00Z')))).toBe('100');
    expect(() => pf.dailyPnl(at('2024-01-02T15:00:00Z'))).toThrow(ValidationError);
  });

  it('splits days at New York midnight across the spring-forward DST change (2024-03-10)', () => {
    const pf = testPortfolio();
    pf.applyFill(buy('AAA.SIM', 100, 10));
    const rec = (iso: string, px: number): PortfolioEvent[] => {
      pf.mark('AAA.SIM', px, at(iso));
      return pf.recordEquity(at(iso));
    };
    expect(rec('2024-03-10T20:00:00Z', 10)[0]).toMatchObject({
      type: 'DayRolled',
      date: '2024-03-10',
    }); // 16:00 EDT
    // 23:30 EDT on 3/10 (a fixed UTC-5 offset would wrongly call this 22:30; both are 3/10)
    expect(rec('2024-03-11T03:30:00Z', 11).map((e) => e.type)).toEqual(['EquityRecorded']);
    expect(str(pf.dailyPnl(at('2024-03-11T03:59:59Z')))).toBe('100');
    // 00:30 EDT on 3/11 (EST arithmetic would say 23:30 on 3/10): a new day whose baseline is 100,100.
    expect(str(pf.dailyPnl(at('2024-03-11T04:30:00Z')))).toBe('0');
    const ev = rec('2024-03-11T04:30:00Z', 12);
    expect(ev[0]).toMatchObject({
      type: 'DayRolled',
      date: '2024-03-11',
      previousDate: '2024-03-10',
      openingEquity: '100100',
    });
    expect(str(pf.dailyPnl(at('2024-03-11T04:30:00Z')))).toBe('100');
  });

  it('splits days at New York midnight across the fall-back DST change (2024-11-03)', () => {
    const pf = testPortfolio();
    pf.recordEquity(at('2024-11-03T12:00:00Z'));
    // 23:30 EST on 11/3 (an EDT offset would say 00:30 on 11/4): same day.
    expect(pf.recordEquity(at('2024-11-04T04:30:00Z')).map((e) => e.type)).toEqual([
      'EquityRecorded',
    ]);
    expect(pf.currentDay()).toBe('2024-11-03');
    expect(pf.recordEquity(at('2024-11-04T05:00:00Z'))[0]).toMatchObject({
      type: 'DayRolled',
      date: '2024-11-04',
    });
  });

  it('honours a custom time zone', () => {
    const pf = testPortfolio({ timeZone: 'Asia/Tokyo' });
    pf.recordEquity(at('2024-01-02T14:59:59Z'));
    expect(pf.currentDay()).toBe('2024-01-02');
    expect(pf.recordEquity(at('2024-01-02T15:00:00Z'))[0]).toMatchObject({
      type: 'DayRolled',
      date: '2024-01-03',
    });
  });
});

const T0 = at('2024-01-02T15:00:00Z');

describe('Portfolio money reads asked on every order', () => {
  it('return the same Money while the value is unchanged, and a new one with the new value', () => {
    const pf = testPortfolio();
    const cash = pf.cash();
    expect(pf.cash()).toBe(cash);
    const dayStart = pf.dayStartEquity();
    expect(pf.dayStartEquity()).toBe(dayStart);
    pf.recordEquity(T0);
    const peak = pf.peakEquity()!;
    expect(pf.peakEquity()).toBe(peak);
    pf.applyFill(buy('AAA.SIM', 10, 100, { ts: T0 }));
    expect(str(pf.cash())).toBe('99000');
    expect(pf.cash()).not.toBe(cash);
    expect(str(cash)).toBe('100000'); // the earlier value object is unchanged
    pf.mark('AAA.SIM', 250, T0 + 1);
    pf.recordEquity(T0 + 1);
    expect(str(pf.peakEquity()!)).toBe('101500');
    expect(str(peak)).toBe('100000');
    pf.recordEquity(T0 + 86_400_000);
    expect(str(pf.dayStartEquity())).toBe('101500');
    expect(str(dayStart)).toBe('100000');
  });
});

import { ConfigError } from '@trading/domain';
import { parseRiskConfig } from './risk-config';

describe('parseRiskConfig', () => {
  it('defaults every control to disabled and the day to America/New_York', () => {
    const c = parseRiskConfig({});
    expect(c.maxOrderQuantity).toBeNull();
    expect(c.maxOrdersPerDay).toBeNull();
    expect(c.enforceTradingHours).toBe(false);
    expect(c.allowedInstruments).toBeNull();
    expect(c.deniedInstruments.size).toBe(0);
    expect(c.timeZone).toBe('America/New_York');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('parses a full config exactly', () => {
    const c = parseRiskConfig({
      maxOrderQuantity: '1000',
      maxOrderNotional: 100000,
      priceCollarPct: '5',
      maxPositionQuantity: '5000',
      maxPositionNotional: '250000.50',
      maxPositionPctOfEquity: 100,
      maxOpenPositions: 0,
      maxOrdersPerDay: 500,
      maxOrdersPerSecond: 5,
      dailyLossLimit: '2500',
      maxDrawdownPct: '20',
      enforceTradingHours: true,
      allowedInstruments: ['AAPL.XNAS'],
      deniedInstruments: ['GME.XNYS'],
      timeZone: 'Europe/London',
    });
    expect(c.maxPositionNotional?.toFixed()).toBe('250000.5');
    expect(c.maxOrderNotional?.toFixed()).toBe('100000');
    expect(c.maxOpenPositions).toBe(0);
    expect(c.enforceTradingHours).toBe(true);
    expect([...(c.allowedInstruments ?? [])]).toEqual(['AAPL.XNAS']);
    expect(c.deniedInstruments.has('GME.XNYS')).toBe(true);
    expect(c.timeZone).toBe('Europe/London');
  });

  it.each([
    [null, /risk\.: must be an object/],
    [[], /must be an object/],
    [5, /must be an object/],
    [{ maxPositonPct: 5 }, /risk\.maxPositonPct: is not a risk setting/],
    [{ enforceTradingHours: 'yes' }, /enforceTradingHours: must be true or false/],
    [{ timeZone: 'Mars/Base' }, /timeZone: must be an IANA/],
    [{ timeZone: 5 }, /timeZone/],
    [{ maxOrderQuantity: 'abc' }, /maxOrderQuantity: must be a decimal number, got "abc"/],
    [{ maxOrderQuantity: NaN }, /maxOrderQuantity: must be a decimal/],
    [{ maxOrderNotional: 0 }, /maxOrderNotional: must be greater than 0, got 0/],
    [{ dailyLossLimit: '-1' }, /dailyLossLimit: must be greater than 0/],
    [{ priceCollarPct: '100.01' }, /priceCollarPct: must be at most 100/],
    [{ maxDrawdownPct: 101 }, /maxDrawdownPct: must be at most 100/],
    [{ maxOpenPositions: -1 }, /maxOpenPositions: must be an integer from 0/],
    [{ maxOrdersPerDay: 0 }, /maxOrdersPerDay: must be an integer from 1/],
    [{ maxOrdersPerSecond: 1.5 }, /maxOrdersPerSecond: must be an integer/],
    [{ maxOrdersPerSecond: '5' }, /maxOrdersPerSecond: must be an integer/],
    [{ maxOrdersPerSecond: 100001 }, /maxOrdersPerSecond: must be an integer from 1 to 100000/],
    [{ allowedInstruments: 'AAPL.XNAS' }, /allowedInstruments: must be an array of instrument ids/],
    [{ deniedInstruments: ['A.B', ''] }, /deniedInstruments: must be an array/],
    [{ deniedInstruments: [1] }, /deniedInstruments/],
  ])('rejects %p', (input, message) => {
    expect(() => parseRiskConfig(input)).toThrow(ConfigError);
    expect(() => parseRiskConfig(input)).toThrow(message);
  });
});

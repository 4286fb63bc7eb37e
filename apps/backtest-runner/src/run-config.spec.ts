import { ValidationError } from '@trading/domain';
import {
  DataSourceConfig,
  dataSourceSchema,
  instrumentOf,
  parseBound,
  parseCommission,
  parseDataArg,
  parseParamArg,
  parseSlippage,
  symbolOf,
} from './run-config';

/** The ValidationError `fn` throws (fails the test when it does not throw one). */
function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

const source = (over: Record<string, unknown>): DataSourceConfig =>
  dataSourceSchema.parse({ path: 'data/orcl-1995-2014.txt', ...over });

describe('parseCommission', () => {
  it('reads per-unit with a minimum', () => {
    expect(parseCommission('0.005/unit,min=1')).toEqual({ perUnit: '0.005', minimum: '1' });
  });

  it('accepts share/contract as units, spaces and the long "minimum" key', () => {
    expect(parseCommission(' 2 / contract , minimum = 0.5 ')).toEqual({
      perUnit: '2',
      minimum: '0.5',
    });
    expect(parseCommission('0.01/share')).toEqual({ perUnit: '0.01' });
  });

  it('reads per-order', () => {
    expect(parseCommission('1/order')).toEqual({ perOrder: '1' });
  });

  it('converts percent to an exact fraction of notional', () => {
    expect(parseCommission('0.1%')).toEqual({ pctOfNotional: '0.001' });
    // 0.7 / 100 is 0.006999999999999999 in floating point: the conversion must be decimal.
    expect(parseCommission('0.7%')).toEqual({ pctOfNotional: '0.007' });
    expect(parseCommission('1.1%')).toEqual({ pctOfNotional: '0.011' });
  });

  it('converts basis points exactly', () => {
    expect(parseCommission('5bps')).toEqual({ pctOfNotional: '0.0005' });
    expect(parseCommission('1.3bps')).toEqual({ pctOfNotional: '0.00013' });
  });

  it('combines parts (later ones win for the same key)', () => {
    expect(parseCommission('1/order,0.005/unit,10bps,min=2')).toEqual({
      perOrder: '1',
      perUnit: '0.005',
      pctOfNotional: '0.001',
      minimum: '2',
    });
  });

  it('treats an empty spec as no commission', () => {
    expect(parseCommission('')).toEqual({});
  });

  it.each(['free', '5/day', '0.005/unit,min', 'e/unit', '1e%', '1..2/order', '5 bp'])(
    'rejects %j with a ValidationError naming commission and the value',
    (bad) => {
      const e = validationError(() => parseCommission(bad));
      expect(e.field).toBe('commission');
      expect(e.value).toBe(bad);
      expect(e.message).toContain('commission:');
      expect(e.message).toContain(JSON.stringify(bad));
      expect(e.message).toContain('0.005/unit,min=1');
    },
  );
});

describe('parseSlippage', () => {
  it('reads bps and ticks', () => {
    expect(parseSlippage('5bps')).toEqual({ bps: '5' });
    expect(parseSlippage('2.5 bps')).toEqual({ bps: '2.5' });
    expect(parseSlippage('1tick')).toEqual({ ticks: '1' });
    expect(parseSlippage(' 2ticks ')).toEqual({ ticks: '2' });
  });

  it('reads "0" and "none" as no slippage', () => {
    expect(parseSlippage('0')).toEqual({});
    expect(parseSlippage('none')).toEqual({});
  });

  it.each(['5', '5pct', '-1tick', '1.2.3bps', ''])('rejects %j naming slippage', (bad) => {
    const e = validationError(() => parseSlippage(bad));
    expect(e.field).toBe('slippage');
    expect(e.message).toContain(`slippage: must be Nbps or Nticks`);
    expect(e.message).toContain(JSON.stringify(bad));
  });
});

describe('parseDataArg', () => {
  it('splits SYMBOL=path', () => {
    expect(parseDataArg('ORCL=fixtures/orcl.txt')).toEqual({
      symbol: 'ORCL',
      path: 'fixtures/orcl.txt',
    });
  });

  it('keeps everything after the first = in the path', () => {
    expect(parseDataArg('X=a=b.csv')).toEqual({ symbol: 'X', path: 'a=b.csv' });
  });

  it('takes a plain path as the path', () => {
    expect(parseDataArg('fixtures/orcl.txt')).toEqual({ path: 'fixtures/orcl.txt' });
  });

  it('does not mistake an = inside a directory path for a symbol', () => {
    expect(parseDataArg('runs/a=b/orcl.txt')).toEqual({ path: 'runs/a=b/orcl.txt' });
    expect(parseDataArg('=orcl.txt')).toEqual({ path: '=orcl.txt' });
  });
});

describe('parseParamArg', () => {
  it('splits key=value and trims both sides; the value stays text', () => {
    expect(parseParamArg('period=20')).toEqual(['period', '20']);
    expect(parseParamArg(' fast = 5 ')).toEqual(['fast', '5']);
    expect(parseParamArg('expr=a=b')).toEqual(['expr', 'a=b']);
    expect(parseParamArg('flag=')).toEqual(['flag', '']);
  });

  it.each(['period', '=20', ''])('rejects %j naming param', (bad) => {
    const e = validationError(() => parseParamArg(bad));
    expect(e.field).toBe('param');
    expect(e.message).toBe(`param: must be key=value, got ${JSON.stringify(bad)}`);
  });
});

describe('parseBound', () => {
  it('passes undefined through', () => {
    expect(parseBound(undefined, 'America/New_York', 'from')).toBeUndefined();
  });

  it('reads a date as local midnight in the zone (winter and summer offsets)', () => {
    expect(parseBound('1995-01-03', 'America/New_York', 'from')).toBe(
      Date.UTC(1995, 0, 3, 5, 0, 0),
    );
    expect(parseBound('2006-07-03', 'America/New_York', 'from')).toBe(
      Date.UTC(2006, 6, 3, 4, 0, 0),
    );
    expect(parseBound('2006-01-02', 'Europe/Berlin', 'to')).toBe(Date.UTC(2006, 0, 1, 23, 0, 0));
    expect(parseBound('2006-01-02', 'UTC', 'to')).toBe(Date.UTC(2006, 0, 2));
  });

  it('honours an explicit offset regardless of the zone', () => {
    expect(parseBound('2006-01-02T09:00:00Z', 'Europe/Berlin', 'from')).toBe(
      Date.UTC(2006, 0, 2, 9),
    );
    expect(parseBound('2006-01-02T09:00:00+02:00', 'America/New_York', 'from')).toBe(
      Date.UTC(2006, 0, 2, 7),
    );
  });

  it('reads a naive date-time as local time in the zone', () => {
    expect(parseBound('2006-01-02T09:00', 'Europe/Berlin', 'from')).toBe(Date.UTC(2006, 0, 2, 8));
    expect(parseBound('2006-01-02 09:30:00', 'America/New_York', 'from')).toBe(
      Date.UTC(2006, 0, 2, 14, 30),
    );
  });

  it('rejects a local time in a DST gap, naming the field', () => {
    const e = validationError(() => parseBound('2006-03-26T02:30', 'Europe/Berlin', 'to'));
    expect(e.field).toBe('to');
  });

  it('rejects an impossible date naming the value as given', () => {
    const e = validationError(() => parseBound('2006-02-30', 'America/New_York', 'from'));
    expect(e.message).toBe(
      'from: must be a valid date YYYY-MM-DD whose midnight exists in America/New_York, got "2006-02-30"',
    );
  });

  it('rejects a date whose local midnight does not exist (DST starts at midnight)', () => {
    // Brazil moved clocks from 00:00 to 01:00 on 2018-11-04.
    const e = validationError(() => parseBound('2018-11-04', 'America/Sao_Paulo', 'to'));
    expect(e.field).toBe('to');
    expect(e.message).toContain('midnight exists in America/Sao_Paulo, got "2018-11-04"');
    expect(parseBound('2018-11-05', 'America/Sao_Paulo', 'to')).toBe(Date.UTC(2018, 10, 5, 2));
  });

  it('rejects garbage naming the field and an unknown zone naming timeZone', () => {
    const bad = validationError(() => parseBound('yesterday', 'America/New_York', 'from'));
    expect(bad.field).toBe('from');
    expect(bad.message).toContain('"yesterday"');
    const zone = validationError(() => parseBound('2006-01-02', 'Mars/Olympus', 'from'));
    expect(zone.field).toBe('timeZone');
    expect(zone.message).toContain('"Mars/Olympus"');
  });
});

describe('symbolOf / instrumentOf', () => {
  it('derives the symbol from the file name up to the first - _ or .', () => {
    expect(symbolOf(source({}))).toBe('ORCL');
    expect(symbolOf(source({ path: '/x/y/nvda_daily.csv' }))).toBe('NVDA');
    expect(symbolOf(source({ path: 'spy.csv' }))).toBe('SPY');
  });

  it('prefers the explicit symbol', () => {
    expect(symbolOf(source({ symbol: 'oracle' }))).toBe('oracle');
  });

  it('throws when the file name gives no symbol', () => {
    const e = validationError(() => symbolOf(source({ path: 'data/-2006.txt' })));
    expect(e.field).toBe('data.symbol');
    expect(e.message).toContain('SYMBOL=path');
  });

  it('builds an equity instrument with the defaults', () => {
    const i = instrumentOf(source({}));
    expect(i.id).toBe('ORCL.SIM');
    expect(i.assetClass).toBe('EQUITY');
    expect(i.tickSize.toString()).toBe('0.01');
    expect(i.lotSize.toString()).toBe('1');
    expect(i.multiplier.toString()).toBe('1');
    expect(i.currency).toBe('USD');
    expect(i.timeZone).toBe('America/New_York');
  });

  it('builds a futures instrument from the source fields', () => {
    const i = instrumentOf(
      source({
        symbol: 'FDAX',
        venue: 'EUREX',
        assetClass: 'FUTURE',
        tickSize: '0.5',
        multiplier: 25,
        currency: 'EUR',
        timeZone: 'Europe/Berlin',
      }),
    );
    expect(i.id).toBe('FDAX.EUREX');
    expect(i.assetClass).toBe('FUTURE');
    expect(i.tickSize.toString()).toBe('0.5');
    expect(i.multiplier.toString()).toBe('25');
    expect(i.currency).toBe('EUR');
    expect(i.timeZone).toBe('Europe/Berlin');
  });

  it("uses the run's zone when the source names none", () => {
    expect(instrumentOf(source({}), 'Europe/Berlin').timeZone).toBe('Europe/Berlin');
    expect(instrumentOf(source({ timeZone: 'Asia/Tokyo' }), 'Europe/Berlin').timeZone).toBe(
      'Asia/Tokyo',
    );
  });
});

describe('dataSourceSchema', () => {
  it('rejects a zero tick size and a bad symbol', () => {
    expect(dataSourceSchema.safeParse({ path: 'a.csv', tickSize: '0' }).success).toBe(false);
    expect(dataSourceSchema.safeParse({ path: 'a.csv', symbol: 'has space' }).success).toBe(false);
    expect(dataSourceSchema.safeParse({ path: 'a.csv', tickSize: 'abc' }).success).toBe(false);
  });
});

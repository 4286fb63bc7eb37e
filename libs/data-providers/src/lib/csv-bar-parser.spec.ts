import { DateTime } from 'luxon';
import { DataError, ValidationError } from '@trading/domain';
import { batchToBars } from './bar-batch';
import { CsvBarParser, parseBarsCsv } from './csv-bar-parser';
import { CsvParseOptions, resolveCsvParseOptions } from './csv-options';

const base = { instrumentId: 'X.SIM', source: 'test.csv' };
const ny = (iso: string) => DateTime.fromISO(iso, { zone: 'America/New_York' }).toMillis();
const berlin = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Berlin' }).toMillis();
const parse = (text: string, o: Partial<CsvParseOptions> = {}) =>
  parseBarsCsv(text, { ...base, timeZone: 'America/New_York', ...o });
const caught = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
};

const OHLCV =
  'Date,Open,High,Low,Close,Volume,OpenInterest\n2024-03-08,10.5,11,10,10.75,1000,0\n2024-03-11,10.75,12,10.5,11.5,2000,0\n';

describe('CsvBarParser layouts', () => {
  it('parses Date,Open,High,Low,Close,Volume,OpenInterest daily bars stamped at the session close', () => {
    const r = parse(OHLCV);
    expect(r.layout).toMatchObject({ format: 'ohlcv', kind: 'bars', header: true, delimiter: ',' });
    expect(r.stats).toEqual({ rows: 2, bars: 2, skipped: 0 });
    const bars = batchToBars(r.batch);
    // 16:00 New York: EST before the 2024-03-10 change, EDT after
    expect(bars[0]).toEqual({
      instrumentId: 'X.SIM',
      ts: ny('2024-03-08T16:00'),
      open: 10.5,
      high: 11,
      low: 10,
      close: 10.75,
      volume: 1000,
    });
    expect(bars[0].ts).toBe(Date.UTC(2024, 2, 8, 21));
    expect(bars[1].ts).toBe(Date.UTC(2024, 2, 11, 20));
  });

  it('honours sessionClose', () => {
    const r = parse(OHLCV, { sessionClose: '22:00', timeZone: 'Europe/Berlin' });
    expect(r.batch.ts[0]).toBe(berlin('2024-03-08T22:00'));
  });

  it('parses Yahoo files using Close, optionally adjusted by AdjClose/Close', () => {
    const text =
      'Date,Open,High,Low,Close,Adj Close,Volume\n1995-01-03,2.179012,2.191358,2.117284,2.117284,1.883304,36301200\n';
    const raw = parse(text);
    expect(raw.layout?.format).toBe('yahoo');
    expect(batchToBars(raw.batch)[0]).toMatchObject({
      open: 2.179012,
      high: 2.191358,
      low: 2.117284,
      close: 2.117284,
      volume: 36301200,
    });
    const adj = parse(text, { adjust: true, format: 'yahoo' });
    const k = 1.883304 / 2.117284;
    expect(batchToBars(adj.batch)[0]).toMatchObject({
      open: 2.179012 * k,
      high: 2.191358 * k,
      low: 2.117284 * k,
      close: 2.117284 * k,
      volume: 36301200,
    });
    expect(adj.batch.close[0]).toBeCloseTo(1.883304, 12);
    const e = caught(() =>
      parse('Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,1,2,1,2,-1,5\n', {
        adjust: true,
      }),
    );
    expect(e.message).toMatch(/test.csv:2: adj close/);
  });

  it('detects a separate time column that the header does not name (backtrader minute files)', () => {
    const text =
      'Date,Open,High,Low,Close,Volume,OpenInterest\r\n2006-01-02,09:01:00,3602.00,3603.00,3597.00,3599.00,5699,0\r\n2006-01-02,09:02:00,3600.00,3601.00,3598.00,3599.00,894,0\r\n';
    const r = parse(text, { timeZone: 'Europe/Berlin' });
    expect(r.layout).toMatchObject({
      format: 'date-time-ohlcv',
      columns: ['date', 'time', 'open', 'high', 'low', 'close', 'volume', 'skip'],
    });
    expect(batchToBars(r.batch)[0]).toMatchObject({
      ts: berlin('2006-01-02T09:01'),
      open: 3602,
      high: 3603,
      low: 3597,
      close: 3599,
      volume: 5699,
    });
    expect(r.batch.ts[1]).toBe(Date.UTC(2006, 0, 2, 8, 2));
  });

  it('parses an explicit Time column and forced date-time-ohlcv', () => {
    const r = parse('Date,Time,Open,High,Low,Close,Volume\n2006-01-02,09:05:00,1,2,1,2,3\n', {
      timeZone: 'Europe/Berlin',
    });
    expect(r.batch.ts[0]).toBe(Date.UTC(2006, 0, 2, 8, 5));
    const f = parse('Date,Open,High,Low,Close,Volume\n2006-01-02,9:05,1,2,1,2,3\n', {
      timeZone: 'Europe/Berlin',
      format: 'date-time-ohlcv',
    });
    expect(f.batch.ts[0]).toBe(Date.UTC(2006, 0, 2, 8, 5));
  });

  it('stamps bar-open files at open + barDurationMs', () => {
    const r = parse('Date,Time,Open,High,Low,Close,Volume\n2006-01-02,09:00,1,2,1,2,3\n', {
      timeZone: 'Europe/Berlin',
      barTimestamp: 'open',
      barDurationMs: 60_000,
    });
    expect(r.batch.ts[0]).toBe(Date.UTC(2006, 0, 2, 8, 1));
  });

  it('parses tick files: Datetime with O=H=L=C, and timestamp,price,size', () => {
    const ohlc =
      'Datetime,Open,High,Low,Close,Volume,OpenInterest\n2015-09-23T20:57:42.146,3067.00,3067.00,3067.00,3067.00,180,0\n2015-09-23T20:57:42.146,3066.00,3066.00,3066.00,3066.00,2,0\n';
    const r = parse(ohlc, { format: 'tick', timeZone: 'Europe/Berlin' });
    expect(r.layout?.kind).toBe('ticks');
    expect(batchToBars(r.batch)).toEqual([
      {
        instrumentId: 'X.SIM',
        ts: Date.UTC(2015, 8, 23, 18, 57, 42, 146),
        open: 3067,
        high: 3067,
        low: 3067,
        close: 3067,
        volume: 180,
      },
      {
        instrumentId: 'X.SIM',
        ts: Date.UTC(2015, 8, 23, 18, 57, 42, 146),
        open: 3066,
        high: 3066,
        low: 3066,
        close: 3066,
        volume: 2,
      },
    ]);
    const tps = parse(
      'timestamp,price,size\n2024-01-02T14:30:00.5Z,100.25,3\n1704205800600,100.5,1\n1704205801,100,2\n',
    );
    expect(tps.layout).toMatchObject({ format: 'tick', kind: 'ticks' });
    expect(Array.from(tps.batch.ts)).toEqual([
      Date.UTC(2024, 0, 2, 14, 30, 0, 500),
      1704205800600,
      1704205801000,
    ]);
    expect(Array.from(tps.batch.close)).toEqual([100.25, 100.5, 100]);
    expect(Array.from(tps.batch.volume)).toEqual([3, 1, 2]);
  });

  it('treats a same-timestamp tick file as bars in auto mode (duplicates are bad rows)', () => {
    const e = caught(() =>
      parse(
        'Datetime,Open,High,Low,Close,Volume\n2015-09-23T20:57:42.146,1,1,1,1,1\n2015-09-23T20:57:42.146,1,1,1,1,1\n',
        { timeZone: 'Europe/Berlin' },
      ),
    );
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toMatch(/test.csv:3: duplicate timestamp/);
  });

  it('parses headerless files, offsets, YYYYMMDD dates, other delimiters and a BOM', () => {
    const a = parse('20240102,1,2,0.5,1.5,10\n');
    expect(a.layout).toMatchObject({ header: false, format: 'ohlcv' });
    expect(a.batch.ts[0]).toBe(ny('2024-01-02T16:00'));
    const b = parse('2024-01-02,09:31,1,2,0.5,1.5,10,0\n');
    expect(b.layout?.format).toBe('date-time-ohlcv');
    expect(b.batch.ts[0]).toBe(ny('2024-01-02T09:31'));
    const c = parse(
      '2024-01-02 09:31:00+01:00,100,5\n2024-01-02T09:32:00-0500,101,5\n2024-01-02T14:33:00+00,102,1\n',
    );
    expect(c.layout?.kind).toBe('ticks');
    expect(Array.from(c.batch.ts)).toEqual([
      Date.UTC(2024, 0, 2, 8, 31),
      Date.UTC(2024, 0, 2, 14, 32),
      Date.UTC(2024, 0, 2, 14, 33),
    ]);
    const d = parse('\uFEFFDate;Open;High;Low;Close;Volume\n2024/01/02;1;2;0.5;1.5;10\n');
    expect(d.layout?.delimiter).toBe(';');
    expect(d.batch.close[0]).toBe(1.5);
    const e = parse('Date\tOpen\tHigh\tLow\tClose\n2024-01-02\t1\t2\t0.5\t1.5\n', {
      delimiter: '\t',
    });
    expect(e.batch.volume[0]).toBe(0);
    expect(parse('2024-01-02,1,2,0.5,1.5,1.4,10\n', { format: 'yahoo' }).batch.close[0]).toBe(1.5);
    expect(
      parse('20240102T093000.5,1\n', { format: 'tick', skipBadRows: true }).stats.skipped,
    ).toBe(1);
    expect(parse('2024-01-02T09:30,5\n', { format: 'tick' }).batch.volume[0]).toBe(0);
  });

  it('gives the same bars for any chunking', () => {
    const text =
      'Date,Open,High,Low,Close,Volume\r\n' +
      Array.from(
        { length: 40 },
        (_, i) =>
          `2024-01-${String(1 + (i >> 1)).padStart(2, '0')}T${i % 2 ? '10' : '09'}:00:00.25,1.${i},2,1,1.5,${i}`,
      ).join('\r\n');
    const whole = parse(text);
    expect(whole.stats.bars).toBe(40);
    for (const size of [1, 2, 3, 7, 64]) {
      const p = new CsvBarParser({ ...base, timeZone: 'America/New_York', batchSize: 7 });
      const batches = [];
      for (let i = 0; i < text.length; i += size) batches.push(...p.push(text.slice(i, i + size)));
      batches.push(...p.end());
      expect(batches.flatMap(batchToBars)).toEqual(batchToBars(whole.batch));
      expect(batches.slice(0, -1).every((b) => b.length === 7)).toBe(true);
    }
  });
});

describe('CsvBarParser bad rows', () => {
  const H = 'Date,Time,Open,High,Low,Close,Volume\n';
  const good = '2024-01-02,09:30,10,11,9,10.5,100\n';
  const cases: [string, RegExp][] = [
    ['2024-01-02,09:31,10,11,9\n', /expected 7 fields, got 5/],
    ['2024-01-02,09:31,10,11,9,10.5,100,7\n', /expected 7 fields, got more/],
    ['2024-01-02,09:31,10,9,11,10,100\n', /high 9 < low 11/],
    ['2024-01-02,09:31,12,11,9,10.5,100\n', /open 12 outside \[low 9, high 11\]/],
    ['2024-01-02,09:31,10,11,9,8,100\n', /close 8 outside/],
    ['2024-01-02,09:31,10,abc,9,10,100\n', /high is missing or not a number/],
    ['2024-01-02,09:31,,11,9,10,100\n', /open is missing/],
    ['2024-01-02,09:31,10,11,9,10,-5\n', /volume is not a non-negative number/],
    ['2024-01-02,09:30,10,11,9,10,100\n', /duplicate timestamp/],
    ['2024-01-02,09:29,10,11,9,10,100\n', /timestamp goes backwards/],
    ['2024-02-30,09:31,10,11,9,10,100\n', /invalid date\/time "2024-02-30"/],
    ['2024-13-01,09:31,10,11,9,10,100\n', /invalid date/],
    ['02/01/2024,09:31,10,11,9,10,100\n', /invalid date/],
    ['2024-01-02,25:00,10,11,9,10,100\n', /invalid time "25:00"/],
    ['2024-01-02,9.31,10,11,9,10,100\n', /invalid time/],
    ['2024-03-10,02:30,10,11,9,10,100\n', /does not exist in America\/New_York \(DST gap\)/],
    ['2024-11-03,01:30,10,11,9,10,100\n', /is ambiguous in America\/New_York \(DST overlap\)/],
  ];

  it.each(cases)('reports %j with file and line', (row, msg) => {
    const e = caught(() => parse(H + good + row));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toMatch(/^test\.csv:3: /);
    expect(e.message).toMatch(msg);
    expect((e as DataError).details).toMatchObject({ source: 'test.csv', line: 3 });
  });

  it('skips and lists bad rows with skipBadRows (line numbers count blank lines)', () => {
    const text =
      H + good + cases.map((c) => c[0]).join('') + '\n2024-01-02,10:00,10,11,9,10.5,100\n';
    const r = parse(text, { skipBadRows: true });
    expect(r.stats).toEqual({ rows: 2 + cases.length, bars: 2, skipped: cases.length });
    expect(r.issues.map((i) => i.line)).toEqual(cases.map((_, i) => 3 + i));
    expect(r.issues[2]).toMatchObject({
      source: 'test.csv',
      message: 'high 9 < low 11',
      text: '2024-01-02,09:31,10,9,11,10,100',
    });
    expect(batchToBars(r.batch).map((b) => b.ts)).toEqual([
      ny('2024-01-02T09:30'),
      ny('2024-01-02T10:00'),
    ]);
    const capped = parse(text, { skipBadRows: true, maxIssues: 2 });
    expect(capped.issues).toHaveLength(2);
    expect(capped.stats.skipped).toBe(cases.length);
  });

  it('validates tick rows', () => {
    const r = parse(
      'timestamp,price,size\n2024-01-02T09:30:00Z,x,1\n2024-01-02T09:30:01Z,1,-1\n2024-01-02T09:30:02Z,1,1\n2024-01-02T09:30:01Z,1,1\n2024-01-02T09:30:02Q,1,1\n2024-01-02T09:30:02+25:00,1,1\n',
      { skipBadRows: true },
    );
    expect(r.issues.map((i) => i.message)).toEqual([
      'price is missing or not a number',
      'size is not a non-negative number',
      'timestamp goes backwards (unsorted input)',
      'invalid date/time "2024-01-02T09:30:02Q"',
      'invalid date/time "2024-01-02T09:30:02+25:00"',
    ]);
  });

  it('requires a time zone for naive timestamps (a configuration error, not a bad row)', () => {
    const e = caught(() => parseBarsCsv(OHLCV, { ...base, skipBadRows: true }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.message).toMatch(
      /^timeZone: is required: test.csv has timestamps without a UTC offset \(line 2\)/,
    );
  });

  it('fails when required columns are missing', () => {
    expect(() => parse('Date,Open,High,Close\n2024-01-02,1,2,1\n')).toThrow(
      /test.csv:2: low column not found/,
    );
    expect(() =>
      parse('Date,Open,High,Low,Close\n2024-01-02,1,2,1,1\n', { format: 'yahoo' }),
    ).toThrow(/adj close column not found/);
    expect(() => parse('Foo,Bar\nx,y\n1,2\n')).toThrow(/date column not found/);
  });

  it('rejects pushes after end and returns nothing for empty input', () => {
    const p = new CsvBarParser({ ...base, timeZone: 'UTC' });
    expect(p.end()).toEqual([]);
    expect(p.layout).toBeNull();
    expect(() => p.push('x')).toThrow(ValidationError);
    expect(p.instrumentId).toBe('X.SIM');
  });
});

describe('resolveCsvParseOptions', () => {
  it('defaults', () => {
    expect(resolveCsvParseOptions({ ...base })).toMatchObject({
      format: 'auto',
      sessionClose: '16:00',
      sessionCloseMs: 57_600_000,
      barTimestamp: 'close',
      adjust: false,
      skipBadRows: false,
      batchSize: 65_536,
    });
  });

  it.each([
    [{ format: 'excel' }, /^format: must be one of/],
    [{ timeZone: 'Nowhere' }, /^timeZone: must be a valid IANA/],
    [{ sessionClose: '4pm' }, /^sessionClose: must be a local time/],
    [{ barTimestamp: 'mid' }, /^barTimestamp: must be "close" or "open"/],
    [{ barTimestamp: 'open' }, /^barDurationMs: is required/],
    [{ barDurationMs: -1 }, /^barDurationMs: must be an integer/],
    [{ adjust: 'yes' }, /^adjust: must be a boolean/],
    [{ adjust: true, format: 'ohlcv' }, /^adjust: needs an Adj Close column/],
    [{ skipBadRows: 1 }, /^skipBadRows: must be a boolean/],
    [{ maxIssues: -1 }, /^maxIssues:/],
    [{ batchSize: 0 }, /^batchSize:/],
    [{ delimiter: '|' }, /^delimiter:/],
    [{ source: '' }, /^source:/],
    [{ instrumentId: 'nodot' }, /^instrumentId:/],
    [{ colour: 'red' }, /^colour: is not a known option/],
  ])('rejects %j naming the field', (extra, msg) => {
    expect(() =>
      resolveCsvParseOptions({ ...base, ...(extra as object) } as CsvParseOptions),
    ).toThrow(msg);
  });

  it('prefixes field names and rejects non-objects', () => {
    expect(() => resolveCsvParseOptions({ ...base, timeZone: 'x' }, 'series[2].')).toThrow(
      /^series\[2\]\.timeZone/,
    );
    expect(() => resolveCsvParseOptions(null as unknown as CsvParseOptions)).toThrow(/^options/);
  });
});

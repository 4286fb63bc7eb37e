/**
 * The real fixture files through the parser and the adapter: row counts, exact first/last bars,
 * every number against parseFloat, every timestamp against luxon, resampling vs references.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DateTime } from 'luxon';
import {
  BarBatch,
  batchToBars,
  collectBarBatches,
  CsvParseOptions,
  parseBarsCsv,
  resample,
} from '@trading/data-providers';
import { Bar, InstrumentId } from '@trading/domain';
import { CsvHistoricalData } from './csv-historical-data';

jest.setTimeout(60_000); // real files on a shared machine

const DIR = path.resolve(__dirname, '../../fixtures');
const ID = 'FIX.SIM' as InstrumentId;
const text = (f: string) => readFileSync(path.join(DIR, f), 'utf8');
const rowsOf = (f: string) =>
  text(f)
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => l.split(','));
const parse = (f: string, o: Partial<CsvParseOptions>) =>
  parseBarsCsv(text(f), { instrumentId: ID, source: f, ...o });
const NY = 'America/New_York';
const BER = 'Europe/Berlin';

interface Case {
  file: string;
  opts: Partial<CsvParseOptions>;
  rows: number;
  format: string;
  first: Omit<Bar, 'instrumentId'>;
  last: Omit<Bar, 'instrumentId'>;
  /** Column index of open/high/low/close/volume in the raw rows. */
  cols: [number, number, number, number, number];
  /** Local ISO timestamp of a raw row as luxon sees it. */
  local: (r: string[]) => string;
  zone: string;
}

const cases: Case[] = [
  {
    file: 'orcl-1995-2014.txt',
    opts: { timeZone: NY },
    rows: 5036,
    format: 'yahoo',
    first: {
      ts: Date.UTC(1995, 0, 3, 21),
      open: 2.179012,
      high: 2.191358,
      low: 2.117284,
      close: 2.117284,
      volume: 36301200,
    },
    last: {
      ts: Date.UTC(2014, 11, 31, 21),
      open: 45.450001,
      high: 45.560001,
      low: 44.970001,
      close: 44.970001,
      volume: 13269200,
    },
    cols: [1, 2, 3, 4, 6],
    local: (r) => `${r[0]}T16:00`,
    zone: NY,
  },
  {
    file: '2006-01-02-volume-min-001.txt',
    opts: { timeZone: BER },
    rows: 30889,
    format: 'date-time-ohlcv',
    first: {
      ts: Date.UTC(2006, 0, 2, 8, 1),
      open: 3602,
      high: 3603,
      low: 3597,
      close: 3599,
      volume: 5699,
    },
    last: {
      ts: Date.UTC(2006, 1, 27, 21, 0),
      open: 3840,
      high: 3840,
      low: 3838,
      close: 3838,
      volume: 327,
    },
    cols: [2, 3, 4, 5, 6],
    local: (r) => `${r[0]}T${r[1]}`,
    zone: BER,
  },
  {
    file: '2006-day-001.txt',
    opts: { timeZone: BER },
    rows: 255,
    format: 'ohlcv',
    first: {
      ts: Date.UTC(2006, 0, 2, 15),
      open: 3578.73,
      high: 3605.95,
      low: 3578.73,
      close: 3604.33,
      volume: 0,
    },
    last: {
      ts: Date.UTC(2006, 11, 29, 15),
      open: 4130.12,
      high: 4142.01,
      low: 4119.94,
      close: 4119.94,
      volume: 0,
    },
    cols: [1, 2, 3, 4, 5],
    local: (r) => `${r[0]}T16:00`,
    zone: BER,
  },
  {
    file: '2006-min-005.txt',
    opts: { timeZone: BER },
    rows: 2142,
    format: 'date-time-ohlcv',
    first: {
      ts: Date.UTC(2006, 0, 2, 8, 5),
      open: 3578.73,
      high: 3587.88,
      low: 3578.73,
      close: 3582.99,
      volume: 0,
    },
    last: {
      ts: Date.UTC(2006, 0, 30, 16, 30),
      open: 3679.29,
      high: 3679.4,
      low: 3676.31,
      close: 3677.52,
      volume: 0,
    },
    cols: [2, 3, 4, 5, 6],
    local: (r) => `${r[0]}T${r[1]}`,
    zone: BER,
  },
  {
    file: 'ticksample.csv',
    opts: { timeZone: BER, format: 'tick' },
    rows: 135,
    format: 'tick',
    first: {
      ts: Date.UTC(2015, 8, 23, 18, 57, 42, 146),
      open: 3067,
      high: 3067,
      low: 3067,
      close: 3067,
      volume: 180,
    },
    last: {
      ts: Date.UTC(2015, 8, 23, 19, 0, 0, 238),
      open: 3069,
      high: 3069,
      low: 3069,
      close: 3069,
      volume: 1,
    },
    cols: [1, 2, 3, 4, 5],
    local: (r) => r[0],
    zone: BER,
  },
  {
    file: 'nvda-1999-2014.txt',
    opts: { timeZone: NY },
    rows: 4012,
    format: 'yahoo',
    first: {
      ts: Date.UTC(1999, 0, 22, 21),
      open: 1.75,
      high: 1.953125,
      low: 1.552083,
      close: 1.640625,
      volume: 67867200,
    },
    last: {
      ts: Date.UTC(2014, 11, 31, 21),
      open: 20.4,
      high: 20.51,
      low: 19.99,
      close: 20.049999,
      volume: 4157500,
    },
    cols: [1, 2, 3, 4, 6],
    local: (r) => `${r[0]}T16:00`,
    zone: NY,
  },
];

describe.each(cases)('fixture $file', (c) => {
  let batch: BarBatch;
  beforeAll(() => {
    const r = parse(c.file, c.opts);
    expect(r.issues).toEqual([]);
    expect(r.layout?.format).toBe(c.format);
    batch = r.batch;
  });

  it(`has ${c.rows} rows and exact first/last bars`, () => {
    expect(batch.length).toBe(c.rows);
    expect(rowsOf(c.file)).toHaveLength(c.rows);
    const bars = batchToBars(batch);
    expect(bars[0]).toEqual({ instrumentId: ID, ...c.first });
    expect(bars[c.rows - 1]).toEqual({ instrumentId: ID, ...c.last });
  });

  it('equals parseFloat for every value and luxon for every timestamp', () => {
    const rows = rowsOf(c.file);
    const cols = [batch.open, batch.high, batch.low, batch.close, batch.volume];
    let mismatches = 0;
    let tsMismatches = 0;
    for (let i = 0; i < rows.length; i++) {
      for (let k = 0; k < 5; k++)
        if (!Object.is(cols[k][i], parseFloat(rows[i][c.cols[k]]))) mismatches++;
      if (batch.ts[i] !== DateTime.fromISO(c.local(rows[i]), { zone: c.zone }).toMillis())
        tsMismatches++;
    }
    expect({ mismatches, tsMismatches }).toEqual({ mismatches: 0, tsMismatches: 0 });
  });
});

describe('fixture resampling', () => {
  it('2006-min-005 → H1 equals a straightforward reference computation', async () => {
    const { batch } = parse('2006-min-005.txt', { timeZone: BER });
    const ref: Bar[] = [];
    for (const b of batchToBars(batch)) {
      const end = Math.ceil(b.ts / 3_600_000) * 3_600_000;
      const last = ref[ref.length - 1];
      if (last?.ts === end)
        ref[ref.length - 1] = {
          ...last,
          high: Math.max(last.high, b.high),
          low: Math.min(last.low, b.low),
          close: b.close,
          volume: last.volume + b.volume,
        };
      else ref.push({ ...b, ts: end });
    }
    const h1 = batchToBars(await collectBarBatches(ID, resample([batch], { timeframe: 'H1' })));
    expect(h1).toEqual(ref);
    expect(h1[0]).toEqual({
      instrumentId: ID,
      ts: Date.UTC(2006, 0, 2, 9),
      open: 3578.73,
      high: 3605.49,
      low: 3578.73,
      close: 3600.4,
      volume: 0,
    }); // checked with awk
  });

  it('M1 → D1 by Berlin session (close 22:00) equals a per-date reference and (but for one low) the daily file', async () => {
    const data = new CsvHistoricalData({
      cacheDir: false,
      baseDir: DIR,
      series: [
        {
          instrumentId: ID,
          path: '2006-01-02-volume-min-001.txt',
          timeZone: BER,
          sessionClose: '22:00',
        },
      ],
    });
    const d1 = batchToBars(
      await collectBarBatches(ID, data.loadBars({ instrumentId: ID, timeframe: 'D1' })),
    );
    // reference: group the raw rows by their date column (all rows are 09:01–22:00 local)
    const ref = new Map<string, number[]>();
    for (const r of rowsOf('2006-01-02-volume-min-001.txt')) {
      const [o, h, l, c, v] = r.slice(2, 7).map(Number);
      const a = ref.get(r[0]);
      if (!a) ref.set(r[0], [o, h, l, c, v]);
      else ref.set(r[0], [a[0], Math.max(a[1], h), Math.min(a[2], l), c, a[4] + v]);
    }
    const daily = new Map(
      rowsOf('2006-volume-day-001.txt').map((r) => [r[0], r.slice(1, 5).map(Number)]),
    );
    expect(d1).toHaveLength(41);
    const differsFromDailyFile: string[] = [];
    for (const b of d1) {
      const date = DateTime.fromMillis(b.ts, { zone: BER });
      expect(date.toFormat('HH:mm')).toBe('22:00');
      const day = date.toISODate() as string;
      expect([b.open, b.high, b.low, b.close, b.volume]).toEqual(ref.get(day));
      if (JSON.stringify([b.open, b.high, b.low, b.close]) !== JSON.stringify(daily.get(day)))
        differsFromDailyFile.push(day);
    }
    expect(differsFromDailyFile).toHaveLength(1); // the vendor's daily file has one different low
    expect(d1[0].volume).toBe(161267);
  });

  it('ticksample ticks → M1 match hand-checked candles', async () => {
    const { batch } = parse('ticksample.csv', { timeZone: BER, format: 'tick' });
    const m1 = batchToBars(
      await collectBarBatches(ID, resample([batch], { timeframe: 'M1', input: 'ticks' })),
    );
    const at = (hh: number, mm: number) => Date.UTC(2015, 8, 23, hh, mm);
    expect(
      m1.map(({ ts, open, high, low, close, volume }) => [ts, open, high, low, close, volume]),
    ).toEqual([
      [at(18, 58), 3067, 3067, 3066, 3066, 186], // trades 20:57:xx Berlin
      [at(18, 59), 3066, 3069, 3065, 3067, 1029],
      [at(19, 0), 3068, 3069, 3067, 3068, 1383],
      [at(19, 1), 3069, 3069, 3069, 3069, 1], // the 21:00:00.238 trade
    ]);
  });
});

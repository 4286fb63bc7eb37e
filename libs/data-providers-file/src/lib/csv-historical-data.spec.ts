import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import 'reflect-metadata';
import { Container } from 'inversify';
import {
  BarBatch,
  batchToBars,
  collectBarBatches,
  DATA_TOKENS,
  HistoricalData,
  parseBarsCsv,
  sliceBarBatch,
} from '@trading/data-providers';
import { historicalDataContract } from '@trading/data-providers/testing';
import { CorruptionError, DataError, InstrumentId, ValidationError } from '@trading/domain';
import { BarCacheReader, BarCacheWriter } from './bar-cache';
import { CsvHistoricalData, CsvHistoricalDataOptions, readTextChunks } from './csv-historical-data';
import { csvHistoricalDataModule } from './csv-historical-data.module';

jest.setTimeout(60_000); // real files on a shared machine

const FIX = path.resolve(__dirname, '../../fixtures');
const ORCL = 'ORCL.XNAS' as InstrumentId;
const FUT = 'FDAX.XEUR' as InstrumentId;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dpf-'));
  copyFileSync(path.join(FIX, 'orcl-1995-2014.txt'), path.join(dir, 'orcl.csv'));
  copyFileSync(path.join(FIX, '2006-01-02-volume-min-001.txt'), path.join(dir, 'min.csv'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const make = (extra: Partial<CsvHistoricalDataOptions> = {}, batchSize = 1000) =>
  new CsvHistoricalData({
    baseDir: dir,
    cacheDir: 'cache',
    series: [
      { instrumentId: ORCL, path: 'orcl.csv', timeZone: 'America/New_York', batchSize },
      {
        instrumentId: FUT,
        path: 'min.csv',
        timeZone: 'Europe/Berlin',
        sessionClose: '22:00',
        batchSize,
      },
    ],
    ...extra,
  });
const load = (d: HistoricalData, instrumentId: InstrumentId, more = {}) =>
  collectBarBatches(instrumentId, d.loadBars({ instrumentId, ...more }));
const bytes = (b: BarBatch) =>
  [b.ts, b.open, b.high, b.low, b.close, b.volume].map((a) =>
    Buffer.from(a.buffer, a.byteOffset, b.length * 8),
  );
const expectSameBytes = (a: BarBatch, b: BarBatch) => {
  expect(a.length).toBe(b.length);
  const [x, y] = [bytes(a), bytes(b)];
  for (let i = 0; i < 6; i++) expect(Buffer.compare(x[i], y[i])).toBe(0);
};
const csvParse = (file: string, o: object) =>
  parseBarsCsv(readFileSync(path.join(dir, file), 'utf8'), {
    instrumentId: ORCL,
    source: file,
    ...o,
  }).batch;
const cacheFiles = () => readdirSync(path.join(dir, 'cache'));

describe('CsvHistoricalData with the binary cache', () => {
  it('builds the cache once and reads it back byte-for-byte identical to the CSV parse', async () => {
    const d = make();
    const direct = csvParse('orcl.csv', { timeZone: 'America/New_York' });
    const first = await load(d, ORCL);
    expect(d.loadReport(ORCL)).toMatchObject({
      cache: 'miss',
      fromCache: false,
      rows: 5036,
      bars: 5036,
      skipped: 0,
    });
    const second = await load(d, ORCL);
    expect(d.loadReport(ORCL)).toMatchObject({
      cache: 'hit',
      fromCache: true,
      rows: 5036,
      bars: 5036,
    });
    expectSameBytes(first, direct);
    expectSameBytes(second, direct);
    // a new instance (a re-run) hits the cache too
    const again = make();
    expectSameBytes(await load(again, ORCL), direct);
    expect(again.loadReport(ORCL)?.cache).toBe('hit');
    expect(cacheFiles()).toHaveLength(1);
    expect(cacheFiles()[0]).toMatch(/^ORCL\.XNAS__orcl\.csv__[0-9a-f]{12}\.bars$/);
  });

  it('writes the documented format (magic, version, count, trailer with fingerprint)', async () => {
    const d = make();
    await d.warm(ORCL);
    const file = d.loadReport(ORCL)?.cacheFile as string;
    const buf = readFileSync(file);
    expect(buf.subarray(0, 8).toString('latin1')).toBe('TRDBARS\0');
    expect(buf.readUInt32LE(8)).toBe(1);
    expect(buf.readUInt32LE(12)).toBe(1000);
    expect(buf.readDoubleLE(16)).toBe(5036);
    expect(buf.readUInt32LE(28)).toBe(6);
    expect(buf.length).toBe(64 + 6 * 8 + 5036 * 48 + buf.readUInt32LE(40));
    const r = (await BarCacheReader.open(file)) as BarCacheReader;
    expect(r.meta).toMatchObject({
      instrumentId: ORCL,
      source: 'orcl.csv',
      rows: 5036,
      skipped: 0,
      fingerprint: { size: statSync(path.join(dir, 'orcl.csv')).size },
    });
    expect(r.kind).toBe('bars');
    // resuming from a bar index skips whole blocks and slices the first one
    const tail = await collectBarBatches(ORCL, r.batches(4500));
    expect(tail.length).toBe(536);
    expect(tail.ts[0]).toBe(csvParse('orcl.csv', { timeZone: 'America/New_York' }).ts[4500]);
    expect(await collectBarBatches(ORCL, r.batches(6000))).toMatchObject({ length: 0 });
    expect(await BarCacheReader.open(path.join(dir, 'none.bars'))).toBeNull();
  });

  it('rebuilds a stale cache when the CSV changes (size/mtime) or the options change', async () => {
    const d = make();
    await load(d, ORCL);
    appendFileSync(path.join(dir, 'orcl.csv'), '2015-01-02,44.970001,45.25,44.5,44.75,44.5,1000\n');
    const b = await load(d, ORCL);
    expect(d.loadReport(ORCL)).toMatchObject({
      cache: 'stale',
      bars: 5037,
      cacheProblem: 'source file or options changed',
    });
    expect(b.close[5036]).toBe(44.75);
    // same size, new mtime
    const t = statSync(path.join(dir, 'orcl.csv')).mtimeMs / 1000;
    utimesSync(path.join(dir, 'orcl.csv'), t, t + 5);
    await load(d, ORCL);
    expect(d.loadReport(ORCL)?.cache).toBe('stale');
    await load(d, ORCL);
    expect(d.loadReport(ORCL)?.cache).toBe('hit');
    // different options → different content
    const adj = new CsvHistoricalData({
      baseDir: dir,
      cacheDir: 'cache',
      series: [
        { instrumentId: ORCL, path: 'orcl.csv', timeZone: 'America/New_York', adjust: true },
      ],
    });
    const a = await load(adj, ORCL);
    expect(adj.loadReport(ORCL)?.cache).toBe('stale');
    expect(a.close[0]).toBeCloseTo(1.883304, 12);
  });

  it('detects a corrupt header, a truncated file and a damaged block, and rebuilds', async () => {
    const d = make();
    const direct = await load(d, ORCL);
    const file = d.loadReport(ORCL)?.cacheFile as string;
    const good = readFileSync(file);

    writeFileSync(file, Buffer.concat([Buffer.from('garbage!'), good.subarray(8)]));
    expectSameBytes(await load(d, ORCL), direct);
    expect(d.loadReport(ORCL)).toMatchObject({
      cache: 'corrupt',
      cacheProblem: expect.stringMatching(/bad magic/),
    });

    truncateSync(file, good.length - 100);
    expectSameBytes(await load(d, ORCL), direct);
    expect(d.loadReport(ORCL)?.cacheProblem).toMatch(/size\/layout mismatch/);

    const flipped = Buffer.from(good);
    flipped[64 + 3 * (8 + 48_000) + 100] ^= 0xff; // inside block 3
    writeFileSync(file, flipped);
    // blocks 0-2 are delivered, block 3 fails its CRC: rebuilt and resumed after bar 3000
    expectSameBytes(await load(d, ORCL), direct);
    expect(d.loadReport(ORCL)).toMatchObject({
      cache: 'corrupt',
      cacheProblem: expect.stringMatching(/block 3 is damaged/),
    });
    expect(readFileSync(file).equals(good)).toBe(true);

    const hdr = Buffer.from(good);
    hdr.writeUInt32LE(99, 8);
    writeFileSync(file, hdr);
    await expect(BarCacheReader.open(file)).rejects.toThrow(/header checksum mismatch/);
    const trl = Buffer.from(good);
    trl[trl.length - 3] ^= 1;
    writeFileSync(file, trl);
    await expect(BarCacheReader.open(file)).rejects.toThrow(CorruptionError);
    writeFileSync(file, 'short');
    await expect(BarCacheReader.open(file)).rejects.toThrow(/truncated/);
  });

  it('fails the load on a bad row (file and line) before yielding any bar, leaving no cache', async () => {
    const lines = readFileSync(path.join(dir, 'orcl.csv'), 'utf8').split('\n');
    lines[3000] = '2006-12-01,10,9,11,10,10,100';
    writeFileSync(path.join(dir, 'orcl.csv'), lines.join('\n'));
    const d = make();
    let seen = 0;
    const run = async () => {
      for await (const b of d.loadBars({ instrumentId: ORCL })) seen += b.length;
    };
    await expect(run()).rejects.toThrow(DataError);
    await expect(run()).rejects.toThrow(/^orcl\.csv:3001: high 9 < low 11/);
    expect(seen).toBe(0);
    expect(cacheFiles()).toEqual([]);
  });

  it('skips bad rows with skipBadRows and keeps the issues in the cache', async () => {
    const lines = readFileSync(path.join(dir, 'orcl.csv'), 'utf8').split('\n');
    lines[10] = '1995-01-17,oops,1,1,1,1,1';
    lines[20] = lines[19];
    writeFileSync(path.join(dir, 'orcl.csv'), lines.join('\n'));
    const opts = {
      baseDir: dir,
      series: [
        { instrumentId: ORCL, path: 'orcl.csv', timeZone: 'America/New_York', skipBadRows: true },
      ],
    };
    const d = new CsvHistoricalData(opts);
    expect(d.describe()).toEqual([
      {
        instrumentId: ORCL,
        source: 'orcl.csv',
        kind: undefined,
        timeZone: 'America/New_York',
        sessionClose: '16:00',
      },
    ]);
    expect((await load(d, ORCL)).length).toBe(5034);
    const issues = [
      {
        source: 'orcl.csv',
        line: 11,
        message: 'open is missing or not a number',
        text: '1995-01-17,oops,1,1,1,1,1',
      },
      { source: 'orcl.csv', line: 21, message: 'duplicate timestamp', text: lines[19] },
    ];
    expect(d.loadReport(ORCL)).toMatchObject({ rows: 5036, bars: 5034, skipped: 2, issues });
    const again = new CsvHistoricalData(opts);
    await load(again, ORCL);
    expect(again.loadReport(ORCL)).toMatchObject({ cache: 'hit', skipped: 2, issues });
    // default cache dir is .cache/bars under baseDir
    expect(readdirSync(path.join(dir, '.cache/bars'))).toHaveLength(1);
  });
});

describe('CsvHistoricalData without cache', () => {
  it('streams the CSV in chunks (any chunk size gives the same bars)', async () => {
    const direct = parseBarsCsv(readFileSync(path.join(dir, 'min.csv'), 'utf8'), {
      instrumentId: FUT,
      source: 'min.csv',
      timeZone: 'Europe/Berlin',
    }).batch;
    for (const chunkSize of [1000, 65_536, 4 * 1024 * 1024]) {
      const d = make({ cacheDir: false, chunkSize });
      const b = await load(d, FUT);
      expectSameBytes(b, direct);
      expect(d.loadReport(FUT)).toMatchObject({ cache: 'disabled', rows: 30889, bars: 30889 });
    }
  });

  it('applies from/to and timeframe, and stops reading early', async () => {
    const d = make({ cacheDir: false });
    const from = Date.UTC(2006, 0, 3, 8); // 09:00 Berlin: no candle (the first bar is 09:01)
    const to = Date.UTC(2006, 0, 3, 12);
    const h1 = batchToBars(await load(d, FUT, { timeframe: 'H1', from, to }));
    expect(h1.map((b) => b.ts)).toEqual([
      from + 3_600_000,
      from + 2 * 3_600_000,
      from + 3 * 3_600_000,
    ]);
    const m1 = batchToBars(await load(d, FUT, { from: from + 1, to: from + 3_600_000 + 1 }));
    expect(m1).toHaveLength(60);
    expect(h1[0]).toMatchObject({
      open: m1[0].open,
      close: m1[59].close,
      high: Math.max(...m1.map((b) => b.high)),
      low: Math.min(...m1.map((b) => b.low)),
    });
    expect(d.loadReport(FUT)).toBeUndefined(); // stopped before the end of the file
  });

  it('resolves bars vs ticks of an auto-format file before resampling', async () => {
    writeFileSync(
      path.join(dir, 'ticks.csv'),
      'timestamp,price,size\n2024-01-02T14:30:00Z,10,1\n2024-01-02T14:30:30Z,11,2\n2024-01-02T14:31:00Z,9,1\n',
    );
    for (const cacheDir of [false, 'cache'] as const) {
      const d = new CsvHistoricalData({
        baseDir: dir,
        cacheDir,
        series: [{ instrumentId: 'T.SIM', path: 'ticks.csv' }],
      });
      const m1 = batchToBars(await load(d, 'T.SIM' as InstrumentId, { timeframe: 'M1' }));
      expect(m1.map((b) => [b.ts, b.open, b.high, b.low, b.close, b.volume])).toEqual([
        [Date.UTC(2024, 0, 2, 14, 31), 10, 11, 10, 11, 3],
        [Date.UTC(2024, 0, 2, 14, 32), 9, 9, 9, 9, 1],
      ]);
    }
    writeFileSync(path.join(dir, 'empty.csv'), 'timestamp,price,size\n');
    const e = new CsvHistoricalData({
      baseDir: dir,
      series: [{ instrumentId: 'E.SIM', path: 'empty.csv' }],
    });
    expect((await load(e, 'E.SIM' as InstrumentId, { timeframe: 'M1' })).length).toBe(0);
    expect((await load(e, 'E.SIM' as InstrumentId)).length).toBe(0);
  });

  it('reports a missing file with its name', async () => {
    const d = new CsvHistoricalData({
      baseDir: dir,
      cacheDir: false,
      series: [{ instrumentId: ORCL, path: 'nope.csv', timeZone: 'UTC' }],
    });
    await expect(load(d, ORCL)).rejects.toThrow(/^nope\.csv: cannot read .*nope\.csv \(ENOENT\)/);
    const c = new CsvHistoricalData({
      baseDir: dir,
      series: [{ instrumentId: ORCL, path: 'nope.csv', timeZone: 'UTC' }],
    });
    await expect(c.warm(ORCL)).rejects.toThrow(DataError);
  });
});

describe('CsvHistoricalData options', () => {
  const s = { instrumentId: 'A.SIM', path: 'a.csv', timeZone: 'UTC' };
  it.each([
    [{ series: [] }, /^series: must be a non-empty array/],
    [{ series: [null] }, /^series\[0\]: must be an object/],
    [{ series: [{ ...s, path: '' }] }, /^series\[0\]\.path: must be a file path/],
    [
      { series: [s, { ...s, timeZone: 'Mars/Base' }] },
      /^series\[1\]\.timeZone: must be a valid IANA time zone/,
    ],
    [{ series: [{ ...s, colour: 1 }] }, /^series\[0\]\.colour: is not a known option/],
    [{ series: [{ ...s, instrumentId: 'bad' }] }, /^series\[0\]\.instrumentId/],
    [{ series: [{ ...s, sessionClose: '25:00' }] }, /^series\[0\]\.sessionClose/],
    [{ series: [s, s] }, /^series\[1\]\.source: duplicates another series of A.SIM/],
    [{ series: [s], cacheDir: '' }, /^cacheDir: must be a directory path or false/],
    [{ series: [s], chunkSize: 1 }, /^chunkSize:/],
    [{ series: [s], baseDir: 5 }, /^baseDir:/],
  ])('rejects %j naming the field', (opts, msg) => {
    expect(() => new CsvHistoricalData(opts as unknown as CsvHistoricalDataOptions)).toThrow(
      ValidationError,
    );
    expect(() => new CsvHistoricalData(opts as unknown as CsvHistoricalDataOptions)).toThrow(msg);
  });

  it('rejects non-objects and unknown series', () => {
    expect(() => new CsvHistoricalData(null as unknown as CsvHistoricalDataOptions)).toThrow(
      /^options/,
    );
    const d = new CsvHistoricalData({ series: [s] });
    expect(() => d.loadBars({ instrumentId: 'B.SIM' as InstrumentId })).toThrow(
      /no historical series for B.SIM/,
    );
  });
});

describe('csvHistoricalDataModule', () => {
  it('binds the HistoricalData port in an inversify container', async () => {
    const c = new Container();
    await c.load(
      csvHistoricalDataModule({
        baseDir: dir,
        cacheDir: false,
        series: [{ instrumentId: ORCL, path: 'orcl.csv', timeZone: 'America/New_York' }],
      }),
    );
    const data = c.get<HistoricalData>(DATA_TOKENS.HistoricalData);
    expect(data).toBeInstanceOf(CsvHistoricalData);
    expect(c.get(DATA_TOKENS.HistoricalData)).toBe(data);
    expect((await load(data, ORCL, { from: Date.UTC(2014, 11, 31) })).length).toBe(1);
  });
});

describe('cache writer and chunk reader', () => {
  it('only the last block may be short; abort removes the temp file', async () => {
    const w = await BarCacheWriter.create(path.join(dir, 'x.bars'), 't');
    const b = csvParse('orcl.csv', { timeZone: 'America/New_York', batchSize: 10 });
    await w.append(sliceBarBatch(b, 0, 10));
    await w.append(sliceBarBatch(b, 0, 0));
    await w.append(sliceBarBatch(b, 0, 5));
    await expect(w.append(sliceBarBatch(b, 0, 10))).rejects.toThrow(/only the last block/);
    await w.abort();
    expect(readdirSync(dir).filter((f) => f.includes('.bars'))).toEqual([]);
  });

  it('decodes UTF-8 split across chunks', async () => {
    writeFileSync(path.join(dir, 'u.txt'), 'é€😀'.repeat(10));
    let s = '';
    for await (const c of readTextChunks(path.join(dir, 'u.txt'), 16)) s += c;
    expect(s).toBe('é€😀'.repeat(10));
  });
});

describe('contract', () => {
  const instrumentId = 'FDAX.XEUR' as InstrumentId;
  const src = path.join(FIX, '2006-01-02-volume-min-001.txt');
  const expected = () =>
    parseBarsCsv(readFileSync(src, 'utf8'), {
      instrumentId,
      source: 'x',
      timeZone: 'Europe/Berlin',
    }).batch;
  const cache = mkdtempSync(path.join(os.tmpdir(), 'dpf-contract-'));
  afterAll(() => rmSync(cache, { recursive: true, force: true }));
  for (const cacheDir of [false, cache] as const) {
    historicalDataContract(
      `CsvHistoricalData (cache ${cacheDir ? 'on' : 'off'})`,
      () =>
        new CsvHistoricalData({
          cacheDir,
          series: [{ instrumentId, path: src, timeZone: 'Europe/Berlin' }],
        }),
      instrumentId,
      expected,
    );
  }
});

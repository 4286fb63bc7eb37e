/**
 * Historical data throughput (libs/data-providers, libs/data-providers-file):
 * CSV ingest through the adapter (goal ≥ 1,000,000 rows/s), binary cache read (goal ≥ 20,000,000
 * bars/s), synthetic generator, and peak RSS of a 10,000,000-bar run (goal ≤ 400 MB).
 * The CSV files are generated in os.tmpdir() and deleted afterwards.
 * Env: BENCH_DATA_ROWS (default 2,000,000), BENCH_DATA_BIG_ROWS (default 10,000,000; 0 skips the RSS run).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BarBatch, CsvBarParser, daysInMonth, syntheticBarBatches } from '@trading/data-providers';
import { CsvHistoricalData } from '@trading/data-providers-file';
import { InstrumentId } from '@trading/domain';
import { BenchResult, timeOnce } from './harness';

const ID = 'BENCH.SIM' as InstrumentId;
const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/** Writes `rows` minute bars 09:01–22:00 local per calendar day (never inside a DST change) like the backtrader files. */
export function writeMinuteCsv(file: string, rows: number): void {
  const fd = openSync(file, 'w');
  writeSync(fd, 'Date,Time,Open,High,Low,Close,Volume,OpenInterest\n');
  let [y, m, d] = [2010, 1, 4];
  let date = '2010-01-04';
  let minute = 9 * 60 + 1;
  let parts: string[] = [];
  for (const b of syntheticBarBatches({
    instrumentId: ID,
    count: rows,
    seed: 11,
    startPrice: 3600,
    batchSize: 65_536,
  })) {
    for (let i = 0; i < b.length; i++) {
      parts.push(
        `${date},${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}:00,${b.open[i].toFixed(2)},${b.high[i].toFixed(2)},${b.low[i].toFixed(2)},${b.close[i].toFixed(2)},${b.volume[i]},0`,
      );
      if (++minute > 22 * 60) {
        minute = 9 * 60 + 1;
        if (++d > daysInMonth(y, m)) {
          d = 1;
          if (++m > 12) {
            m = 1;
            y++;
          }
        }
        date = `${y}-${pad2(m)}-${pad2(d)}`;
      }
    }
    writeSync(fd, parts.join('\n') + '\n');
    parts = [];
  }
  closeSync(fd);
}

async function drain(stream: AsyncIterable<BarBatch>): Promise<number> {
  let n = 0;
  let sink = 0;
  for await (const b of stream) {
    const c = b.close;
    for (let i = 0; i < b.length; i++) sink += c[i];
    n += b.length;
  }
  if (sink === -1) console.log(sink);
  return n;
}

function best(ms: number[]): number {
  return Math.min(...ms);
}

/** Runs `fn` `runs` times (after one warm-up); returns the best wall ms and the CPU ms of that run. */
async function measure(
  fn: () => Promise<unknown> | unknown,
  runs = 3,
): Promise<{ wall: number; cpu: number }> {
  await fn();
  let bestRun = { wall: Infinity, cpu: Infinity };
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const wall = await timeOnce(fn);
    const c = process.cpuUsage(c0);
    if (wall < bestRun.wall) bestRun = { wall, cpu: (c.user + c.system) / 1000 };
  }
  return bestRun;
}

/**
 * Child-process part of the RSS figure: a fresh process (no CSV generation garbage) loads the
 * file through the adapter twice (cold: CSV → cache; warm: cache) and reports its peak RSS.
 */
async function rssChild(csv: string, cacheDir: string, expected: number): Promise<void> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const d = new CsvHistoricalData({
    series: [{ instrumentId: ID, path: csv, timeZone: 'Europe/Berlin', sessionClose: '22:00' }],
    cacheDir,
  });
  for (let pass = 0; pass < 2; pass++) {
    let n = 0;
    for await (const b of d.loadBars({ instrumentId: ID })) {
      n += b.length;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    if (n !== expected) throw new Error(`pass ${pass} read ${n} of ${expected}`);
  }
  clearInterval(timer);
  process.stdout.write(`@@RSS@@${peak}\n`);
}

if (process.env.DATA_BENCH_RSS_CSV) {
  rssChild(
    process.env.DATA_BENCH_RSS_CSV,
    process.env.DATA_BENCH_RSS_CACHE as string,
    Number(process.env.DATA_BENCH_RSS_N),
  ).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

export async function run(): Promise<BenchResult[]> {
  const rows = Number(process.env.BENCH_DATA_ROWS ?? 2_000_000);
  const bigRows = Number(process.env.BENCH_DATA_BIG_ROWS ?? 10_000_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'data-bench-'));
  const results: BenchResult[] = [];
  try {
    const csv = path.join(dir, 'minutes.csv');
    writeMinuteCsv(csv, rows);
    const series = [
      { instrumentId: ID, path: csv, timeZone: 'Europe/Berlin', sessionClose: '22:00' },
    ];

    // 1. parser only (text already in memory)
    const raw = readFileSync(csv);
    const chunks: string[] = [];
    for (let i = 0; i < raw.length; i += 4 << 20)
      chunks.push(raw.toString('utf8', i, Math.min(raw.length, i + (4 << 20)))); // ASCII: no split characters
    const parseOnly = async () => {
      const p = new CsvBarParser({
        instrumentId: ID,
        source: 'minutes.csv',
        timeZone: 'Europe/Berlin',
      });
      let n = 0;
      for (const c of chunks) for (const b of p.push(c)) n += b.length;
      for (const b of p.end()) n += b.length;
      if (n !== rows) throw new Error(`parsed ${n} of ${rows} rows`);
    };
    const mParse = await measure(parseOnly);
    results.push({
      name: 'data: CSV parse, in-memory text (CsvBarParser)',
      value: Math.round(rows / (mParse.wall / 1000)),
      unit: 'rows/s',
      goal: null,
      better: 'higher',
    });
    results.push({
      name: 'data: CSV parse, in-memory text, per CPU second',
      value: Math.round(rows / (mParse.cpu / 1000)),
      unit: 'rows/cpu-s',
      goal: null,
      better: 'higher',
    });

    // 2. ingest through the adapter, no cache: file read in chunks + parse + stream
    const noCache = new CsvHistoricalData({ series, cacheDir: false });
    const ingest = async () => {
      const n = await drain(noCache.loadBars({ instrumentId: ID }));
      if (n !== rows) throw new Error(`ingested ${n} of ${rows} rows`);
    };
    const mIngest = await measure(ingest);
    results.push({
      name: `data: CSV ingest via CsvHistoricalData (${(rows / 1e6).toFixed(1)}M minute rows, file)`,
      value: Math.round(rows / (mIngest.wall / 1000)),
      unit: 'rows/s',
      goal: 1_000_000,
      better: 'higher',
    });
    results.push({
      name: 'data: CSV ingest via CsvHistoricalData, per CPU second',
      value: Math.round(rows / (mIngest.cpu / 1000)),
      unit: 'rows/cpu-s',
      goal: null,
      better: 'higher',
    });

    // 3. cold cache build (parse + write binary cache)
    const cacheDir = path.join(dir, 'cache');
    const tBuild = await timeOnce(async () => {
      const d = new CsvHistoricalData({ series, cacheDir });
      const r = await d.warm(ID);
      if (r.cache !== 'miss' || r.bars !== rows)
        throw new Error(`unexpected cache build ${JSON.stringify(r)}`);
    });
    results.push({
      name: 'data: CSV ingest + binary cache build (cold)',
      value: Math.round(rows / (tBuild / 1000)),
      unit: 'rows/s',
      goal: null,
      better: 'higher',
    });

    // 4. cache read (warm)
    const cached = new CsvHistoricalData({ series, cacheDir });
    const read = async () => {
      const n = await drain(cached.loadBars({ instrumentId: ID }));
      if (n !== rows) throw new Error(`read ${n} of ${rows} bars`);
    };
    const tRead = best([
      await timeOnce(read, 2),
      await timeOnce(read),
      await timeOnce(read),
      await timeOnce(read),
      await timeOnce(read),
    ]);
    if (cached.loadReport(ID)?.cache !== 'hit') throw new Error('cache was not hit');
    results.push({
      name: 'data: binary cache read (CRC-checked, columnar)',
      value: Math.round(rows / (tRead / 1000)),
      unit: 'bars/s',
      goal: 20_000_000,
      better: 'higher',
    });

    // 5. synthetic generator
    const gen = () => {
      let n = 0;
      for (const b of syntheticBarBatches({ instrumentId: ID, count: rows, seed: 5 }))
        n += b.length;
      if (n !== rows) throw new Error('short');
    };
    const tGen = best([await timeOnce(gen, 1), await timeOnce(gen), await timeOnce(gen)]);
    results.push({
      name: 'data: synthetic bar generator (GBM, seeded)',
      value: Math.round(rows / (tGen / 1000)),
      unit: 'bars/s',
      goal: null,
      better: 'higher',
    });

    // 6. resample M1 → H1 through the candle aggregator (from the cache)
    const tRes = best([
      await timeOnce(() => drain(cached.loadBars({ instrumentId: ID, timeframe: 'H1' })), 1),
      await timeOnce(() => drain(cached.loadBars({ instrumentId: ID, timeframe: 'H1' }))),
    ]);
    results.push({
      name: 'data: resample M1 → H1 (cache read + CandleAggregator)',
      value: Math.round(rows / (tRes / 1000)),
      unit: 'bars/s',
      goal: null,
      better: 'higher',
    });

    rmSync(csv, { force: true });
    rmSync(cacheDir, { recursive: true, force: true });

    // 7. peak RSS of a 10M-bar run in a fresh process: CSV → cache → stream, then cache → stream
    if (bigRows > 0) {
      const big = path.join(dir, 'big.csv');
      writeMinuteCsv(big, bigRows);
      const child = spawnSync(process.execPath, ['-r', '@swc-node/register', __filename], {
        env: {
          ...process.env,
          BENCH_CHILD: '',
          DATA_BENCH_RSS_CSV: big,
          DATA_BENCH_RSS_CACHE: cacheDir,
          DATA_BENCH_RSS_N: String(bigRows),
        },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const line = (child.stdout ?? '').split('\n').find((l) => l.startsWith('@@RSS@@'));
      if (child.status !== 0 || !line) throw new Error(`RSS child failed (exit ${child.status})`);
      const peak = Number(line.slice('@@RSS@@'.length));
      results.push({
        name: `data: peak RSS of a fresh process, ${(bigRows / 1e6).toFixed(0)}M-bar CSV → cache → stream, twice`,
        value: Math.round(peak / 1048576),
        unit: 'MB',
        goal: 400,
        better: 'lower',
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

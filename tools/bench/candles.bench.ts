/**
 * Candle store bulk upsert: PostgreSQL via node-postgres (goal ≥ 100,000 rows/s; `auto` = COPY fast
 * path, plus the `unnest` multi-row path and an upsert over existing keys) and PGlite (unnest, no goal).
 * A server-only INSERT…SELECT figure shows the ceiling of the machine at the time of the run.
 * PostgreSQL settings come from DATABASE_URL / PG* (default 127.0.0.1:5432); the bench works in a
 * throw-away schema that it drops afterwards.
 */
import type { Candle } from '@trading/persistence';
import {
  CandleWriteMethod,
  createPgliteDataSource,
  createPostgresDataSource,
  postgresOptionsFromEnv,
  runMigrations,
  TypeormCandleStore,
} from '@trading/persistence-sql';
import type { DataSource } from 'typeorm';
import { BenchResult, timeOnce } from './harness';

const T0 = 1_704_067_200_000;

function makeCandles(prefix: string, symbols: number, perSymbol: number): Candle[] {
  const out: Candle[] = [];
  for (let s = 0; s < symbols; s++) {
    let px = 100 + s;
    for (let i = 0; i < perSymbol; i++) {
      const open = Math.round(px * 100) / 100;
      const close = Math.round((px + ((i * 7919) % 13) * 0.01 - 0.06) * 100) / 100;
      px = close;
      out.push({
        symbol: `${prefix}${s}`,
        timeframe: '1m',
        ts: T0 + i * 60_000,
        open,
        high: Math.max(open, close) + 0.05,
        low: Math.min(open, close) - 0.05,
        close,
        volume: 100 + (i % 977),
      });
    }
  }
  return out;
}

async function measure(
  ds: DataSource,
  rowsPerRun: number,
  runs: number,
  label: string,
  method: CandleWriteMethod = 'auto',
): Promise<number> {
  const store = new TypeormCandleStore(ds, { chunkSize: 10_000, method });
  await store.upsertMany(makeCandles(`W${label}`, 1, Math.min(20_000, rowsPerRun))); // warm-up (JIT, plans)
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const rows = makeCandles(`R${r}${label}`, 4, rowsPerRun / 4);
    const ms = await timeOnce(() => store.upsertMany(rows));
    rates.push(rowsPerRun / (ms / 1000));
  }
  rates.sort((a, b) => a - b);
  return Math.round(rates[Math.floor(rates.length / 2)]); // median
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const schema = `bench_${process.pid}`;
  const pg = createPostgresDataSource({ ...postgresOptionsFromEnv(), schema, poolSize: 2 });
  await runMigrations(pg);
  try {
    const insert = await measure(pg, 200_000, 3, 'pg');
    results.push({
      name: 'candles: PostgreSQL bulk insert (200k rows, auto = COPY)',
      value: insert,
      unit: 'rows/s',
      goal: 100_000,
      better: 'higher',
    });
    results.push({
      name: 'candles: PostgreSQL bulk insert (200k rows, unnest)',
      value: await measure(pg, 200_000, 1, 'pgu', 'unnest'),
      unit: 'rows/s',
      goal: null,
      better: 'higher',
    });
    // upsert over existing keys (DO UPDATE path)
    const store = new TypeormCandleStore(pg);
    const again = makeCandles('R0pg', 4, 50_000).map((c) => ({ ...c, close: c.close + 0.01 }));
    const ms = await timeOnce(() => store.upsertMany(again));
    results.push({
      name: 'candles: PostgreSQL bulk upsert over existing (200k)',
      value: Math.round(again.length / (ms / 1000)),
      unit: 'rows/s',
      goal: null,
      better: 'higher',
    });
    // Reference: the server alone inserting generated rows (no client, no network): the ceiling on this machine right now.
    const serverMs = await timeOnce(() =>
      pg.query(
        `INSERT INTO "candles" SELECT 'GEN', '1m', g, 100.1, 101.5, 99.5, 100.25, g FROM generate_series(1, 200000) AS g`,
      ),
    );
    results.push({
      name: 'candles: reference server-only INSERT…SELECT generate_series (200k)',
      value: Math.round(200_000 / (serverMs / 1000)),
      unit: 'rows/s',
      goal: null,
      better: 'higher',
    });
  } finally {
    await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pg.destroy();
  }

  const lite = createPgliteDataSource();
  await runMigrations(lite);
  try {
    results.push({
      name: 'candles: PGlite bulk insert (50k rows, unnest)',
      value: await measure(lite, 50_000, 1, 'lite'),
      unit: 'rows/s',
      goal: null,
      better: 'higher',
    });
  } finally {
    await lite.destroy();
  }
  return results;
}

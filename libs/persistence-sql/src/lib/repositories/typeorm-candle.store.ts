import type { Candle, CandleStats, CandleStore, EpochMs } from '@trading/persistence';
import type { DataSource } from 'typeorm';
import { bigintToNumber } from '../transformers';
import { queryRows } from './sql';

/** Options of {@link TypeormCandleStore}. */
export interface CandleStoreOptions {
  /** Rows per INSERT statement (default 10,000). */
  readonly chunkSize?: number;
}

interface CandleRow {
  symbol: string;
  timeframe: string;
  ts: string | number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

const SELECT = `SELECT "symbol", "timeframe", "ts", "open", "high", "low", "close", "volume" FROM "candles"`;

/**
 * Bulk upsert: one statement per chunk whose parameters are seven arrays (one per column),
 * expanded server-side by `unnest`, so a 10,000-row chunk binds 8 parameters instead of 80,000.
 */
const UPSERT = `INSERT INTO "candles" ("symbol", "timeframe", "ts", "open", "high", "low", "close", "volume")
  SELECT $1::varchar, $2::varchar, u.* FROM unnest($3::bigint[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[]) AS u
  ON CONFLICT ("symbol", "timeframe", "ts") DO UPDATE SET "open" = EXCLUDED."open", "high" = EXCLUDED."high", "low" = EXCLUDED."low",
    "close" = EXCLUDED."close", "volume" = EXCLUDED."volume"`;

function toCandle(r: CandleRow): Candle {
  return {
    symbol: r.symbol,
    timeframe: r.timeframe,
    ts: bigintToNumber(r.ts, 'candles.ts'),
    open: Number(r.open),
    high: Number(r.high),
    low: Number(r.low),
    close: Number(r.close),
    volume: Number(r.volume),
  };
}

/**
 * TypeORM/SQL {@link CandleStore} over the `candles` table (primary key symbol, timeframe, ts).
 * Numbers are written through their shortest round-trip text into `numeric`, so a value with
 * ≤ 15 significant digits reads back as the identical number.
 */
export class TypeormCandleStore implements CandleStore {
  private readonly chunkSize: number;
  constructor(
    private readonly ds: DataSource,
    opts: CandleStoreOptions = {},
  ) {
    this.chunkSize = Math.max(1, opts.chunkSize ?? 10_000);
  }

  async upsertMany(candles: readonly Candle[]): Promise<number> {
    if (candles.length === 0) return 0;
    // Group by series, last write per ts wins (a statement may not update a row twice).
    const series = new Map<string, { symbol: string; timeframe: string; rows: Map<number, Candle> }>();
    for (const c of candles) {
      const key = `${c.symbol}\u0000${c.timeframe}`;
      let s = series.get(key);
      if (!s) series.set(key, (s = { symbol: c.symbol, timeframe: c.timeframe, rows: new Map() }));
      s.rows.set(c.ts, c);
    }
    let written = 0;
    for (const s of series.values()) {
      const rows = [...s.rows.values()];
      for (let i = 0; i < rows.length; i += this.chunkSize) {
        const chunk = rows.slice(i, i + this.chunkSize);
        const n = chunk.length;
        const ts = new Array<number>(n);
        const o = new Array<string>(n);
        const h = new Array<string>(n);
        const l = new Array<string>(n);
        const c = new Array<string>(n);
        const v = new Array<string>(n);
        for (let j = 0; j < n; j++) {
          const r = chunk[j];
          ts[j] = r.ts;
          o[j] = String(r.open);
          h[j] = String(r.high);
          l[j] = String(r.low);
          c[j] = String(r.close);
          v[j] = String(r.volume);
        }
        await queryRows(this.ds, UPSERT, [s.symbol, s.timeframe, ts, o, h, l, c, v]);
        written += n;
      }
    }
    return written;
  }

  async range(symbol: string, timeframe: string, from: EpochMs, to: EpochMs, limit?: number): Promise<Candle[]> {
    const params: unknown[] = [symbol, timeframe, from, to];
    let sql = `${SELECT} WHERE "symbol" = $1 AND "timeframe" = $2 AND "ts" >= $3 AND "ts" < $4 ORDER BY "ts" ASC`;
    if (limit !== undefined) {
      params.push(limit);
      sql += ` LIMIT $5`;
    }
    return (await queryRows<CandleRow>(this.ds, sql, params)).map(toCandle);
  }

  async latest(symbol: string, timeframe: string): Promise<Candle | null> {
    const rows = await queryRows<CandleRow>(this.ds, `${SELECT} WHERE "symbol" = $1 AND "timeframe" = $2 ORDER BY "ts" DESC LIMIT 1`, [symbol, timeframe]);
    return rows.length ? toCandle(rows[0]) : null;
  }

  async stats(symbol: string, timeframe: string): Promise<CandleStats> {
    const [r] = await queryRows<{ count: string | number; first: string | number | null; last: string | number | null }>(
      this.ds,
      `SELECT count(*) AS "count", min("ts") AS "first", max("ts") AS "last" FROM "candles" WHERE "symbol" = $1 AND "timeframe" = $2`,
      [symbol, timeframe],
    );
    return {
      count: bigintToNumber(r.count, 'count'),
      firstTs: r.first === null ? null : bigintToNumber(r.first, 'candles.ts'),
      lastTs: r.last === null ? null : bigintToNumber(r.last, 'candles.ts'),
    };
  }
}

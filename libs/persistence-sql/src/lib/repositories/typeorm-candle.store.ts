import { ValidationError } from '@trading/domain';
import type { Candle, CandleStats, CandleStore, EpochMs } from '@trading/persistence';
import type { DataSource } from 'typeorm';
import { bigintToNumber } from '../transformers';
import { copyFrom, copyText, isPgClient } from './pg-copy';
import { queryRows } from './sql';

/** How {@link TypeormCandleStore.upsertMany} sends rows. */
export type CandleWriteMethod = 'auto' | 'unnest' | 'copy';

/** Options of {@link TypeormCandleStore}. */
export interface CandleStoreOptions {
  /** Rows per statement (unnest) or per COPY transaction (default 10,000). */
  readonly chunkSize?: number;
  /**
   * `unnest`: `INSERT … SELECT FROM unnest($arrays) ON CONFLICT DO UPDATE` (pg and PGlite).
   * `copy`: `COPY` into a session temp table, then `INSERT … SELECT … ON CONFLICT DO UPDATE`
   * (node-postgres only). `auto` (default): copy on node-postgres for ≥ `copyThreshold` rows, else unnest.
   */
  readonly method?: CandleWriteMethod;
  /** Smallest batch that `auto` sends through COPY (default 2,000). */
  readonly copyThreshold?: number;
}

const COLS = `"symbol", "timeframe", "ts", "open", "high", "low", "close", "volume"`;
const ON_CONFLICT = `ON CONFLICT ("symbol", "timeframe", "ts") DO UPDATE SET "open" = EXCLUDED."open", "high" = EXCLUDED."high", "low" = EXCLUDED."low",
    "close" = EXCLUDED."close", "volume" = EXCLUDED."volume"`;

function checkCandle(c: Candle, i: number): void {
  if (!Number.isSafeInteger(c.ts))
    throw new ValidationError(`candles[${i}].ts`, c.ts, 'must be an integer epoch-ms timestamp');
  if (!(
    Number.isFinite(c.open) &&
    Number.isFinite(c.high) &&
    Number.isFinite(c.low) &&
    Number.isFinite(c.close) &&
    Number.isFinite(c.volume)
  )) {
    throw new ValidationError(
      `candles[${i}]`,
      c,
      'open/high/low/close/volume must be finite numbers',
    );
  }
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
const UPSERT = `INSERT INTO "candles" (${COLS})
  SELECT $1::varchar, $2::varchar, u.* FROM unnest($3::bigint[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[]) AS u
  ${ON_CONFLICT}`;

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
  private readonly method: CandleWriteMethod;
  private readonly copyThreshold: number;
  constructor(
    private readonly ds: DataSource,
    opts: CandleStoreOptions = {},
  ) {
    this.chunkSize = Math.max(1, opts.chunkSize ?? 10_000);
    this.method = opts.method ?? 'auto';
    this.copyThreshold = opts.copyThreshold ?? 2_000;
  }

  async upsertMany(candles: readonly Candle[]): Promise<number> {
    if (candles.length === 0) return 0;
    // Group by series, last write per ts wins (a statement may not update a row twice).
    const series = new Map<
      string,
      { symbol: string; timeframe: string; rows: Map<number, Candle> }
    >();
    for (let i = 0; i < candles.length; i++) {
      const c = candles[i];
      checkCandle(c, i);
      const key = `${c.symbol}\u0000${c.timeframe}`;
      let s = series.get(key);
      if (!s) series.set(key, (s = { symbol: c.symbol, timeframe: c.timeframe, rows: new Map() }));
      s.rows.set(c.ts, c);
    }
    if (
      this.method === 'copy' ||
      (this.method === 'auto' && candles.length >= this.copyThreshold)
    ) {
      const copied = await this.upsertByCopy([...series.values()].map((s) => [...s.rows.values()]));
      if (copied !== null) return copied;
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

  /**
   * COPY path; resolves to null when the connection is not node-postgres (caller falls back to
   * unnest). Per chunk (one series): when no stored candle lies in the chunk's time span the rows
   * are COPYed straight into `candles` (fast path for new history; a concurrent insert of the same
   * key makes COPY fail and the chunk is redone through the staging path). Otherwise they are
   * COPYed into a temp table and merged with `INSERT … SELECT … ON CONFLICT DO UPDATE`.
   */
  private async upsertByCopy(series: Candle[][]): Promise<number | null> {
    const qr = this.ds.createQueryRunner();
    try {
      const client = await qr.connect();
      if (!isPgClient(client)) {
        if (this.method === 'copy')
          throw new ValidationError(
            'method',
            'copy',
            'needs a node-postgres connection (use unnest on PGlite)',
          );
        return null;
      }
      let staged = false;
      let written = 0;
      for (const rows of series) {
        for (let i = 0; i < rows.length; i += this.chunkSize) {
          const end = Math.min(rows.length, i + this.chunkSize);
          let text = '';
          let min = Number.MAX_SAFE_INTEGER;
          let max = Number.MIN_SAFE_INTEGER;
          for (let j = i; j < end; j++) {
            const r = rows[j];
            if (r.ts < min) min = r.ts;
            if (r.ts > max) max = r.ts;
            text += `${copyText(r.symbol)}\t${copyText(r.timeframe)}\t${r.ts}\t${r.open}\t${r.high}\t${r.low}\t${r.close}\t${r.volume}\n`;
          }
          const [{ taken }] = (await qr.query(
            `SELECT EXISTS (SELECT 1 FROM "candles" WHERE "symbol" = $1 AND "timeframe" = $2 AND "ts" BETWEEN $3 AND $4) AS "taken"`,
            [rows[i].symbol, rows[i].timeframe, min, max],
          )) as { taken: boolean }[];
          await qr.startTransaction();
          try {
            let direct = !taken;
            if (direct) {
              await qr.query('SAVEPOINT candles_copy');
              try {
                await copyFrom(client, `COPY "candles" (${COLS}) FROM STDIN`, text);
              } catch (e) {
                if ((e as { code?: string }).code !== '23505') throw e;
                await qr.query('ROLLBACK TO SAVEPOINT candles_copy');
                direct = false; // raced with another writer: merge instead
              }
            }
            if (!direct) {
              if (!staged) {
                await qr.query(
                  `CREATE TEMP TABLE IF NOT EXISTS "candles_stage" (LIKE "candles") ON COMMIT DELETE ROWS`,
                );
                staged = true;
              }
              await copyFrom(client, `COPY "candles_stage" (${COLS}) FROM STDIN`, text);
              await qr.query(
                `INSERT INTO "candles" (${COLS}) SELECT ${COLS} FROM "candles_stage" ${ON_CONFLICT}`,
              );
            }
            await qr.commitTransaction();
          } catch (e) {
            await qr.rollbackTransaction();
            throw e;
          }
          written += end - i;
        }
      }
      return written;
    } finally {
      await qr.release();
    }
  }

  async range(
    symbol: string,
    timeframe: string,
    from: EpochMs,
    to: EpochMs,
    limit?: number,
  ): Promise<Candle[]> {
    const params: unknown[] = [symbol, timeframe, from, to];
    let sql = `${SELECT} WHERE "symbol" = $1 AND "timeframe" = $2 AND "ts" >= $3 AND "ts" < $4 ORDER BY "ts" ASC`;
    if (limit !== undefined) {
      params.push(limit);
      sql += ` LIMIT $5`;
    }
    return (await queryRows<CandleRow>(this.ds, sql, params)).map(toCandle);
  }

  async latest(symbol: string, timeframe: string): Promise<Candle | null> {
    const rows = await queryRows<CandleRow>(
      this.ds,
      `${SELECT} WHERE "symbol" = $1 AND "timeframe" = $2 ORDER BY "ts" DESC LIMIT 1`,
      [symbol, timeframe],
    );
    return rows.length ? toCandle(rows[0]) : null;
  }

  async stats(symbol: string, timeframe: string): Promise<CandleStats> {
    const [r] = await queryRows<{
      count: string | number;
      first: string | number | null;
      last: string | number | null;
    }>(
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

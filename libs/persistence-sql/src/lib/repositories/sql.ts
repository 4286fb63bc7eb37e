/** Small raw-SQL helpers shared by the TypeORM repositories (same behaviour on pg and PGlite). */
import type { DataSource } from 'typeorm';

/** PostgreSQL's limit of bind parameters per statement. */
export const MAX_PARAMS = 65_535;

/** Runs one statement and returns its result rows (also for UPDATE/INSERT … RETURNING). */
export async function queryRows<T = Record<string, unknown>>(
  ds: DataSource,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  const qr = ds.createQueryRunner();
  try {
    const res = await qr.query(sql, [...params], true);
    return (res.records ?? []) as T[];
  } finally {
    await qr.release();
  }
}

/**
 * Multi-row `INSERT INTO table (cols) VALUES (...), (...) <suffix>`, chunked below the bind
 * parameter limit. `casts` gives an optional SQL cast per column (e.g. `jsonb`). Resolves to
 * the rows RETURNed by all chunks.
 */
export async function insertRows<T = Record<string, unknown>>(
  ds: DataSource,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  suffix: string,
  casts: readonly (string | null)[] = [],
): Promise<T[]> {
  const out: T[] = [];
  const perChunk = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const cols = columns.map((c) => `"${c}"`).join(', ');
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const ph = row.map((v, i) => {
        params.push(v);
        return casts[i] ? `$${params.length}::${casts[i]}` : `$${params.length}`;
      });
      return `(${ph.join(', ')})`;
    });
    out.push(
      ...(await queryRows<T>(
        ds,
        `INSERT INTO "${table}" (${cols}) VALUES ${tuples.join(', ')} ${suffix}`,
        params,
      )),
    );
  }
  return out;
}

/** JSON value → text for a `$n::jsonb` parameter (SQL NULL for null/undefined). */
export function jsonParam(v: unknown): string | null {
  return v === null || v === undefined ? null : JSON.stringify(v);
}

/** Test helpers of @trading/persistence-sql: isolated PostgreSQL schemas and PGlite instances. */
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  createPgliteDataSource,
  createPostgresDataSource,
  postgresOptionsFromEnv,
  runMigrations,
  type PostgresConnectionOptions,
} from './lib/data-source';

/** A migrated data source and how to dispose of it. */
export interface TestDataSource {
  readonly ds: DataSource;
  /** The PostgreSQL schema (null for PGlite). */
  readonly schema: string | null;
  /** Drops the schema (PostgreSQL) and closes. */
  close(): Promise<void>;
}

/**
 * Connects to PostgreSQL from the environment (`DATABASE_URL` / `PG*`, default
 * 127.0.0.1:5432), creates a fresh schema `t_<random>`, migrates it and returns it. Rejects
 * (never skips) when the server is unreachable.
 */
export async function openTestPostgres(
  opts: PostgresConnectionOptions = {},
): Promise<TestDataSource> {
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const ds = createPostgresDataSource({
    ...postgresOptionsFromEnv(),
    poolSize: 4,
    ...opts,
    schema,
  });
  await runMigrations(ds);
  return {
    ds,
    schema,
    async close() {
      if (!ds.isInitialized) return;
      try {
        await ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await ds.destroy();
      }
    },
  };
}

/** Starts an in-memory PGlite (or one in `dataDir`), migrated. One per process at a time. */
export async function openTestPglite(dataDir?: string): Promise<TestDataSource> {
  const ds = createPgliteDataSource({ dataDir });
  await runMigrations(ds);
  return {
    ds,
    schema: null,
    async close() {
      if (ds.isInitialized) await ds.destroy();
    },
  };
}

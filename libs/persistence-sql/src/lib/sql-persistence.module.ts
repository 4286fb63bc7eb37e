/**
 * inversify modules of the SQL history adapters. Loading a module connects, runs the
 * migrations and binds every repository port, the projection writer and the data source:
 *
 * ```ts
 * await container.load(postgresPersistenceModule({ connection: postgresOptionsFromEnv() }));
 * const candles = container.get<CandleStore>(PERSISTENCE_TOKENS.CandleStore);
 * ```
 *
 * Shut down with `container.get<SqlPersistence>(SQL_TOKENS.SqlPersistence).close()`.
 */
import { PERSISTENCE_TOKENS, type HistoryRepositories } from '@trading/persistence';
import { ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import type { DataSource } from 'typeorm';
import {
  createPgliteDataSource,
  createPostgresDataSource,
  runMigrations,
  type PgliteOptions,
  type PostgresConnectionOptions,
} from './data-source';
import { createTypeormRepositories, type CandleStoreOptions } from './repositories';
import { SqlProjectionWriter, type SqlProjectionWriterOptions } from './sql-projection-writer';

/** inversify tokens of the SQL adapter itself (the ports' tokens are `PERSISTENCE_TOKENS`). */
export const SQL_TOKENS = {
  DataSource: Symbol.for('trading.persistence-sql.DataSource'),
  SqlPersistence: Symbol.for('trading.persistence-sql.SqlPersistence'),
} as const;

/** An open SQL history: data source, repositories and projection writer. */
export interface SqlPersistence {
  readonly dataSource: DataSource;
  readonly repositories: HistoryRepositories;
  readonly projectionWriter: SqlProjectionWriter;
  /** Flushes the projection writer and closes the connection. */
  close(): Promise<void>;
}

/** Options shared by both adapters. */
export interface SqlPersistenceOptions {
  readonly candles?: CandleStoreOptions;
  readonly projection?: SqlProjectionWriterOptions & { name?: string };
}

/** Migrates `ds` and builds the repositories and projection writer on it. */
export async function openSqlPersistence(
  ds: DataSource,
  opts: SqlPersistenceOptions = {},
): Promise<SqlPersistence> {
  await runMigrations(ds);
  const projectionWriter = SqlProjectionWriter.forDataSource(ds, opts.projection);
  return {
    dataSource: ds,
    repositories: createTypeormRepositories(ds, { candles: opts.candles }),
    projectionWriter,
    async close() {
      await projectionWriter.close();
      if (ds.isInitialized) await ds.destroy();
    },
  };
}

/** Binds an open {@link SqlPersistence} to its tokens. */
export function bindSqlPersistence(options: ContainerModuleLoadOptions, p: SqlPersistence): void {
  const r = p.repositories;
  options.bind(SQL_TOKENS.DataSource).toConstantValue(p.dataSource);
  options.bind(SQL_TOKENS.SqlPersistence).toConstantValue(p);
  options.bind(PERSISTENCE_TOKENS.HistoryRepositories).toConstantValue(r);
  options.bind(PERSISTENCE_TOKENS.OrderRepository).toConstantValue(r.orders);
  options.bind(PERSISTENCE_TOKENS.OrderEventRepository).toConstantValue(r.orderEvents);
  options.bind(PERSISTENCE_TOKENS.FillRepository).toConstantValue(r.fills);
  options.bind(PERSISTENCE_TOKENS.PositionSnapshotRepository).toConstantValue(r.positions);
  options.bind(PERSISTENCE_TOKENS.SessionRepository).toConstantValue(r.sessions);
  options.bind(PERSISTENCE_TOKENS.CandleStore).toConstantValue(r.candles);
  options.bind(PERSISTENCE_TOKENS.BacktestRunRepository).toConstantValue(r.backtestRuns);
  options.bind(PERSISTENCE_TOKENS.ProjectionWriter).toConstantValue(p.projectionWriter);
}

/** PostgreSQL (node-postgres) adapter module: the production path. Load with `await container.load(...)`. */
export function postgresPersistenceModule(
  opts: SqlPersistenceOptions & { connection?: PostgresConnectionOptions } = {},
): ContainerModule {
  return new ContainerModule(async (options) => {
    bindSqlPersistence(
      options,
      await openSqlPersistence(createPostgresDataSource(opts.connection), opts),
    );
  });
}

/** PGlite (embedded) adapter module: zero set-up default. Load with `await container.load(...)`. */
export function pglitePersistenceModule(
  opts: SqlPersistenceOptions & PgliteOptions = {},
): ContainerModule {
  return new ContainerModule(async (options) => {
    bindSqlPersistence(options, await openSqlPersistence(createPgliteDataSource(opts), opts));
  });
}

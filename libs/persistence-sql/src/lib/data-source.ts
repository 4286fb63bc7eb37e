/**
 * Data sources of the SQL history: PostgreSQL through node-postgres (production) and PGlite
 * (embedded WASM PostgreSQL: zero set-up, in memory or in a directory). Both use the same
 * entities and migrations; the schema is only ever created by {@link runMigrations}
 * (`synchronize` is always off).
 */
import 'reflect-metadata';
import { ConfigError, PersistenceError } from '@trading/domain';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { PGliteDriver } from 'typeorm-pglite';
import { HISTORY_ENTITIES } from './entities';
import { HISTORY_MIGRATIONS } from './migrations';

/** Name of TypeORM's migration bookkeeping table. */
export const MIGRATIONS_TABLE = 'history_migrations';

/** Connection settings of the PostgreSQL adapter. Unset fields fall back to libpq env vars, then defaults. */
export interface PostgresConnectionOptions {
  /** `postgres://user:pass@host:port/db`; wins over the discrete fields. */
  readonly url?: string;
  readonly host?: string;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
  /** Schema holding the tables (created by {@link runMigrations} if missing). Default `public`. */
  readonly schema?: string;
  /** Maximum pool connections (default 10). */
  readonly poolSize?: number;
  /** Log SQL (default false). */
  readonly logging?: boolean;
  /** Connection timeout in ms (default 5,000). */
  readonly connectTimeoutMs?: number;
}

/** Settings of the PGlite adapter. */
export interface PgliteOptions {
  /** Directory for a persistent database; omitted = in memory. */
  readonly dataDir?: string;
  /** Log SQL (default false). */
  readonly logging?: boolean;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Validates a schema name (lower-case identifier), so it can be used in SQL unquoted-safe. */
export function validateSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema))
    throw new ConfigError(
      `schema: must be a lower-case SQL identifier, got ${JSON.stringify(schema)}`,
      { schema },
    );
  return schema;
}

/**
 * Reads PostgreSQL settings from the environment: `DATABASE_URL`, else `PGHOST`, `PGPORT`,
 * `PGUSER`, `PGPASSWORD`, `PGDATABASE` (defaults 127.0.0.1:5432, user postgres, db postgres).
 */
export function postgresOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): PostgresConnectionOptions {
  if (env['DATABASE_URL']) return { url: env['DATABASE_URL'] };
  const port = env['PGPORT'] ? Number(env['PGPORT']) : 5432;
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new ConfigError(`PGPORT: must be a TCP port, got ${JSON.stringify(env['PGPORT'])}`, {
      field: 'PGPORT',
    });
  return {
    host: env['PGHOST'] || '127.0.0.1',
    port,
    user: env['PGUSER'] || 'postgres',
    password: env['PGPASSWORD'] || undefined,
    database: env['PGDATABASE'] || 'postgres',
  };
}

const common: {
  entities: DataSourceOptions['entities'];
  migrations: DataSourceOptions['migrations'];
  migrationsTableName: string;
  migrationsRun: boolean;
  synchronize: boolean;
} = {
  entities: [...HISTORY_ENTITIES],
  migrations: [...HISTORY_MIGRATIONS],
  migrationsTableName: MIGRATIONS_TABLE,
  migrationsRun: false,
  synchronize: false,
};

/**
 * Creates (does not connect) a PostgreSQL data source over node-postgres. Connect and migrate
 * with {@link openDataSource}. When `schema` is set, the connection's `search_path` is that schema.
 */
export function createPostgresDataSource(
  opts: PostgresConnectionOptions = postgresOptionsFromEnv(),
): DataSource {
  const schema = opts.schema === undefined ? undefined : validateSchemaName(opts.schema);
  const options: DataSourceOptions = {
    type: 'postgres',
    ...(opts.url
      ? { url: opts.url }
      : {
          host: opts.host ?? '127.0.0.1',
          port: opts.port ?? 5432,
          username: opts.user ?? 'postgres',
          password: opts.password,
          database: opts.database ?? 'postgres',
        }),
    schema,
    logging: opts.logging ?? false,
    connectTimeoutMS: opts.connectTimeoutMs ?? 5_000,
    extra: { max: opts.poolSize ?? 10, ...(schema ? { options: `-c search_path=${schema}` } : {}) },
    ...common,
  };
  return new DataSource(options);
}

let activePglite: DataSource | null = null;

/**
 * Creates (does not start) a PGlite data source. typeorm-pglite keeps ONE PGlite instance per
 * process, so only one PGlite data source may be open at a time: creating a second one while
 * the first is initialized throws `PersistenceError` (destroy the first).
 */
export function createPgliteDataSource(opts: PgliteOptions = {}): DataSource {
  if (activePglite?.isInitialized) {
    throw new PersistenceError(
      'a PGlite data source is already open in this process (typeorm-pglite keeps one instance); destroy it first',
    );
  }
  const driver = new PGliteDriver(opts.dataDir ? { dataDir: opts.dataDir } : {}).driver;
  const ds = new DataSource({
    type: 'postgres',
    driver,
    logging: opts.logging ?? false,
    ...common,
  });
  activePglite = ds;
  return ds;
}

/**
 * Applies every pending migration (creating the schema first when the data source names one).
 * Connects the data source when needed. Resolves to the names of the migrations applied now.
 */
export async function runMigrations(ds: DataSource): Promise<string[]> {
  try {
    if (!ds.isInitialized) await ds.initialize();
    const schema = (ds.options as { schema?: string }).schema;
    if (schema) await ds.query(`CREATE SCHEMA IF NOT EXISTS "${validateSchemaName(schema)}"`);
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new PersistenceError(
      `SQL history migrations failed: ${(e as Error).message}`,
      {},
      { cause: e },
    );
  }
}

/** Connects a data source and runs its migrations (the start-up path). */
export async function openDataSource(ds: DataSource): Promise<DataSource> {
  await runMigrations(ds);
  return ds;
}

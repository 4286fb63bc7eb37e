import { ConfigError, PersistenceError } from '@trading/domain';
import {
  createPostgresDataSource,
  postgresOptionsFromEnv,
  runMigrations,
  validateSchemaName,
} from './data-source';

describe('data source configuration', () => {
  it('reads PostgreSQL settings from env with defaults', () => {
    expect(postgresOptionsFromEnv({})).toEqual({
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      password: undefined,
      database: 'postgres',
    });
    expect(
      postgresOptionsFromEnv({
        PGHOST: 'db',
        PGPORT: '6543',
        PGUSER: 'u',
        PGPASSWORD: 'p',
        PGDATABASE: 'd',
      }),
    ).toEqual({ host: 'db', port: 6543, user: 'u', password: 'p', database: 'd' });
    expect(
      postgresOptionsFromEnv({ DATABASE_URL: 'postgres://x@h/db', PGHOST: 'ignored' }),
    ).toEqual({ url: 'postgres://x@h/db' });
    expect(() => postgresOptionsFromEnv({ PGPORT: 'abc' })).toThrow(ConfigError);
  });

  it('accepts only lower-case identifier schema names', () => {
    expect(validateSchemaName('t_1_ab')).toBe('t_1_ab');
    expect(() => validateSchemaName('x"; DROP TABLE y; --')).toThrow(ConfigError);
    expect(() => createPostgresDataSource({ schema: 'Bad-Name' })).toThrow(ConfigError);
  });

  it('never synchronizes and sets search_path for a schema', () => {
    const ds = createPostgresDataSource({ host: 'h', port: 1, schema: 'abc', poolSize: 3 });
    expect(ds.options.synchronize).toBe(false);
    expect(ds.options.migrationsRun).toBe(false);
    expect((ds.options as { extra?: unknown }).extra).toEqual({
      max: 3,
      options: '-c search_path=abc',
    });
    const byUrl = createPostgresDataSource({ url: 'postgres://u@h:1/db' });
    expect((byUrl.options as { url?: string }).url).toBe('postgres://u@h:1/db');
  });

  it('fails with PersistenceError (never skips) when the server is unreachable', async () => {
    const ds = createPostgresDataSource({ host: '127.0.0.1', port: 1, connectTimeoutMs: 1000 });
    await expect(runMigrations(ds)).rejects.toBeInstanceOf(PersistenceError);
  });
});

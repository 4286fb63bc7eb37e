import { openTestPostgres, type TestDataSource } from '../testing';
import { MIGRATIONS_TABLE, runMigrations } from './data-source';
import { HISTORY_MIGRATIONS } from './migrations';

describe('migrations (PostgreSQL)', () => {
  let t: TestDataSource;
  beforeAll(async () => {
    t = await openTestPostgres();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates every table in the test schema and records the migration', async () => {
    const tables = (await t.ds.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
      [t.schema],
    )) as { table_name: string }[];
    expect(tables.map((r) => r.table_name)).toEqual(
      [
        'backtest_runs',
        'candles',
        'fills',
        MIGRATIONS_TABLE,
        'order_events',
        'orders',
        'position_snapshots',
        'projection_checkpoints',
        'sessions',
      ].sort(),
    );
    const applied = (await t.ds.query(`SELECT name FROM "${MIGRATIONS_TABLE}"`)) as {
      name: string;
    }[];
    expect(applied.map((r) => r.name)).toEqual(HISTORY_MIGRATIONS.map((m) => new m().name));
  });

  it('is idempotent: a second run applies nothing', async () => {
    expect(await runMigrations(t.ds)).toEqual([]);
  });

  it('entities match the migrated schema (no drift)', async () => {
    const pending = await t.ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('money columns are numeric and timestamps bigint', async () => {
    const cols = (await t.ds.query(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'fills' ORDER BY ordinal_position`,
      [t.schema],
    )) as { column_name: string; data_type: string }[];
    const type = Object.fromEntries(cols.map((c) => [c.column_name, c.data_type]));
    expect(type).toMatchObject({
      wal_seq: 'bigint',
      quantity: 'numeric',
      price: 'numeric',
      commission: 'numeric',
      ts: 'bigint',
    });
  });

  it('down() drops every table and up() recreates them', async () => {
    await t.ds.undoLastMigration({ transaction: 'each' });
    const left = (await t.ds.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1`,
      [t.schema],
    )) as { table_name: string }[];
    expect(left.map((r) => r.table_name)).toEqual([MIGRATIONS_TABLE]);
    expect(await runMigrations(t.ds)).toEqual(HISTORY_MIGRATIONS.map((m) => new m().name));
  });
});

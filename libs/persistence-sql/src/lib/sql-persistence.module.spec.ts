import {
  PERSISTENCE_TOKENS,
  type CandleStore,
  type HistoryRepositories,
  type ProjectionWriter,
} from '@trading/persistence';
import { Container } from 'inversify';
import { postgresOptionsFromEnv } from './data-source';
import {
  postgresPersistenceModule,
  SQL_TOKENS,
  type SqlPersistence,
} from './sql-persistence.module';
import { queryRows } from './repositories/sql';
import { randomBytes } from 'node:crypto';

describe('postgresPersistenceModule', () => {
  it('migrates on load and binds every port', async () => {
    const schema = `m_${randomBytes(4).toString('hex')}`;
    const container = new Container();
    await container.load(
      postgresPersistenceModule({ connection: { ...postgresOptionsFromEnv(), schema } }),
    );
    const sql = container.get<SqlPersistence>(SQL_TOKENS.SqlPersistence);
    try {
      const candles = container.get<CandleStore>(PERSISTENCE_TOKENS.CandleStore);
      expect(
        await candles.upsertMany([
          {
            symbol: 'X',
            timeframe: '1m',
            ts: 1,
            open: 1,
            high: 2,
            low: 0.5,
            close: 1.5,
            volume: 10,
          },
        ]),
      ).toBe(1);
      expect(await candles.stats('X', '1m')).toEqual({ count: 1, firstTs: 1, lastTs: 1 });
      expect(
        container.get<HistoryRepositories>(PERSISTENCE_TOKENS.HistoryRepositories).candles,
      ).toBe(candles);
      expect(container.get<ProjectionWriter>(PERSISTENCE_TOKENS.ProjectionWriter)).toBe(
        sql.projectionWriter,
      );
      const repositoryTokens = [
        'OrderRepository',
        'OrderEventRepository',
        'FillRepository',
        'PositionSnapshotRepository',
        'SessionRepository',
        'CandleStore',
        'BacktestRunRepository',
      ] as const;
      for (const name of repositoryTokens)
        expect(container.isBound(PERSISTENCE_TOKENS[name])).toBe(true);
      expect(container.get(SQL_TOKENS.DataSource)).toBe(sql.dataSource);
      const [r] = await queryRows<{ n: number }>(
        sql.dataSource,
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1`,
        [schema],
      );
      expect(r.n).toBe(9);
    } finally {
      await sql.dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
      await sql.close();
    }
    expect(sql.dataSource.isInitialized).toBe(false);
  });
});

import { PersistenceError } from '@trading/domain';
import { PERSISTENCE_TOKENS, type SessionRepository } from '@trading/persistence';
import { Container } from 'inversify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteDataSource } from './data-source';
import { pglitePersistenceModule, SQL_TOKENS, type SqlPersistence } from './sql-persistence.module';

describe('PGlite adapter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('persists to a directory across restarts, projection writer included, and allows one instance at a time', async () => {
    const first = new Container();
    await first.load(pglitePersistenceModule({ dataDir: dir }));
    const sql = first.get<SqlPersistence>(SQL_TOKENS.SqlPersistence);
    expect(() => createPgliteDataSource()).toThrow(PersistenceError);
    await first.get<SessionRepository>(PERSISTENCE_TOKENS.SessionRepository).save({
      id: 's1',
      mode: 'backtest',
      status: 'created',
      createdAt: 1,
      startedAt: null,
      stoppedAt: null,
      meta: { a: 1 },
    });
    sql.projectionWriter.enqueue({
      seq: 7,
      type: 'denial',
      payload: { clientOrderId: 'o1', ts: 1 },
    });
    sql.projectionWriter.enqueue({
      seq: 7,
      type: 'denial',
      payload: { clientOrderId: 'o1', ts: 1 },
    });
    await sql.close();

    const second = new Container();
    await second.load(pglitePersistenceModule({ dataDir: dir }));
    const again = second.get<SqlPersistence>(SQL_TOKENS.SqlPersistence);
    try {
      expect(await again.repositories.sessions.get('s1')).toMatchObject({
        id: 's1',
        meta: { a: 1 },
      });
      expect(await again.projectionWriter.lastWrittenSeq()).toBe(7);
      expect(await again.repositories.orderEvents.listByOrder('o1' as never)).toHaveLength(1);
    } finally {
      await again.close();
    }
  }, 240_000); // two PGlite start-ups (initdb + reopen); slow on a loaded 2-vCPU machine
});

describe('PGlite candle store', () => {
  it('auto falls back to unnest for large batches; explicit COPY is refused', async () => {
    const { openTestPglite } = await import('../testing');
    const { TypeormCandleStore } = await import('./repositories/typeorm-candle.store');
    const t = await openTestPglite();
    try {
      const rows = Array.from({ length: 3000 }, (_, i) => ({
        symbol: 'P',
        timeframe: '1m',
        ts: i,
        open: 1,
        high: 2,
        low: 0.5,
        close: 1.5,
        volume: i,
      }));
      expect(await new TypeormCandleStore(t.ds).upsertMany(rows)).toBe(3000);
      expect(await new TypeormCandleStore(t.ds).stats('P', '1m')).toEqual({
        count: 3000,
        firstTs: 0,
        lastTs: 2999,
      });
      await expect(
        new TypeormCandleStore(t.ds, { method: 'copy' }).upsertMany(rows),
      ).rejects.toThrow(/node-postgres/);
    } finally {
      await t.close();
    }
  }, 240_000);
});

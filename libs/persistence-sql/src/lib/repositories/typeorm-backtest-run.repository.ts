import { PersistenceError } from '@trading/domain';
import type { BacktestRunQuery, BacktestRunRecord, BacktestRunRepository, BacktestRunStatus, EpochMs, JsonObject } from '@trading/persistence';
import type { DataSource, Repository } from 'typeorm';
import { BacktestRunEntity } from '../entities';
import { jsonParam, queryRows } from './sql';
import { MAX_LIST_LIMIT } from './typeorm-order.repository';

function toRun(e: BacktestRunEntity): BacktestRunRecord {
  return {
    id: e.id,
    sessionId: e.sessionId,
    strategy: e.strategy,
    params: e.params,
    status: e.status,
    startedAt: e.startedAt,
    finishedAt: e.finishedAt,
    metrics: e.metrics,
  };
}

/** TypeORM {@link BacktestRunRepository}; params and metrics are JSONB. */
export class TypeormBacktestRunRepository implements BacktestRunRepository {
  private readonly repo: Repository<BacktestRunEntity>;
  constructor(private readonly ds: DataSource) {
    this.repo = ds.getRepository(BacktestRunEntity);
  }

  async save(run: BacktestRunRecord): Promise<void> {
    await this.repo.upsert(this.repo.create({ ...run }), { conflictPaths: ['id'] });
  }

  async get(id: string): Promise<BacktestRunRecord | null> {
    const e = await this.repo.findOneBy({ id });
    return e ? toRun(e) : null;
  }

  async finish(id: string, status: Exclude<BacktestRunStatus, 'running'>, metrics: JsonObject | null, finishedAt: EpochMs): Promise<BacktestRunRecord> {
    const rows = await queryRows(this.ds, `UPDATE "backtest_runs" SET "status" = $2, "metrics" = $3::jsonb, "finished_at" = $4::bigint WHERE "id" = $1 RETURNING "id"`, [
      id,
      status,
      jsonParam(metrics),
      finishedAt,
    ]);
    if (rows.length === 0) throw new PersistenceError(`backtest run ${id} does not exist`, { runId: id });
    return (await this.get(id)) as BacktestRunRecord;
  }

  async list(q: BacktestRunQuery = {}): Promise<BacktestRunRecord[]> {
    const qb = this.repo.createQueryBuilder('r');
    if (q.strategy !== undefined) qb.andWhere('r.strategy = :strategy', { strategy: q.strategy });
    if (q.status !== undefined) qb.andWhere('r.status = :status', { status: q.status });
    qb.orderBy('r.startedAt', 'DESC').addOrderBy('r.id', 'ASC').limit(Math.min(q.limit ?? MAX_LIST_LIMIT, MAX_LIST_LIMIT));
    return (await qb.getMany()).map(toRun);
  }
}

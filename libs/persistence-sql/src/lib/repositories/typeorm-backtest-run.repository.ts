import { PersistenceError } from '@trading/domain';
import type {
  BacktestRunQuery,
  BacktestRunRecord,
  BacktestRunRepository,
  BacktestRunStatus,
  EpochMs,
  JsonObject,
  JsonValue,
} from '@trading/persistence';
import type { DataSource, Repository } from 'typeorm';
import { BacktestRunEntity } from '../entities';
import { insertRows, jsonParam, queryRows } from './sql';
import { MAX_LIST_LIMIT } from './typeorm-order.repository';

function toRun(e: BacktestRunEntity): BacktestRunRecord {
  return {
    id: e.id,
    sessionId: e.sessionId,
    strategy: e.strategy,
    params: e.params as JsonValue,
    status: e.status,
    startedAt: e.startedAt,
    finishedAt: e.finishedAt,
    metrics: e.metrics as JsonObject | null,
  };
}

/** TypeORM {@link BacktestRunRepository}; params and metrics are JSONB. */
export class TypeormBacktestRunRepository implements BacktestRunRepository {
  private readonly repo: Repository<BacktestRunEntity>;
  constructor(private readonly ds: DataSource) {
    this.repo = ds.getRepository(BacktestRunEntity);
  }

  async save(run: BacktestRunRecord): Promise<void> {
    await insertRows(
      this.ds,
      'backtest_runs',
      ['id', 'session_id', 'strategy', 'params', 'status', 'started_at', 'finished_at', 'metrics'],
      [
        [
          run.id,
          run.sessionId,
          run.strategy,
          jsonParam(run.params),
          run.status,
          run.startedAt,
          run.finishedAt,
          jsonParam(run.metrics),
        ],
      ],
      `ON CONFLICT ("id") DO UPDATE SET "session_id" = EXCLUDED."session_id", "strategy" = EXCLUDED."strategy", "params" = EXCLUDED."params",
         "status" = EXCLUDED."status", "started_at" = EXCLUDED."started_at", "finished_at" = EXCLUDED."finished_at", "metrics" = EXCLUDED."metrics"`,
      [null, null, null, 'jsonb', null, 'bigint', 'bigint', 'jsonb'],
    );
  }

  async get(id: string): Promise<BacktestRunRecord | null> {
    const e = await this.repo.findOneBy({ id });
    return e ? toRun(e) : null;
  }

  async finish(
    id: string,
    status: Exclude<BacktestRunStatus, 'running'>,
    metrics: JsonObject | null,
    finishedAt: EpochMs,
  ): Promise<BacktestRunRecord> {
    const rows = await queryRows(
      this.ds,
      `UPDATE "backtest_runs" SET "status" = $2, "metrics" = $3::jsonb, "finished_at" = $4::bigint WHERE "id" = $1 RETURNING "id"`,
      [id, status, jsonParam(metrics), finishedAt],
    );
    if (rows.length === 0)
      throw new PersistenceError(`backtest run ${id} does not exist`, { runId: id });
    return (await this.get(id)) as BacktestRunRecord;
  }

  async list(q: BacktestRunQuery = {}): Promise<BacktestRunRecord[]> {
    const qb = this.repo.createQueryBuilder('r');
    if (q.strategy !== undefined) qb.andWhere('r.strategy = :strategy', { strategy: q.strategy });
    if (q.status !== undefined) qb.andWhere('r.status = :status', { status: q.status });
    qb.orderBy('r.startedAt', 'DESC')
      .addOrderBy('r.id', 'ASC')
      .limit(Math.min(q.limit ?? MAX_LIST_LIMIT, MAX_LIST_LIMIT));
    return (await qb.getMany()).map(toRun);
  }
}

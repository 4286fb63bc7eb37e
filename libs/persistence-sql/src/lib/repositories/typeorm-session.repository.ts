import { PersistenceError } from '@trading/domain';
import type {
  EpochMs,
  JsonValue,
  SessionQuery,
  SessionRecord,
  SessionRepository,
  SessionStatus,
} from '@trading/persistence';
import type { DataSource, Repository } from 'typeorm';
import { SessionEntity } from '../entities';
import { insertRows, jsonParam, queryRows } from './sql';
import { MAX_LIST_LIMIT } from './typeorm-order.repository';

function toSession(e: SessionEntity): SessionRecord {
  return {
    id: e.id,
    mode: e.mode,
    status: e.status,
    createdAt: e.createdAt,
    startedAt: e.startedAt,
    stoppedAt: e.stoppedAt,
    meta: e.meta as JsonValue,
  };
}

/** TypeORM {@link SessionRepository}. */
export class TypeormSessionRepository implements SessionRepository {
  private readonly repo: Repository<SessionEntity>;
  constructor(private readonly ds: DataSource) {
    this.repo = ds.getRepository(SessionEntity);
  }

  async save(s: SessionRecord): Promise<void> {
    await insertRows(
      this.ds,
      'sessions',
      ['id', 'mode', 'status', 'created_at', 'started_at', 'stopped_at', 'meta'],
      [[s.id, s.mode, s.status, s.createdAt, s.startedAt, s.stoppedAt, jsonParam(s.meta)]],
      `ON CONFLICT ("id") DO UPDATE SET "mode" = EXCLUDED."mode", "status" = EXCLUDED."status", "created_at" = EXCLUDED."created_at",
         "started_at" = EXCLUDED."started_at", "stopped_at" = EXCLUDED."stopped_at", "meta" = EXCLUDED."meta"`,
      [null, null, null, 'bigint', 'bigint', 'bigint', 'jsonb'],
    );
  }

  async get(id: string): Promise<SessionRecord | null> {
    const e = await this.repo.findOneBy({ id });
    return e ? toSession(e) : null;
  }

  async updateStatus(id: string, status: SessionStatus, ts: EpochMs): Promise<SessionRecord> {
    const rows = await queryRows(
      this.ds,
      `UPDATE "sessions" SET "status" = $2::varchar,
         "started_at" = CASE WHEN $2::varchar = 'running' AND "started_at" IS NULL THEN $3::bigint ELSE "started_at" END,
         "stopped_at" = CASE WHEN $2::varchar IN ('stopped', 'failed') THEN $3::bigint ELSE "stopped_at" END
       WHERE "id" = $1 RETURNING "id"`,
      [id, status, ts],
    );
    if (rows.length === 0)
      throw new PersistenceError(`session ${id} does not exist`, { sessionId: id });
    return (await this.get(id)) as SessionRecord;
  }

  async list(q: SessionQuery = {}): Promise<SessionRecord[]> {
    const qb = this.repo.createQueryBuilder('s');
    if (q.mode !== undefined) qb.andWhere('s.mode = :mode', { mode: q.mode });
    if (q.status !== undefined) qb.andWhere('s.status = :status', { status: q.status });
    qb.orderBy('s.createdAt', 'DESC')
      .addOrderBy('s.id', 'ASC')
      .limit(Math.min(q.limit ?? MAX_LIST_LIMIT, MAX_LIST_LIMIT));
    return (await qb.getMany()).map(toSession);
  }
}

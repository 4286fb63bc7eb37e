import type { InstrumentId } from '@trading/domain';
import type {
  PositionSnapshotRecord,
  PositionSnapshotRepository,
  TimeRange,
} from '@trading/persistence';
import type { DataSource, Repository } from 'typeorm';
import { PositionSnapshotEntity } from '../entities';
import { insertRows } from './sql';
import { applyRangeAndPaging } from './typeorm-order.repository';

function toSnapshot(e: PositionSnapshotEntity): PositionSnapshotRecord {
  return {
    walSeq: e.walSeq,
    sessionId: e.sessionId,
    instrumentId: e.instrumentId as InstrumentId,
    quantity: e.quantity,
    avgPrice: e.avgPrice,
    realizedPnl: e.realizedPnl,
    currency: e.currency,
    ts: e.ts,
  };
}

const COLUMNS = [
  'wal_seq',
  'session_id',
  'instrument_id',
  'quantity',
  'avg_price',
  'realized_pnl',
  'currency',
  'ts',
];
const CASTS = ['bigint', null, null, 'numeric', 'numeric', 'numeric', null, 'bigint'];

/** TypeORM {@link PositionSnapshotRepository}: append-only, `wal_seq` primary key. */
export class TypeormPositionSnapshotRepository implements PositionSnapshotRepository {
  private readonly repo: Repository<PositionSnapshotEntity>;
  constructor(private readonly ds: DataSource) {
    this.repo = ds.getRepository(PositionSnapshotEntity);
  }

  async append(snapshots: readonly PositionSnapshotRecord[]): Promise<number> {
    if (snapshots.length === 0) return 0;
    const rows = snapshots.map((s) => [
      s.walSeq,
      s.sessionId,
      s.instrumentId,
      s.quantity.toFixed(),
      s.avgPrice.toFixed(),
      s.realizedPnl.toFixed(),
      s.currency,
      s.ts,
    ]);
    return (
      await insertRows(
        this.ds,
        'position_snapshots',
        COLUMNS,
        rows,
        'ON CONFLICT DO NOTHING RETURNING "wal_seq"',
        CASTS,
      )
    ).length;
  }

  async latest(
    instrumentId: InstrumentId,
    sessionId?: string,
  ): Promise<PositionSnapshotRecord | null> {
    const e = await this.repo.findOne({
      where: sessionId === undefined ? { instrumentId } : { instrumentId, sessionId },
      order: { ts: 'DESC', walSeq: 'DESC' },
    });
    return e ? toSnapshot(e) : null;
  }

  async latestAll(sessionId?: string): Promise<PositionSnapshotRecord[]> {
    const qb = this.repo.createQueryBuilder('p').distinctOn(['p.instrumentId']);
    if (sessionId !== undefined) qb.where('p.sessionId = :sessionId', { sessionId });
    qb.orderBy('p.instrumentId', 'ASC').addOrderBy('p.ts', 'DESC').addOrderBy('p.walSeq', 'DESC');
    return (await qb.getMany()).map(toSnapshot);
  }

  async history(instrumentId: InstrumentId, range?: TimeRange): Promise<PositionSnapshotRecord[]> {
    const qb = this.repo
      .createQueryBuilder('p')
      .where('p.instrumentId = :instrumentId', { instrumentId });
    applyRangeAndPaging(qb, 'p.ts', range).orderBy('p.ts', 'ASC').addOrderBy('p.walSeq', 'ASC');
    return (await qb.getMany()).map(toSnapshot);
  }
}

import type {
  ClientOrderId,
  InstrumentId,
  LiquiditySide,
  OrderSide,
  TradeId,
} from '@trading/domain';
import type { FillQuery, FillRecord, FillRepository } from '@trading/persistence';
import type { DataSource, Repository } from 'typeorm';
import { FillEntity } from '../entities';
import { insertRows } from './sql';
import { applyRangeAndPaging } from './typeorm-order.repository';

function toFill(e: FillEntity): FillRecord {
  return {
    walSeq: e.walSeq,
    tradeId: e.tradeId as TradeId,
    clientOrderId: e.clientOrderId as ClientOrderId,
    sessionId: e.sessionId,
    instrumentId: e.instrumentId as InstrumentId,
    side: e.side as OrderSide,
    quantity: e.quantity,
    price: e.price,
    commission: e.commission,
    currency: e.currency,
    liquidity: e.liquidity as LiquiditySide,
    ts: e.ts,
  };
}

const COLUMNS = [
  'wal_seq',
  'trade_id',
  'client_order_id',
  'session_id',
  'instrument_id',
  'side',
  'quantity',
  'price',
  'commission',
  'currency',
  'liquidity',
  'ts',
];
const CASTS = [
  'bigint',
  null,
  null,
  null,
  null,
  null,
  'numeric',
  'numeric',
  'numeric',
  null,
  null,
  'bigint',
];

/** TypeORM {@link FillRepository}: `wal_seq` primary key + unique `trade_id`, ON CONFLICT DO NOTHING. */
export class TypeormFillRepository implements FillRepository {
  private readonly repo: Repository<FillEntity>;
  constructor(private readonly ds: DataSource) {
    this.repo = ds.getRepository(FillEntity);
  }

  async append(fills: readonly FillRecord[]): Promise<number> {
    if (fills.length === 0) return 0;
    const rows = fills.map((f) => [
      f.walSeq,
      f.tradeId,
      f.clientOrderId,
      f.sessionId,
      f.instrumentId,
      f.side,
      f.quantity.toFixed(),
      f.price.toFixed(),
      f.commission.toFixed(),
      f.currency,
      f.liquidity,
      f.ts,
    ]);
    return (
      await insertRows(
        this.ds,
        'fills',
        COLUMNS,
        rows,
        'ON CONFLICT DO NOTHING RETURNING "wal_seq"',
        CASTS,
      )
    ).length;
  }

  async listByOrder(clientOrderId: ClientOrderId): Promise<FillRecord[]> {
    return (
      await this.repo.find({ where: { clientOrderId }, order: { ts: 'ASC', walSeq: 'ASC' } })
    ).map(toFill);
  }

  async list(q: FillQuery = {}): Promise<FillRecord[]> {
    const qb = this.repo.createQueryBuilder('f');
    if (q.sessionId !== undefined)
      qb.andWhere('f.sessionId = :sessionId', { sessionId: q.sessionId });
    if (q.instrumentId !== undefined)
      qb.andWhere('f.instrumentId = :instrumentId', { instrumentId: q.instrumentId });
    applyRangeAndPaging(qb, 'f.ts', q.range, q)
      .orderBy('f.ts', 'ASC')
      .addOrderBy('f.walSeq', 'ASC');
    return (await qb.getMany()).map(toFill);
  }
}

import type {
  ClientOrderId,
  InstrumentId,
  OrderSide,
  OrderType,
  StrategyId,
  TimeInForce,
  VenueOrderId,
} from '@trading/domain';
import type {
  JsonValue,
  OrderEventRecord,
  OrderEventRepository,
  OrderQuery,
  OrderRecord,
  OrderRepository,
  Paging,
  TimeRange,
} from '@trading/persistence';
import type { DataSource, Repository, SelectQueryBuilder } from 'typeorm';
import { OrderEntity, OrderEventEntity } from '../entities';
import { insertRows, jsonParam } from './sql';

/** Default and maximum page size of list queries. */
export const MAX_LIST_LIMIT = 10_000;

/** Applies `[from, to)` on `column` and paging to a query builder. */
export function applyRangeAndPaging<T extends object>(
  qb: SelectQueryBuilder<T>,
  column: string,
  range?: TimeRange,
  paging?: Paging,
): SelectQueryBuilder<T> {
  if (range?.from !== undefined) qb.andWhere(`${column} >= :from`, { from: range.from });
  if (range?.to !== undefined) qb.andWhere(`${column} < :to`, { to: range.to });
  qb.limit(Math.min(paging?.limit ?? MAX_LIST_LIMIT, MAX_LIST_LIMIT));
  if (paging?.offset) qb.offset(paging.offset);
  return qb;
}

function toOrder(e: OrderEntity): OrderRecord {
  return {
    clientOrderId: e.clientOrderId as ClientOrderId,
    venueOrderId: e.venueOrderId as VenueOrderId | null,
    sessionId: e.sessionId,
    strategyId: e.strategyId as StrategyId | null,
    instrumentId: e.instrumentId as InstrumentId,
    side: e.side as OrderSide,
    type: e.type as OrderType,
    timeInForce: e.timeInForce as TimeInForce,
    quantity: e.quantity,
    limitPrice: e.limitPrice,
    stopPrice: e.stopPrice,
    filledQuantity: e.filledQuantity,
    avgFillPrice: e.avgFillPrice,
    status: e.status,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    walSeq: e.walSeq,
  };
}

const ORDER_COLUMNS = [
  'client_order_id',
  'venue_order_id',
  'session_id',
  'strategy_id',
  'instrument_id',
  'side',
  'type',
  'time_in_force',
  'quantity',
  'limit_price',
  'stop_price',
  'filled_quantity',
  'avg_fill_price',
  'status',
  'created_at',
  'updated_at',
  'wal_seq',
] as const;
const ORDER_CASTS = ORDER_COLUMNS.map((c) =>
  ['quantity', 'limit_price', 'stop_price', 'filled_quantity', 'avg_fill_price'].includes(c)
    ? 'numeric'
    : ['created_at', 'updated_at', 'wal_seq'].includes(c)
      ? 'bigint'
      : null,
);
const ORDER_UPSERT =
  `ON CONFLICT ("client_order_id") DO UPDATE SET ` +
  ORDER_COLUMNS.filter((c) => c !== 'client_order_id' && c !== 'created_at')
    .map((c) => `"${c}" = EXCLUDED."${c}"`)
    .join(', ') +
  ` WHERE "orders"."wal_seq" IS NULL OR EXCLUDED."wal_seq" IS NULL OR EXCLUDED."wal_seq" > "orders"."wal_seq"`;

const dec = (v: { toFixed(): string } | null): string | null => (v === null ? null : v.toFixed());

/** TypeORM {@link OrderRepository}: one row per client order id, WAL-ordered upserts. */
export class TypeormOrderRepository implements OrderRepository {
  private readonly repo: Repository<OrderEntity>;
  constructor(private readonly ds: DataSource) {
    this.repo = ds.getRepository(OrderEntity);
  }

  async upsert(orders: readonly OrderRecord[]): Promise<void> {
    if (orders.length === 0) return;
    // One statement cannot update a row twice: keep the winning record per id (same rule as SQL).
    const byId = new Map<string, OrderRecord>();
    for (const o of orders) {
      const cur = byId.get(o.clientOrderId);
      if (cur && cur.walSeq !== null && o.walSeq !== null && o.walSeq <= cur.walSeq) continue;
      byId.set(o.clientOrderId, o);
    }
    const rows = [...byId.values()].map((o) => [
      o.clientOrderId,
      o.venueOrderId,
      o.sessionId,
      o.strategyId,
      o.instrumentId,
      o.side,
      o.type,
      o.timeInForce,
      dec(o.quantity),
      dec(o.limitPrice),
      dec(o.stopPrice),
      dec(o.filledQuantity),
      dec(o.avgFillPrice),
      o.status,
      o.createdAt,
      o.updatedAt,
      o.walSeq,
    ]);
    await insertRows(this.ds, 'orders', ORDER_COLUMNS, rows, ORDER_UPSERT, ORDER_CASTS);
  }

  async get(clientOrderId: ClientOrderId): Promise<OrderRecord | null> {
    const e = await this.repo.findOneBy({ clientOrderId });
    return e ? toOrder(e) : null;
  }

  async list(q: OrderQuery = {}): Promise<OrderRecord[]> {
    const qb = this.repo.createQueryBuilder('o');
    if (q.sessionId !== undefined)
      qb.andWhere('o.sessionId = :sessionId', { sessionId: q.sessionId });
    if (q.strategyId !== undefined)
      qb.andWhere('o.strategyId = :strategyId', { strategyId: q.strategyId });
    if (q.instrumentId !== undefined)
      qb.andWhere('o.instrumentId = :instrumentId', { instrumentId: q.instrumentId });
    if (q.status !== undefined) qb.andWhere('o.status = :status', { status: q.status });
    applyRangeAndPaging(qb, 'o.createdAt', q.range, q)
      .orderBy('o.createdAt', 'ASC')
      .addOrderBy('o.clientOrderId', 'ASC');
    return (await qb.getMany()).map(toOrder);
  }
}

function toEvent(e: OrderEventEntity): OrderEventRecord {
  return {
    walSeq: e.walSeq,
    clientOrderId: e.clientOrderId as ClientOrderId,
    type: e.type,
    ts: e.ts,
    payload: e.payload as JsonValue,
  };
}

/** TypeORM {@link OrderEventRepository}: append-only, `wal_seq` primary key, ON CONFLICT DO NOTHING. */
export class TypeormOrderEventRepository implements OrderEventRepository {
  private readonly repo: Repository<OrderEventEntity>;
  constructor(private readonly ds: DataSource) {
    this.repo = ds.getRepository(OrderEventEntity);
  }

  async append(events: readonly OrderEventRecord[]): Promise<number> {
    if (events.length === 0) return 0;
    const rows = events.map((e) => [e.walSeq, e.clientOrderId, e.type, e.ts, jsonParam(e.payload)]);
    const inserted = await insertRows(
      this.ds,
      'order_events',
      ['wal_seq', 'client_order_id', 'type', 'ts', 'payload'],
      rows,
      'ON CONFLICT DO NOTHING RETURNING "wal_seq"',
      ['bigint', null, null, 'bigint', 'jsonb'],
    );
    return inserted.length;
  }

  async listByOrder(clientOrderId: ClientOrderId): Promise<OrderEventRecord[]> {
    return (await this.repo.find({ where: { clientOrderId }, order: { walSeq: 'ASC' } })).map(
      toEvent,
    );
  }

  async list(range?: TimeRange, paging?: Paging): Promise<OrderEventRecord[]> {
    const qb = applyRangeAndPaging(
      this.repo.createQueryBuilder('e'),
      'e.ts',
      range,
      paging,
    ).orderBy('e.walSeq', 'ASC');
    return (await qb.getMany()).map(toEvent);
  }
}

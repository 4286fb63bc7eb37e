import type {
  ClientOrderId,
  InstrumentId,
  OrderSide,
  OrderType,
  StrategyId,
  TimeInForce,
  VenueOrderId,
} from '@trading/domain';
import type { DecimalValue, EpochMs, JsonValue, Paging, TimeRange } from './common';

/** Current state of one order (one row per client order id). */
export interface OrderRecord {
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: VenueOrderId | null;
  readonly sessionId: string | null;
  readonly strategyId: StrategyId | null;
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly quantity: DecimalValue;
  readonly limitPrice: DecimalValue | null;
  readonly stopPrice: DecimalValue | null;
  readonly filledQuantity: DecimalValue;
  readonly avgFillPrice: DecimalValue | null;
  /** Lifecycle status as text (e.g. `NEW`, `PARTIALLY_FILLED`, `FILLED`, `CANCELED`). */
  readonly status: string;
  readonly createdAt: EpochMs;
  readonly updatedAt: EpochMs;
  /**
   * WAL sequence of the record that produced this state. Upserts with a lower or equal
   * `walSeq` than the stored one are ignored (idempotent replay). `null` = not WAL-driven.
   */
  readonly walSeq: number | null;
}

/** Filter for {@link OrderRepository.list}; `range` applies to `createdAt`. */
export interface OrderQuery extends Paging {
  readonly sessionId?: string;
  readonly strategyId?: StrategyId;
  readonly instrumentId?: InstrumentId;
  readonly status?: string;
  readonly range?: TimeRange;
}

/** Order history: the latest known state of every order. */
export interface OrderRepository {
  /**
   * Inserts or updates orders by client order id. A row with a `walSeq` is only replaced by a
   * record with a higher `walSeq` (stale replays are ignored).
   */
  upsert(orders: readonly OrderRecord[]): Promise<void>;
  /** The order with this client order id, or null. */
  get(clientOrderId: ClientOrderId): Promise<OrderRecord | null>;
  /** Orders matching the query, oldest `createdAt` first (ties by client order id). */
  list(query?: OrderQuery): Promise<OrderRecord[]>;
}

/** One order event (state change) as it was written to the WAL. */
export interface OrderEventRecord {
  /** WAL sequence number: unique, the idempotency key. */
  readonly walSeq: number;
  readonly clientOrderId: ClientOrderId;
  /** Event type, e.g. `order.submitted`, `order.accepted`, `order.canceled`. */
  readonly type: string;
  readonly ts: EpochMs;
  /** The full JSON event. */
  readonly payload: JsonValue;
}

/** Append-only order event log. */
export interface OrderEventRepository {
  /** Appends events; events whose `walSeq` already exists are skipped. Resolves to the number inserted. */
  append(events: readonly OrderEventRecord[]): Promise<number>;
  /** Events of one order in `walSeq` order. */
  listByOrder(clientOrderId: ClientOrderId): Promise<OrderEventRecord[]>;
  /** Events with `ts` in `range`, in `walSeq` order. */
  list(range?: TimeRange, paging?: Paging): Promise<OrderEventRecord[]>;
}

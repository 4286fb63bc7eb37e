import type {
  ClientOrderId,
  InstrumentId,
  LiquiditySide,
  OrderSide,
  TradeId,
} from '@trading/domain';
import type { DecimalValue, EpochMs, Paging, TimeRange } from './common';

/** One execution (fill). */
export interface FillRecord {
  /** WAL sequence number: unique, the idempotency key. */
  readonly walSeq: number;
  /** Venue execution id: unique (a venue reporting a fill twice is stored once). */
  readonly tradeId: TradeId;
  readonly clientOrderId: ClientOrderId;
  readonly sessionId: string | null;
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly quantity: DecimalValue;
  readonly price: DecimalValue;
  readonly commission: DecimalValue;
  readonly currency: string;
  readonly liquidity: LiquiditySide;
  readonly ts: EpochMs;
}

/** Filter for {@link FillRepository.list}; `range` applies to `ts`. */
export interface FillQuery extends Paging {
  readonly sessionId?: string;
  readonly instrumentId?: InstrumentId;
  readonly range?: TimeRange;
}

/** Append-only fill history. */
export interface FillRepository {
  /** Appends fills; duplicates (same `walSeq` or same `tradeId`) are skipped. Resolves to the number inserted. */
  append(fills: readonly FillRecord[]): Promise<number>;
  /** Fills of one order, oldest first. */
  listByOrder(clientOrderId: ClientOrderId): Promise<FillRecord[]>;
  /** Fills matching the query, oldest `ts` first (ties by `walSeq`). */
  list(query?: FillQuery): Promise<FillRecord[]>;
}

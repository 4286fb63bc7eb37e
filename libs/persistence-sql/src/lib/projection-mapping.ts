/**
 * Maps the kernel's WAL records onto SQL history rows (the per-record part; the `orders` and
 * `fills` rows of `order` records need the order's state and come from {@link OrderProjection}).
 *
 * | record type         | table(s)                                      | payload |
 * |---------------------|-----------------------------------------------|---------|
 * | `order`             | `order_events` (+ `orders`, `fills` via OrderProjection) | OrderEventJson (`encodeOrderEvent`) |
 * | `denial`            | `order_events` (type `OrderDenied`)           | OrderDenial (`clientOrderId`, `ts`, …) |
 * | `position.snapshot` | `position_snapshots`                          | PositionSnapshotRecord fields (no walSeq) |
 * | `risk`, `strategy-state`, `operator`, anything else | – (ignored; the WAL keeps them) | |
 *
 * Payloads carry decimals as strings and timestamps as epoch ms numbers.
 */
import {
  ValidationError,
  toDecimal,
  type ClientOrderId,
  type InstrumentId,
  type TradingDecimal,
} from '@trading/domain';
import { decodeOrderEvent, type OrderEvent } from '@trading/order-lifecycle';
import type {
  FillRecord,
  JsonValue,
  OrderEventRecord,
  OrderRecord,
  PositionSnapshotRecord,
  ProjectionRecord,
} from '@trading/persistence';

/** `order_events.type` of a projected `denial` record. */
export const ORDER_DENIED_EVENT_TYPE = 'OrderDenied';

/** Rows of one batch, per table. */
export interface ProjectionRows {
  orders: OrderRecord[];
  orderEvents: OrderEventRecord[];
  fills: FillRecord[];
  positions: PositionSnapshotRecord[];
}

/** A decoded `order` record, for {@link OrderProjection}. */
export interface SequencedOrderEvent {
  readonly seq: number;
  readonly event: OrderEvent;
}

/** Result of mapping a batch. */
export interface MappedBatch {
  readonly rows: ProjectionRows;
  /** Decoded `order` records in batch order (their `order_events` rows are in `rows`). */
  readonly orderEvents: SequencedOrderEvent[];
  /** Records of a type without a projection. */
  readonly ignored: number;
  /** Records whose payload could not be mapped (reported, never retried). */
  readonly invalid: { seq: number; error: Error }[];
}

type Obj = Record<string, JsonValue>;

function obj(v: JsonValue, field: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new ValidationError(field, v, 'must be a JSON object');
  return v;
}
function str(o: Obj, k: string): string {
  const v = o[k];
  if (typeof v !== 'string' || v.length === 0)
    throw new ValidationError(`payload.${k}`, v, 'must be a non-empty string');
  return v;
}
function optStr(o: Obj, k: string): string | null {
  return o[k] === undefined || o[k] === null ? null : str(o, k);
}
function ms(o: Obj, k: string): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isSafeInteger(v))
    throw new ValidationError(`payload.${k}`, v, 'must be an integer epoch-ms timestamp');
  return v;
}
function decimal(o: Obj, k: string): TradingDecimal {
  const v = o[k];
  if (typeof v !== 'string' && typeof v !== 'number')
    throw new ValidationError(`payload.${k}`, v, 'must be a decimal string');
  return toDecimal(v, `payload.${k}`);
}
function optDecimal(o: Obj, k: string): TradingDecimal | null {
  return o[k] === undefined || o[k] === null ? null : decimal(o, k);
}

/**
 * Maps one record into `rows` (and a decoded `order` record into `orderEvents`); returns false when
 * its type has no projection. Throws ValidationError on a bad payload.
 */
export function mapProjectionRecord(
  r: ProjectionRecord,
  rows: ProjectionRows,
  orderEvents: SequencedOrderEvent[] = [],
): boolean {
  if (r.type === 'order') {
    const event = decodeOrderEvent(r.payload);
    rows.orderEvents.push({
      walSeq: r.seq,
      clientOrderId: event.clientOrderId,
      type: event.type,
      ts: event.tsEvent,
      payload: r.payload,
    });
    orderEvents.push({ seq: r.seq, event });
    return true;
  }
  if (r.type === 'denial') {
    const p = obj(r.payload, 'payload');
    rows.orderEvents.push({
      walSeq: r.seq,
      clientOrderId: str(p, 'clientOrderId') as ClientOrderId,
      type: ORDER_DENIED_EVENT_TYPE,
      ts: ms(p, 'ts'),
      payload: r.payload,
    });
    return true;
  }
  if (r.type === 'position.snapshot') {
    const p = obj(r.payload, 'payload');
    rows.positions.push({
      walSeq: r.seq,
      sessionId: optStr(p, 'sessionId'),
      instrumentId: str(p, 'instrumentId') as InstrumentId,
      quantity: decimal(p, 'quantity'),
      avgPrice: optDecimal(p, 'avgPrice') ?? toDecimal(0),
      realizedPnl: optDecimal(p, 'realizedPnl') ?? toDecimal(0),
      currency: optStr(p, 'currency') ?? 'USD',
      ts: ms(p, 'ts'),
    });
    return true;
  }
  return false;
}

/** Maps a batch; bad payloads are collected in `invalid` instead of failing the batch. */
export function mapProjectionBatch(records: readonly ProjectionRecord[]): MappedBatch {
  const rows: ProjectionRows = { orders: [], orderEvents: [], fills: [], positions: [] };
  const orderEvents: SequencedOrderEvent[] = [];
  let ignored = 0;
  const invalid: { seq: number; error: Error }[] = [];
  for (const r of records) {
    try {
      if (!mapProjectionRecord(r, rows, orderEvents)) ignored++;
    } catch (e) {
      invalid.push({ seq: r.seq, error: e as Error });
    }
  }
  return { rows, orderEvents, ignored, invalid };
}

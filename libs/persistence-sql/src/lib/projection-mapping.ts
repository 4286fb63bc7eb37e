/**
 * Maps WAL records onto SQL history rows. Payloads carry decimals as strings (the WAL's JSON
 * form of Price/Quantity/Money) and timestamps as epoch ms numbers.
 *
 * | record type                | table                | payload fields |
 * |----------------------------|----------------------|----------------|
 * | `order.state`              | `orders` (upsert)    | OrderRecord fields (no walSeq) |
 * | `order.<anything else>`    | `order_events`       | `clientOrderId`, `ts`, rest kept as JSON |
 * | `fill`                     | `fills`              | FillRecord fields (no walSeq) |
 * | `position.snapshot`        | `position_snapshots` | PositionSnapshotRecord fields (no walSeq) |
 * | anything else              | – (ignored)          | |
 */
import { ValidationError, toDecimal, type ClientOrderId, type InstrumentId, type TradingDecimal } from '@trading/domain';
import type { FillRecord, JsonValue, OrderEventRecord, OrderRecord, PositionSnapshotRecord, ProjectionRecord } from '@trading/persistence';

/** Rows of one batch, per table. */
export interface ProjectionRows {
  orders: OrderRecord[];
  orderEvents: OrderEventRecord[];
  fills: FillRecord[];
  positions: PositionSnapshotRecord[];
}

/** Result of mapping a batch. */
export interface MappedBatch {
  readonly rows: ProjectionRows;
  /** Records of a type without a projection. */
  readonly ignored: number;
  /** Records whose payload could not be mapped (reported, never retried). */
  readonly invalid: { seq: number; error: Error }[];
}

type Obj = Record<string, JsonValue>;

function obj(v: JsonValue, field: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ValidationError(field, v, 'must be a JSON object');
  return v;
}
function str(o: Obj, k: string): string {
  const v = o[k];
  if (typeof v !== 'string' || v.length === 0) throw new ValidationError(`payload.${k}`, v, 'must be a non-empty string');
  return v;
}
function optStr(o: Obj, k: string): string | null {
  return o[k] === undefined || o[k] === null ? null : str(o, k);
}
function ms(o: Obj, k: string): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new ValidationError(`payload.${k}`, v, 'must be an integer epoch-ms timestamp');
  return v;
}
function decimal(o: Obj, k: string): TradingDecimal {
  const v = o[k];
  if (typeof v !== 'string' && typeof v !== 'number') throw new ValidationError(`payload.${k}`, v, 'must be a decimal string');
  return toDecimal(v, `payload.${k}`);
}
function optDecimal(o: Obj, k: string): TradingDecimal | null {
  return o[k] === undefined || o[k] === null ? null : decimal(o, k);
}

/** Maps one record into `rows`; returns false when its type has no projection. Throws ValidationError on a bad payload. */
export function mapProjectionRecord(r: ProjectionRecord, rows: ProjectionRows): boolean {
  if (r.type === 'order.state') {
    const p = obj(r.payload, 'payload');
    const created = ms(p, 'createdAt');
    rows.orders.push({
      clientOrderId: str(p, 'clientOrderId') as ClientOrderId,
      venueOrderId: optStr(p, 'venueOrderId') as OrderRecord['venueOrderId'],
      sessionId: optStr(p, 'sessionId'),
      strategyId: optStr(p, 'strategyId') as OrderRecord['strategyId'],
      instrumentId: str(p, 'instrumentId') as InstrumentId,
      side: str(p, 'side') as OrderRecord['side'],
      type: str(p, 'type') as OrderRecord['type'],
      timeInForce: str(p, 'timeInForce') as OrderRecord['timeInForce'],
      quantity: decimal(p, 'quantity'),
      limitPrice: optDecimal(p, 'limitPrice'),
      stopPrice: optDecimal(p, 'stopPrice'),
      filledQuantity: optDecimal(p, 'filledQuantity') ?? toDecimal(0),
      avgFillPrice: optDecimal(p, 'avgFillPrice'),
      status: str(p, 'status'),
      createdAt: created,
      updatedAt: p['updatedAt'] === undefined ? created : ms(p, 'updatedAt'),
      walSeq: r.seq,
    });
    return true;
  }
  if (r.type.startsWith('order.')) {
    const p = obj(r.payload, 'payload');
    rows.orderEvents.push({ walSeq: r.seq, clientOrderId: str(p, 'clientOrderId') as ClientOrderId, type: r.type, ts: ms(p, 'ts'), payload: r.payload });
    return true;
  }
  if (r.type === 'fill') {
    const p = obj(r.payload, 'payload');
    rows.fills.push({
      walSeq: r.seq,
      tradeId: str(p, 'tradeId') as FillRecord['tradeId'],
      clientOrderId: str(p, 'clientOrderId') as ClientOrderId,
      sessionId: optStr(p, 'sessionId'),
      instrumentId: str(p, 'instrumentId') as InstrumentId,
      side: str(p, 'side') as FillRecord['side'],
      quantity: decimal(p, 'quantity'),
      price: decimal(p, 'price'),
      commission: optDecimal(p, 'commission') ?? toDecimal(0),
      currency: optStr(p, 'currency') ?? 'USD',
      liquidity: (optStr(p, 'liquidity') ?? 'NONE') as FillRecord['liquidity'],
      ts: ms(p, 'ts'),
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
  let ignored = 0;
  const invalid: { seq: number; error: Error }[] = [];
  for (const r of records) {
    try {
      if (!mapProjectionRecord(r, rows)) ignored++;
    } catch (e) {
      invalid.push({ seq: r.seq, error: e as Error });
    }
  }
  return { rows, ignored, invalid };
}

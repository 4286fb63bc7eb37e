import {
  clientOrderId,
  ClientOrderId,
  LiquiditySide,
  Money,
  Price,
  Quantity,
  tradeId,
  TradeId,
  ValidationError,
  venueOrderId,
  VenueOrderId,
} from '@trading/domain';
import {
  encodeOrderRequest,
  OrderRequest,
  OrderRequestJson,
  parseOrderRequest,
} from './order-request';
import {
  JsonObject,
  readEnum,
  readMoney,
  readObject,
  readOptPx,
  readOptQty,
  readOptString,
  readPx,
  readQty,
  readString,
  readTime,
} from './json-read';

/** Fields every order event carries. */
export interface OrderEventBase {
  readonly clientOrderId: ClientOrderId;
  /** When it happened at the venue (UTC epoch ms); for local events equal to `tsInit`. */
  readonly tsEvent: number;
  /** When this process created the event (UTC epoch ms, from the Clock). */
  readonly tsInit: number;
}

/** The order was created locally from a request (first event of every order). */
export interface OrderInitialized extends OrderEventBase {
  readonly type: 'OrderInitialized';
  readonly request: OrderRequest;
}
/** The intent is durable and was sent to the venue. */
export interface OrderSubmitted extends OrderEventBase {
  readonly type: 'OrderSubmitted';
  /**
   * Quantity actually sent, when smaller than the initialized quantity: contingent children are sized
   * to the parent's filled quantity at activation. Only valid from INITIALIZED.
   */
  readonly quantity?: Quantity;
}
/** The venue acknowledged the order. */
export interface OrderAccepted extends OrderEventBase {
  readonly type: 'OrderAccepted';
  readonly venueOrderId: VenueOrderId;
}
/** Refused locally (risk) or by the venue. */
export interface OrderRejected extends OrderEventBase {
  readonly type: 'OrderRejected';
  readonly reason: string;
}
/** A stop order's trigger fired. */
export interface OrderTriggered extends OrderEventBase {
  readonly type: 'OrderTriggered';
  readonly venueOrderId?: VenueOrderId;
}
/** An execution. */
export interface OrderFilled extends OrderEventBase {
  readonly type: 'OrderFilled';
  readonly venueOrderId?: VenueOrderId;
  /** The venue's execution id; fills are de-duplicated by it. */
  readonly tradeId: TradeId;
  /**
   * Quantity of this execution. May be zero for venues that report only cumulative quantities,
   * in which case `cumulativeQty` gives the increment (see README "Fills").
   */
  readonly lastQty: Quantity;
  readonly lastPx: Price;
  readonly commission: Money;
  readonly liquiditySide: LiquiditySide;
  /** Venue-reported total filled quantity after this execution, when the venue reports it. */
  readonly cumulativeQty?: Quantity;
}
/** A cancel request was sent. */
export interface OrderPendingCancel extends OrderEventBase {
  readonly type: 'OrderPendingCancel';
}
/** The venue (or, for never-submitted orders, the engine) canceled the order. */
export interface OrderCanceled extends OrderEventBase {
  readonly type: 'OrderCanceled';
  readonly reason?: string;
}
/** The venue refused a cancel request. */
export interface OrderCancelRejected extends OrderEventBase {
  readonly type: 'OrderCancelRejected';
  readonly reason: string;
}
/** A replace (modify) request was sent. */
export interface OrderPendingReplace extends OrderEventBase {
  readonly type: 'OrderPendingReplace';
  readonly quantity?: Quantity;
  readonly limitPrice?: Price;
  readonly stopPrice?: Price;
  readonly trailingOffset?: Price;
}
/**
 * The venue confirmed a replace. With `newClientOrderId` (Alpaca style) the order becomes REPLACED
 * (terminal) and a new order with that id, the new quantity/prices and no fills starts ACCEPTED.
 * Without it (Nautilus "OrderUpdated", IBKR style) the same order is modified in place.
 */
export interface OrderReplaced extends OrderEventBase {
  readonly type: 'OrderReplaced';
  readonly newClientOrderId?: ClientOrderId;
  /** Venue id of the replacement (new order) or the modified order. */
  readonly venueOrderId?: VenueOrderId;
  /** New total quantity (of the replacement order, or of the modified order). */
  readonly quantity: Quantity;
  readonly limitPrice?: Price;
  readonly stopPrice?: Price;
  readonly trailingOffset?: Price;
}
/** The venue refused a replace request. */
export interface OrderReplaceRejected extends OrderEventBase {
  readonly type: 'OrderReplaceRejected';
  readonly reason: string;
}
/** The order's time in force ran out. */
export interface OrderExpired extends OrderEventBase {
  readonly type: 'OrderExpired';
}

/** Every order event (discriminated on `type`). */
export type OrderEvent =
  | OrderInitialized
  | OrderSubmitted
  | OrderAccepted
  | OrderRejected
  | OrderTriggered
  | OrderFilled
  | OrderPendingCancel
  | OrderCanceled
  | OrderCancelRejected
  | OrderPendingReplace
  | OrderReplaced
  | OrderReplaceRejected
  | OrderExpired;

/** The `type` tag of an {@link OrderEvent}. */
export type OrderEventType = OrderEvent['type'];

/** Every event type. */
export const ORDER_EVENT_TYPES: readonly OrderEventType[] = [
  'OrderInitialized',
  'OrderSubmitted',
  'OrderAccepted',
  'OrderRejected',
  'OrderTriggered',
  'OrderFilled',
  'OrderPendingCancel',
  'OrderCanceled',
  'OrderCancelRejected',
  'OrderPendingReplace',
  'OrderReplaced',
  'OrderReplaceRejected',
  'OrderExpired',
];

/** Money as JSON. */
export interface MoneyJson {
  amount: string;
  currency: string;
}

/** JSON form of an {@link OrderEvent}: ids as strings, decimals as canonical strings, times as ms. */
export type OrderEventJson = {
  type: OrderEventType;
  clientOrderId: string;
  tsEvent: number;
  tsInit: number;
  request?: OrderRequestJson;
  venueOrderId?: string;
  newClientOrderId?: string;
  reason?: string;
  tradeId?: string;
  lastQty?: string;
  lastPx?: string;
  commission?: MoneyJson;
  liquiditySide?: string;
  cumulativeQty?: string;
  quantity?: string;
  limitPrice?: string;
  stopPrice?: string;
  trailingOffset?: string;
};

/** Encodes an event as plain JSON (for the WAL). `decodeOrderEvent(encodeOrderEvent(e))` equals `e`. */
export function encodeOrderEvent(e: OrderEvent): OrderEventJson {
  const j: OrderEventJson = {
    type: e.type,
    clientOrderId: e.clientOrderId,
    tsEvent: e.tsEvent,
    tsInit: e.tsInit,
  };
  switch (e.type) {
    case 'OrderInitialized':
      j.request = encodeOrderRequest(e.request);
      break;
    case 'OrderSubmitted':
      if (e.quantity) j.quantity = e.quantity.toString();
      break;
    case 'OrderAccepted':
      j.venueOrderId = e.venueOrderId;
      break;
    case 'OrderRejected':
    case 'OrderCancelRejected':
    case 'OrderReplaceRejected':
      j.reason = e.reason;
      break;
    case 'OrderTriggered':
      if (e.venueOrderId) j.venueOrderId = e.venueOrderId;
      break;
    case 'OrderFilled':
      if (e.venueOrderId) j.venueOrderId = e.venueOrderId;
      j.tradeId = e.tradeId;
      j.lastQty = e.lastQty.toString();
      j.lastPx = e.lastPx.toString();
      j.commission = { amount: e.commission.amount.toFixed(), currency: e.commission.currency };
      j.liquiditySide = e.liquiditySide;
      if (e.cumulativeQty) j.cumulativeQty = e.cumulativeQty.toString();
      break;
    case 'OrderCanceled':
      if (e.reason !== undefined) j.reason = e.reason;
      break;
    case 'OrderPendingReplace':
      encodeAmendment(e, j);
      break;
    case 'OrderReplaced':
      if (e.newClientOrderId) j.newClientOrderId = e.newClientOrderId;
      if (e.venueOrderId) j.venueOrderId = e.venueOrderId;
      encodeAmendment(e, j);
      break;
    case 'OrderPendingCancel':
    case 'OrderExpired':
      break;
  }
  return j;
}

function encodeAmendment(
  e: { quantity?: Quantity; limitPrice?: Price; stopPrice?: Price; trailingOffset?: Price },
  j: OrderEventJson,
): void {
  if (e.quantity) j.quantity = e.quantity.toString();
  if (e.limitPrice) j.limitPrice = e.limitPrice.toString();
  if (e.stopPrice) j.stopPrice = e.stopPrice.toString();
  if (e.trailingOffset) j.trailingOffset = e.trailingOffset.toString();
}

const LIQUIDITY: readonly LiquiditySide[] = ['MAKER', 'TAKER', 'NONE'];

/**
 * Decodes and validates an event read from JSON. Throws a ValidationError naming the field
 * (`event.lastQty`, `event.request.limitPrice`, ...) when the record is malformed.
 */
export function decodeOrderEvent(json: unknown): OrderEvent {
  const P = 'event';
  const o: JsonObject = readObject(json, P);
  const type = readEnum(o, 'type', P, ORDER_EVENT_TYPES);
  const base = {
    clientOrderId: clientOrderId(readString(o, 'clientOrderId', P)),
    tsEvent: readTime(o, 'tsEvent', P),
    tsInit: readTime(o, 'tsInit', P),
  };
  const vid = (): VenueOrderId | undefined => {
    const s = readOptString(o, 'venueOrderId', P);
    return s === undefined ? undefined : venueOrderId(s);
  };
  const reason = (): string =>
    typeof o['reason'] === 'string' ? o['reason'] : readString(o, 'reason', P);
  switch (type) {
    case 'OrderInitialized': {
      const request = parseOrderRequest(readObject(o['request'], `${P}.request`), `${P}.request`);
      if (request.clientOrderId !== base.clientOrderId)
        throw new ValidationError(
          `${P}.request.clientOrderId`,
          request.clientOrderId,
          `must equal the event's clientOrderId ${base.clientOrderId}`,
        );
      return { type, ...base, request };
    }
    case 'OrderSubmitted': {
      const quantity = readOptQty(o, 'quantity', P);
      return quantity ? { type, ...base, quantity } : { type, ...base };
    }
    case 'OrderAccepted':
      return { type, ...base, venueOrderId: venueOrderId(readString(o, 'venueOrderId', P)) };
    case 'OrderRejected':
    case 'OrderCancelRejected':
    case 'OrderReplaceRejected':
      return { type, ...base, reason: reason() };
    case 'OrderTriggered': {
      const v = vid();
      return v ? { type, ...base, venueOrderId: v } : { type, ...base };
    }
    case 'OrderFilled': {
      const v = vid();
      const cumulativeQty = readOptQty(o, 'cumulativeQty', P, true);
      const lastQty = readQty(o, 'lastQty', P, true);
      if (lastQty.isZero() && !cumulativeQty)
        throw new ValidationError(
          `${P}.lastQty`,
          o['lastQty'],
          'must be greater than 0 unless cumulativeQty is given',
        );
      return {
        type,
        ...base,
        ...(v && { venueOrderId: v }),
        tradeId: tradeId(readString(o, 'tradeId', P)),
        lastQty,
        lastPx: readPx(o, 'lastPx', P),
        commission: readMoney(o, 'commission', P),
        liquiditySide: readEnum(o, 'liquiditySide', P, LIQUIDITY),
        ...(cumulativeQty && { cumulativeQty }),
      };
    }
    case 'OrderCanceled': {
      const r = readOptString(o, 'reason', P);
      return r === undefined ? { type, ...base } : { type, ...base, reason: r };
    }
    case 'OrderPendingReplace':
      return { type, ...base, ...decodeAmendment(o, P, false) };
    case 'OrderReplaced': {
      const n = readOptString(o, 'newClientOrderId', P);
      const v = vid();
      const a = decodeAmendment(o, P, true);
      return {
        type,
        ...base,
        ...(n !== undefined && { newClientOrderId: clientOrderId(n) }),
        ...(v && { venueOrderId: v }),
        ...a,
        quantity: a.quantity as Quantity,
      };
    }
    case 'OrderPendingCancel':
    case 'OrderExpired':
      return { type, ...base };
  }
}

function decodeAmendment(
  o: JsonObject,
  P: string,
  quantityRequired: boolean,
): { quantity?: Quantity; limitPrice?: Price; stopPrice?: Price; trailingOffset?: Price } {
  const quantity = quantityRequired ? readQty(o, 'quantity', P) : readOptQty(o, 'quantity', P);
  const limitPrice = readOptPx(o, 'limitPrice', P);
  const stopPrice = readOptPx(o, 'stopPrice', P);
  const trailingOffset = readOptPx(o, 'trailingOffset', P);
  return {
    ...(quantity && { quantity }),
    ...(limitPrice && { limitPrice }),
    ...(stopPrice && { stopPrice }),
    ...(trailingOffset && { trailingOffset }),
  };
}

import {
  ClientOrderId,
  compareDecimals,
  Decimal,
  err,
  Quantity,
  Result,
  TradingError,
  ZERO,
} from '@trading/domain';
import { isTerminalStatus, OrderStatus } from './order-status';
import { OrderEvent, OrderEventType, OrderFilled, OrderReplaced } from './order-events';
import { Order, OrderFill } from './order';
import { OrderRequest } from './order-request';

/** Event types that act on an existing order (everything but OrderInitialized). */
// Module-local alias (a cross-lib import is a re-export getter read per use; this runs per fill).
const cmpDec = compareDecimals;

export type OrderTransitionEventType = Exclude<OrderEventType, 'OrderInitialized'>;

type TransitionTable = {
  readonly [S in OrderStatus]: {
    readonly [E in OrderTransitionEventType]?: readonly OrderStatus[];
  };
};

/**
 * The order state machine as data: `ORDER_TRANSITIONS[status][eventType]` lists the statuses the
 * event may lead to (several when quantities decide, e.g. a fill gives PARTIALLY_FILLED or FILLED).
 * A missing entry means the event is illegal in that status (`ILLEGAL_TRANSITION`).
 * Entries whose only target is the current status are tolerated no-ops (late acks, replayed
 * terminal events, late cancel/replace rejects) or, for fills, applied without a status change.
 */
export const ORDER_TRANSITIONS = {
  INITIALIZED: {
    OrderSubmitted: ['SUBMITTED'],
    OrderRejected: ['REJECTED'],
    OrderCanceled: ['CANCELED'],
  },
  SUBMITTED: {
    OrderAccepted: ['ACCEPTED'],
    OrderRejected: ['REJECTED'],
    OrderFilled: ['PARTIALLY_FILLED', 'FILLED'],
    OrderPendingCancel: ['PENDING_CANCEL'],
    OrderPendingReplace: ['PENDING_REPLACE'],
    OrderCanceled: ['CANCELED'],
    OrderExpired: ['EXPIRED'],
  },
  ACCEPTED: {
    OrderAccepted: ['ACCEPTED'],
    OrderTriggered: ['TRIGGERED'],
    OrderFilled: ['PARTIALLY_FILLED', 'FILLED'],
    OrderPendingCancel: ['PENDING_CANCEL'],
    OrderPendingReplace: ['PENDING_REPLACE'],
    OrderCanceled: ['CANCELED'],
    OrderExpired: ['EXPIRED'],
  },
  TRIGGERED: {
    OrderAccepted: ['TRIGGERED'],
    OrderTriggered: ['TRIGGERED'],
    OrderFilled: ['PARTIALLY_FILLED', 'FILLED'],
    OrderPendingCancel: ['PENDING_CANCEL'],
    OrderPendingReplace: ['PENDING_REPLACE'],
    OrderCanceled: ['CANCELED'],
    OrderExpired: ['EXPIRED'],
  },
  PARTIALLY_FILLED: {
    OrderAccepted: ['PARTIALLY_FILLED'],
    OrderTriggered: ['PARTIALLY_FILLED'],
    OrderFilled: ['PARTIALLY_FILLED', 'FILLED'],
    OrderPendingCancel: ['PENDING_CANCEL'],
    OrderPendingReplace: ['PENDING_REPLACE'],
    OrderCanceled: ['CANCELED'],
    OrderExpired: ['EXPIRED'],
  },
  PENDING_CANCEL: {
    OrderAccepted: ['PENDING_CANCEL'],
    OrderPendingCancel: ['PENDING_CANCEL'],
    OrderFilled: ['PENDING_CANCEL', 'FILLED'],
    OrderCanceled: ['CANCELED'],
    OrderCancelRejected: ['SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'PARTIALLY_FILLED', 'FILLED'],
    OrderReplaced: ['REPLACED', 'PENDING_CANCEL', 'FILLED'],
    OrderReplaceRejected: ['PENDING_CANCEL'],
    OrderExpired: ['EXPIRED'],
  },
  PENDING_REPLACE: {
    OrderAccepted: ['PENDING_REPLACE'],
    OrderPendingReplace: ['PENDING_REPLACE'],
    OrderFilled: ['PENDING_REPLACE', 'FILLED'],
    OrderPendingCancel: ['PENDING_CANCEL'],
    OrderReplaced: ['REPLACED', 'SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'PARTIALLY_FILLED', 'FILLED'],
    OrderReplaceRejected: ['SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'PARTIALLY_FILLED', 'FILLED'],
    OrderCanceled: ['CANCELED'],
    OrderExpired: ['EXPIRED'],
  },
  FILLED: {
    OrderAccepted: ['FILLED'],
    OrderFilled: ['FILLED'],
    OrderCancelRejected: ['FILLED'],
    OrderReplaceRejected: ['FILLED'],
  },
  CANCELED: {
    OrderAccepted: ['CANCELED'],
    OrderCanceled: ['CANCELED'],
    OrderFilled: ['CANCELED', 'FILLED'],
  },
  EXPIRED: {
    OrderAccepted: ['EXPIRED'],
    OrderExpired: ['EXPIRED'],
    OrderFilled: ['EXPIRED', 'FILLED'],
  },
  REPLACED: {
    OrderAccepted: ['REPLACED'],
    OrderReplaced: ['REPLACED'],
    OrderFilled: ['REPLACED', 'FILLED'],
  },
  REJECTED: {
    OrderRejected: ['REJECTED'],
  },
} as const satisfies TransitionTable;

/** Event types legal in status `S` (compile-time view of {@link ORDER_TRANSITIONS}). */
export type LegalOrderEventType<S extends OrderStatus> = keyof (typeof ORDER_TRANSITIONS)[S] &
  OrderTransitionEventType;

/** Statuses event `E` may lead to from status `S`. `NextOrderStatus<'ACCEPTED','OrderTriggered'>` is `'TRIGGERED'`. */
export type NextOrderStatus<
  S extends OrderStatus,
  E extends LegalOrderEventType<S>,
> = (typeof ORDER_TRANSITIONS)[S][E] extends readonly (infer T)[] ? T : never;

/** True when `event` may be applied to an order in `status` (according to the table). */
export function isLegalTransition(status: OrderStatus, eventType: OrderEventType): boolean {
  return (
    eventType !== 'OrderInitialized' &&
    (ORDER_TRANSITIONS[status] as Partial<Record<OrderEventType, readonly OrderStatus[]>>)[
      eventType
    ] !== undefined
  );
}

/** Machine-readable reasons an event was not applied. */
export type OrderTransitionErrorCode =
  /** The table has no entry for (status, event type). */
  | 'ILLEGAL_TRANSITION'
  /** A trade id was seen before with a different quantity or price. */
  | 'DUPLICATE_FILL'
  /** A fill would exceed the order quantity and `rejectOverfill` was set. */
  | 'OVERFILL'
  /** The event's clientOrderId is not the order's. */
  | 'WRONG_ORDER'
  /** The event is internally inconsistent (e.g. submit quantity above the order quantity). */
  | 'INVALID_EVENT'
  /** OrderBook: no order with that id (never added, or evicted after closing). */
  | 'UNKNOWN_ORDER'
  /** OrderBook: OrderInitialized for an id that already exists with a different request. */
  | 'DUPLICATE_ORDER'
  /** An unexpected exception inside the state machine (a bug); reported, never thrown. */
  | 'INTERNAL';

/** Why an order event was not applied. Returned (never thrown) by `applyOrderEvent`. */
export class OrderTransitionError extends TradingError {
  declare readonly code: OrderTransitionErrorCode;
  constructor(
    code: OrderTransitionErrorCode,
    message: string,
    readonly clientOrderId: ClientOrderId,
    readonly status: OrderStatus | undefined,
    readonly eventType: OrderEventType,
  ) {
    super(code, message, { clientOrderId, status, eventType });
  }
}

/** The outcome of applying one event. */
export interface OrderTransition {
  /** The order after the event (the same object as `previous` when nothing changed). */
  readonly order: Order;
  /** The order before the event (undefined for OrderInitialized). */
  readonly previous: Order | undefined;
  readonly event: OrderEvent;
  /** False for tolerated no-ops (duplicate fill, late ack, replayed terminal event). */
  readonly changed: boolean;
  /** True when the event is a replay of an already applied fill (same trade id) or terminal event. */
  readonly duplicate: boolean;
  /** Quantity this fill added to `executedQty` (undefined when not a fill or nothing was added). */
  readonly fillQty: Quantity | undefined;
  /** Quantity of this fill beyond the order quantity: the engine must raise an alert. */
  readonly overfill: Quantity | undefined;
  /** The venue's cumulative quantity is ahead of ours by this much (fill missing or still in flight). */
  readonly missingQty: Quantity | undefined;
  /** The new order created by an Alpaca-style OrderReplaced (status ACCEPTED). */
  readonly replacement: Order | undefined;
}

/** Options of {@link applyOrderEvent}. */
export interface ApplyOrderEventOptions {
  /** Return an `OVERFILL` error instead of applying a fill beyond the order quantity (default false: apply and report). */
  readonly rejectOverfill?: boolean;
}

function transition(
  previous: Order | undefined,
  order: Order,
  event: OrderEvent,
  changed: boolean,
  duplicate: boolean,
  fillQty?: Quantity,
  overfill?: Quantity,
  missingQty?: Quantity,
  replacement?: Order,
): OrderTransition {
  return {
    order,
    previous,
    event,
    changed,
    duplicate,
    fillQty,
    overfill,
    missingQty,
    replacement,
  };
}

function fail(
  code: OrderTransitionErrorCode,
  order: Order,
  event: OrderEvent,
  message: string,
): OrderTransitionError {
  return new OrderTransitionError(
    code,
    `${event.type} for ${event.clientOrderId} (${order.status}): ${message}`,
    event.clientOrderId,
    order.status,
    event.type,
  );
}

function unchanged(order: Order, event: OrderEvent, duplicate = false): OrderTransition {
  return transition(order, order, event, false, duplicate);
}

/** Status after a pending cancel/replace resolves without removing the order. */
function resumed(order: Order, executed: Decimal, quantity: Decimal): OrderStatus {
  if (executed.gte(quantity)) return 'FILLED';
  const s = order.resumeStatus;
  if (!executed.isZero() && (s === 'SUBMITTED' || s === 'ACCEPTED' || s === 'TRIGGERED'))
    return 'PARTIALLY_FILLED';
  return s;
}

const STOP_TYPES: ReadonlySet<string> = new Set(['STOP', 'STOP_LIMIT', 'TRAILING_STOP']);

/** Creates the INITIALIZED order of an OrderInitialized event. */
export function createOrder(event: {
  readonly request: OrderRequest;
  readonly tsInit: number;
  readonly tsEvent: number;
}): Order {
  return Order.create(event.request, event.tsInit, event.tsEvent);
}

/**
 * Applies one event to an order. Pure: never mutates `order`, never throws (an unexpected
 * exception becomes an `INTERNAL` error). Illegal events return a typed error; tolerated replays
 * return `changed: false`. See README for the table and the fill rules.
 */
export function applyOrderEvent(
  order: Order,
  event: OrderEvent,
  options?: ApplyOrderEventOptions,
): Result<OrderTransition, OrderTransitionError> {
  return transitionResult(orderEventOutcome(order, event, options));
}

/**
 * {@link applyOrderEvent} without the Result wrapper, for hot paths: the transition, or the error
 * (the same objects `applyOrderEvent` wraps; tell them apart with `instanceof
 * OrderTransitionError`).
 */
export function orderEventOutcome(
  order: Order,
  event: OrderEvent,
  options?: ApplyOrderEventOptions,
): OrderTransition | OrderTransitionError {
  if (event.clientOrderId !== order.request.clientOrderId)
    return fail(
      'WRONG_ORDER',
      order,
      event,
      `event is for another order than ${order.request.clientOrderId}`,
    );
  if (event.type === 'OrderInitialized')
    return fail('ILLEGAL_TRANSITION', order, event, 'order already initialized');
  if (!isCommonTransition(order.status, event.type)) {
    const row = ORDER_TRANSITIONS[order.status] as {
      readonly [E in OrderTransitionEventType]?: readonly OrderStatus[];
    };
    if (row[event.type] === undefined)
      return fail('ILLEGAL_TRANSITION', order, event, `not allowed in status ${order.status}`);
  }
  try {
    return step(order, event, options);
  } catch (e) {
    return fail('INTERNAL', order, event, e instanceof Error ? e.message : String(e));
  }
}

/**
 * True for the (status, event) pairs of an order's common path, which {@link ORDER_TRANSITIONS}
 * allows (a test checks each against the table): compared as strings, where the table's reads,
 * keyed by two strings over eleven row shapes, are megamorphic lookups. False says nothing: the
 * table decides.
 */
export function isCommonTransition(status: OrderStatus, eventType: OrderEventType): boolean {
  switch (eventType) {
    case 'OrderSubmitted':
      return status === 'INITIALIZED';
    case 'OrderAccepted':
      return status === 'SUBMITTED';
    case 'OrderFilled':
      return status === 'ACCEPTED' || status === 'PARTIALLY_FILLED' || status === 'SUBMITTED';
    case 'OrderCanceled':
      return status === 'ACCEPTED' || status === 'PARTIALLY_FILLED';
    default:
      return false;
  }
}

function step(
  order: Order,
  event: Exclude<OrderEvent, { type: 'OrderInitialized' }>,
  options: ApplyOrderEventOptions | undefined,
): OrderTransition | OrderTransitionError {
  const s = order.status;
  const ts = event.tsEvent;
  switch (event.type) {
    case 'OrderFilled':
      return applyFill(order, event, options);
    case 'OrderSubmitted': {
      const q = event.quantity;
      if (q !== undefined && !q.eq(order.request.quantity)) {
        if (!q.isPositive() || q.gt(order.request.quantity))
          return fail(
            'INVALID_EVENT',
            order,
            event,
            `submitted quantity ${q} must be > 0 and ≤ ${order.request.quantity}`,
          );
        return changed(
          order,
          order.with({
            status: 'SUBMITTED',
            request: { ...order.request, quantity: q },
            tsLast: ts,
          }),
          event,
        );
      }
      return changed(order, order.withStatus('SUBMITTED', order.venueOrderId, ts), event);
    }
    case 'OrderAccepted': {
      if (order.venueOrderId !== undefined && order.venueOrderId !== event.venueOrderId) {
        return fail(
          'INVALID_EVENT',
          order,
          event,
          `venueOrderId ${event.venueOrderId} conflicts with ${order.venueOrderId}`,
        );
      }
      if (s === 'SUBMITTED')
        return changed(
          order,
          order.withStatus('ACCEPTED', event.venueOrderId ?? order.venueOrderId, ts),
          event,
        );
      // late or replayed acknowledgement: only learn the venue id
      if (order.venueOrderId === undefined)
        return changed(order, order.withStatus(s, event.venueOrderId, ts), event);
      return unchanged(order, event, true);
    }
    case 'OrderTriggered': {
      if (!STOP_TYPES.has(order.request.type))
        return fail(
          'ILLEGAL_TRANSITION',
          order,
          event,
          `${order.request.type} orders have no trigger`,
        );
      if (s !== 'ACCEPTED') return unchanged(order, event, s === 'TRIGGERED');
      return changed(
        order,
        order.withStatus('TRIGGERED', order.venueOrderId ?? event.venueOrderId, ts),
        event,
      );
    }
    case 'OrderRejected':
    case 'OrderCanceled':
    case 'OrderExpired': {
      const target: OrderStatus =
        event.type === 'OrderRejected'
          ? 'REJECTED'
          : event.type === 'OrderCanceled'
            ? 'CANCELED'
            : 'EXPIRED';
      if (s === target) return unchanged(order, event, true);
      return changed(order, order.withStatus(target, order.venueOrderId, ts), event);
    }
    case 'OrderPendingCancel':
      if (s === 'PENDING_CANCEL') return unchanged(order, event, true);
      // a cancel during a pending replace keeps the pre-replace resume status
      return changed(
        order,
        order.with({
          status: 'PENDING_CANCEL',
          resumeStatus: s === 'PENDING_REPLACE' ? order.resumeStatus : s,
          tsLast: ts,
        }),
        event,
      );
    case 'OrderPendingReplace':
      if (s === 'PENDING_REPLACE') return unchanged(order, event, true);
      return changed(
        order,
        order.with({ status: 'PENDING_REPLACE', resumeStatus: s, tsLast: ts }),
        event,
      );
    case 'OrderCancelRejected':
    case 'OrderReplaceRejected':
      if (s === 'FILLED') return unchanged(order, event);
      if (event.type === 'OrderReplaceRejected' && s === 'PENDING_CANCEL')
        return unchanged(order, event);
      return changed(
        order,
        order.withStatus(
          resumed(order, order.executedQty, order.request.quantity.value),
          order.venueOrderId,
          ts,
        ),
        event,
      );
    case 'OrderReplaced':
      return applyReplace(order, event);
  }
}

function changed(previous: Order, order: Order, event: OrderEvent): OrderTransition {
  return transition(previous, order, event, true, false);
}

function applyFill(
  order: Order,
  e: OrderFilled,
  options: ApplyOrderEventOptions | undefined,
): OrderTransition | OrderTransitionError {
  const fills = order.fills;
  for (let i = 0; i < fills.length; i++) {
    const f = fills[i];
    if (f.tradeId === e.tradeId) {
      if (!f.px.eq(e.lastPx) || !f.lastQty.eq(e.lastQty)) {
        return fail(
          'DUPLICATE_FILL',
          order,
          e,
          `trade ${e.tradeId} was applied as ${f.lastQty}@${f.px}, now reported as ${e.lastQty}@${e.lastPx}`,
        );
      }
      return unchanged(order, e, true);
    }
  }
  const executed = order.executedQty;
  const quantity = order.request.quantity.value;
  let inc: Decimal;
  let incQty: Quantity;
  let missing: Quantity | undefined;
  const cum = e.cumulativeQty;
  if (e.lastQty.isZero()) {
    // cumulative-only venue: the increment is what the cumulative adds to what we have
    if (cum === undefined)
      return fail('INVALID_EVENT', order, e, 'lastQty is 0 and no cumulativeQty given');
    inc = cum.value.sub(executed);
    if (inc.lte(0)) inc = ZERO; // stale (out-of-order) cumulative report: record the trade id only
    incQty = Quantity.fromDecimal(inc);
  } else {
    inc = e.lastQty.value;
    incQty = e.lastQty;
  }
  // first fill: the increment is the executed quantity (saves a decimal addition on the hot path)
  const newExecuted = inc.isZero() ? executed : executed.isZero() ? inc : executed.add(inc);
  if (cum !== undefined && cmpDec(cum.value, newExecuted) > 0)
    missing = Quantity.fromDecimal(cum.value.sub(newExecuted));
  const c = cmpDec(newExecuted, quantity);
  let overfill: Quantity | undefined;
  if (c > 0) {
    overfill = executed.gte(quantity) ? incQty : Quantity.fromDecimal(newExecuted.sub(quantity));
    if (options?.rejectOverfill)
      return fail(
        'OVERFILL',
        order,
        e,
        `fill of ${incQty} exceeds the order quantity ${order.request.quantity} by ${overfill}`,
      );
  }
  const s = order.status;
  let status: OrderStatus;
  if (c >= 0) status = 'FILLED';
  else if (s === 'SUBMITTED' || s === 'ACCEPTED' || s === 'TRIGGERED') status = 'PARTIALLY_FILLED';
  else status = s; // PARTIALLY_FILLED, PENDING_*, and late fills on CANCELED / EXPIRED / REPLACED
  const record: OrderFill = {
    tradeId: e.tradeId,
    qty: incQty,
    lastQty: e.lastQty,
    px: e.lastPx,
    commission: e.commission,
    liquiditySide: e.liquiditySide,
    tsEvent: e.tsEvent,
  };
  const next = order.withFill(
    status,
    order.venueOrderId ?? e.venueOrderId,
    newExecuted,
    appendFill(fills, record),
    e.tsEvent,
  );
  return transition(
    order,
    next,
    e,
    true,
    false,
    inc.isZero() ? undefined : incQty,
    overfill,
    missing,
  );
}

function appendFill(fills: readonly OrderFill[], f: OrderFill): readonly OrderFill[] {
  const n = fills.length;
  const out = new Array<OrderFill>(n + 1);
  for (let i = 0; i < n; i++) out[i] = fills[i];
  out[n] = f;
  return out;
}

function applyReplace(order: Order, e: OrderReplaced): OrderTransition | OrderTransitionError {
  const s = order.status;
  if (s === 'REPLACED') {
    return e.newClientOrderId === order.replacedBy
      ? unchanged(order, e, true)
      : fail('INVALID_EVENT', order, e, `already replaced by ${order.replacedBy}`);
  }
  const r = order.request;
  if (
    (e.limitPrice && !r.limitPrice) ||
    (e.stopPrice && !r.stopPrice) ||
    (e.trailingOffset && !r.trailingOffset)
  ) {
    return fail(
      'INVALID_EVENT',
      order,
      e,
      `a ${r.type} order cannot take the replaced price fields`,
    );
  }
  const request: OrderRequest = {
    ...r,
    quantity: e.quantity,
    ...(e.limitPrice && { limitPrice: e.limitPrice }),
    ...(e.stopPrice && { stopPrice: e.stopPrice }),
    ...(e.trailingOffset && { trailingOffset: e.trailingOffset }),
  };
  if (e.newClientOrderId !== undefined) {
    if (e.newClientOrderId === r.clientOrderId)
      return fail(
        'INVALID_EVENT',
        order,
        e,
        'newClientOrderId must differ from the replaced order',
      );
    const replacementRequest: OrderRequest = { ...request, clientOrderId: e.newClientOrderId };
    const replacement = new Order(
      replacementRequest,
      'ACCEPTED',
      'ACCEPTED',
      e.venueOrderId,
      ZERO,
      ZERO,
      0,
      [],
      r.clientOrderId,
      undefined,
      e.tsInit,
      e.tsEvent,
      1,
    );
    const next = order.with({
      status: 'REPLACED',
      replacedBy: e.newClientOrderId,
      tsLast: e.tsEvent,
    });
    return transition(order, next, e, true, false, undefined, undefined, undefined, replacement);
  }
  // in place (Nautilus OrderUpdated): same id, new terms; never below what already executed
  const q = e.quantity.value;
  if (q.lt(order.executedQty))
    return fail(
      'INVALID_EVENT',
      order,
      e,
      `new quantity ${e.quantity} is below the executed ${order.executedQty.toFixed()}`,
    );
  const status =
    s === 'PENDING_CANCEL'
      ? order.executedQty.gte(q)
        ? 'FILLED'
        : 'PENDING_CANCEL'
      : resumed(order, order.executedQty, q);
  const next = order.with({
    request,
    status,
    venueOrderId: e.venueOrderId ?? order.venueOrderId,
    tsLast: e.tsEvent,
  });
  return changed(order, next, e);
}

/** The Result form of an {@link orderEventOutcome}: `{ ok: true, value }` or `{ ok: false, error }`. */
export function transitionResult(
  outcome: OrderTransition | OrderTransitionError,
): Result<OrderTransition, OrderTransitionError> {
  return outcome instanceof OrderTransitionError ? err(outcome) : { ok: true, value: outcome };
}

/** True when the transition moved the order from an open to a terminal status. */
export function closedByTransition(t: OrderTransition): boolean {
  return (
    t.previous !== undefined &&
    !isTerminalStatus(t.previous.status) &&
    isTerminalStatus(t.order.status)
  );
}

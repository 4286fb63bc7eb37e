/** Order statuses of the lifecycle state machine (NautilusTrader-like, plus Alpaca's REPLACED). */
export const OrderStatus = {
  /** Created locally; not yet sent. Contingent children wait here until their parent fills. */
  INITIALIZED: 'INITIALIZED',
  /** Intent durable (WAL) and sent to the venue; not yet acknowledged. */
  SUBMITTED: 'SUBMITTED',
  /** Acknowledged by the venue and working. */
  ACCEPTED: 'ACCEPTED',
  /** A stop / stop-limit / trailing-stop order whose trigger condition fired. */
  TRIGGERED: 'TRIGGERED',
  /** Some, but not all, of the quantity executed. */
  PARTIALLY_FILLED: 'PARTIALLY_FILLED',
  /** The whole quantity executed (terminal). */
  FILLED: 'FILLED',
  /** A cancel request was sent; the venue has not answered yet. */
  PENDING_CANCEL: 'PENDING_CANCEL',
  /** Canceled (terminal). Late fills are still applied. */
  CANCELED: 'CANCELED',
  /** A replace (modify) request was sent; the venue has not answered yet. */
  PENDING_REPLACE: 'PENDING_REPLACE',
  /** Replaced by a new order with a new client order id (terminal, Alpaca style). */
  REPLACED: 'REPLACED',
  /** Refused locally (risk) or by the venue (terminal). */
  REJECTED: 'REJECTED',
  /** Time in force ran out (terminal). Late fills are still applied. */
  EXPIRED: 'EXPIRED',
} as const;
/** One of {@link OrderStatus}. */
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

/** Statuses after which the order never works again at the venue. */
export type TerminalOrderStatus = 'FILLED' | 'CANCELED' | 'REPLACED' | 'REJECTED' | 'EXPIRED';
/** Statuses in which the order may still execute. */
export type OpenOrderStatus = Exclude<OrderStatus, TerminalOrderStatus>;

/** Every status, in lifecycle order. */
export const ALL_ORDER_STATUSES: readonly OrderStatus[] = Object.values(OrderStatus);

/** The terminal statuses. */
export const TERMINAL_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set<OrderStatus>([
  'FILLED',
  'CANCELED',
  'REPLACED',
  'REJECTED',
  'EXPIRED',
]);

/** True for FILLED, CANCELED, REPLACED, REJECTED, EXPIRED. */
export function isTerminalStatus(status: OrderStatus): status is TerminalOrderStatus {
  return (
    status === 'FILLED' ||
    status === 'CANCELED' ||
    status === 'REPLACED' ||
    status === 'REJECTED' ||
    status === 'EXPIRED'
  );
}

/** True for statuses in which the order may still execute (not terminal). */
export function isOpenStatus(status: OrderStatus): status is OpenOrderStatus {
  return !isTerminalStatus(status);
}

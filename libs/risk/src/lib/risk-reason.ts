/**
 * Why a pre-trade check rejected an order (stable, machine-readable; safe to persist and alert on).
 * Every rejection carries exactly one of these plus a human message naming the value and the limit.
 */
export const RiskReasonCode = {
  /** The request is not an object, or its instrumentId/side/type/strategyId/ts is malformed. */
  INVALID_REQUEST: 'INVALID_REQUEST',
  /** Quantity is missing, not a number, NaN, ±Infinity, ≤ 0, above 1e18, or not decimal text. */
  INVALID_QUANTITY: 'INVALID_QUANTITY',
  /** Price is malformed, ≤ 0, above 1e18, or missing for an order type that needs one. */
  INVALID_PRICE: 'INVALID_PRICE',
  /** The engine-supplied context is malformed (non-finite equity, bad count, no calendar...). */
  INVALID_CONTEXT: 'INVALID_CONTEXT',
  /** A notional-based control is enabled but neither the order nor the context has a price. */
  NO_REFERENCE_PRICE: 'NO_REFERENCE_PRICE',
  /** Trading state is HALTED (kill switch): everything is rejected until an operator reset. */
  TRADING_HALTED: 'TRADING_HALTED',
  /** Trading state is REDUCING: only orders that reduce (never flip or increase) a position pass. */
  REDUCING_ONLY: 'REDUCING_ONLY',
  /** The trading calendar says the market is closed at the order's timestamp. */
  OUTSIDE_TRADING_HOURS: 'OUTSIDE_TRADING_HOURS',
  /** Instrument is not on the allow list, or is on the deny list. */
  INSTRUMENT_NOT_ALLOWED: 'INSTRUMENT_NOT_ALLOWED',
  /** Order quantity above the per-order maximum (fat finger). */
  FAT_FINGER_QUANTITY: 'FAT_FINGER_QUANTITY',
  /** Order notional (price × quantity × multiplier) above the per-order maximum. */
  MAX_NOTIONAL: 'MAX_NOTIONAL',
  /** Limit price outside ± collar % of the last price. */
  PRICE_COLLAR: 'PRICE_COLLAR',
  /** Post-trade position notional above the % of equity limit. */
  MAX_POSITION_PCT: 'MAX_POSITION_PCT',
  /** Post-trade absolute position quantity above the limit. */
  MAX_POSITION_ABS: 'MAX_POSITION_ABS',
  /** Post-trade absolute position notional above the limit. */
  MAX_POSITION_NOTIONAL: 'MAX_POSITION_NOTIONAL',
  /** The order would open a new position while the maximum number is already open. */
  MAX_OPEN_POSITIONS: 'MAX_OPEN_POSITIONS',
  /** The exchange day's submission budget is used up. */
  MAX_ORDERS_PER_DAY: 'MAX_ORDERS_PER_DAY',
  /** The sliding one-second submission budget is used up. */
  MAX_ORDERS_PER_SECOND: 'MAX_ORDERS_PER_SECOND',
  /** Daily loss reached the limit in this check: state moved to REDUCING and the order increases exposure. */
  DAILY_LOSS_LIMIT: 'DAILY_LOSS_LIMIT',
  /** Drawdown from peak equity reached the limit in this check: kill switch tripped (HALTED). */
  MAX_DRAWDOWN: 'MAX_DRAWDOWN',
  /** An unexpected error inside the check (e.g. the calendar threw): fail closed. */
  RISK_CHECK_FAILED: 'RISK_CHECK_FAILED',
} as const;
/** One of {@link RiskReasonCode}. */
export type RiskReasonCode = (typeof RiskReasonCode)[keyof typeof RiskReasonCode];

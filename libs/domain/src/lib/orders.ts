import { ValidationError } from './errors';

/** Order side. */
export const OrderSide = { BUY: 'BUY', SELL: 'SELL' } as const;
/** BUY or SELL. */
export type OrderSide = (typeof OrderSide)[keyof typeof OrderSide];

/** Order types the platform supports. */
export const OrderType = {
  MARKET: 'MARKET',
  LIMIT: 'LIMIT',
  STOP: 'STOP',
  STOP_LIMIT: 'STOP_LIMIT',
  TRAILING_STOP: 'TRAILING_STOP',
} as const;
/** One of {@link OrderType}. */
export type OrderType = (typeof OrderType)[keyof typeof OrderType];

/** Time in force. GTD needs an expiry time; OPG/CLS are the opening/closing auctions. */
export const TimeInForce = {
  DAY: 'DAY',
  GTC: 'GTC',
  IOC: 'IOC',
  FOK: 'FOK',
  OPG: 'OPG',
  CLS: 'CLS',
  GTD: 'GTD',
} as const;
/** One of {@link TimeInForce}. */
export type TimeInForce = (typeof TimeInForce)[keyof typeof TimeInForce];

/** Direction of a position. */
export const PositionSide = { LONG: 'LONG', SHORT: 'SHORT', FLAT: 'FLAT' } as const;
/** One of {@link PositionSide}. */
export type PositionSide = (typeof PositionSide)[keyof typeof PositionSide];

/** Whether a fill added liquidity (maker) or took it (taker). */
export const LiquiditySide = { MAKER: 'MAKER', TAKER: 'TAKER', NONE: 'NONE' } as const;
/** One of {@link LiquiditySide}. */
export type LiquiditySide = (typeof LiquiditySide)[keyof typeof LiquiditySide];

function oneOf<T extends string>(values: Record<string, T>, field: string) {
  const set = new Set<string>(Object.values(values));
  return (v: unknown): T => {
    if (typeof v !== 'string' || !set.has(v))
      throw new ValidationError(field, v, `must be one of ${[...set].join(', ')}`);
    return v as T;
  };
}

/** Validates an order side. */
export const parseOrderSide = oneOf(OrderSide, 'side');
/** Validates an order type. */
export const parseOrderType = oneOf(OrderType, 'type');
/** Validates a time in force. */
export const parseTimeInForce = oneOf(TimeInForce, 'timeInForce');

/** +1 for BUY, -1 for SELL. */
export function sideSign(side: OrderSide): 1 | -1 {
  return side === OrderSide.BUY ? 1 : -1;
}

/** The opposite side. */
export function oppositeSide(side: OrderSide): OrderSide {
  return side === OrderSide.BUY ? OrderSide.SELL : OrderSide.BUY;
}

import {
  Decimal,
  DecimalInput,
  InstrumentId,
  OrderSide,
  OrderType,
  Price,
  Quantity,
  StrategyId,
} from '@trading/domain';
import { LazyDecimal } from './lazy-decimal';
import { RiskReasonCode } from './risk-reason';

/** Trading calendar as seen by risk: is the market open at a UTC instant? (Adapted from @trading/clock.) */
export interface TradingHours {
  /** True when orders may be sent at `ts` (UTC epoch ms). */
  isOpen(ts: number): boolean;
}

/**
 * An order a strategy wants to send. Strategy code is untrusted at run time: every field is
 * re-validated by the risk engine (the types below are what a well-behaved caller sends).
 */
export interface RiskOrderRequest {
  /** Instrument id (`SYMBOL.VENUE`). */
  readonly instrumentId: InstrumentId | string;
  /** BUY or SELL. */
  readonly side: OrderSide;
  /** Order type. LIMIT, STOP and STOP_LIMIT need a price. */
  readonly type: OrderType;
  /** Strictly positive order size (validated as unknown: NaN, ±Infinity, ≤ 0, 1e308, garbage are rejected). */
  readonly quantity: Quantity | DecimalInput;
  /** Limit price (LIMIT, STOP_LIMIT), stop price (STOP) or reference price (MARKET, optional). */
  readonly price?: Price | DecimalInput;
  /** Strategy that asked. */
  readonly strategyId: StrategyId | string;
  /** Decision time, UTC epoch ms (from the Clock). */
  readonly ts: number;
}

/**
 * Account and market facts the check needs, adapted by the engine from portfolio and market data.
 * Values are trusted to be of the declared types but are still checked for finiteness (fail closed).
 *
 * `equity` and `peakEquity` may be given exactly (a Decimal) or as a {@link LazyDecimal}: a float
 * estimate with an error scale whose exact decimal is built only when a limit is too close to call
 * in floats, or for a rejection message. Both forms give the same decisions and messages.
 */
export interface RiskContext {
  /** Current account equity (exact, or a float estimate with a lazily built exact value). */
  readonly equity: Decimal | LazyDecimal;
  /** Current signed position in the request's instrument (long > 0, short < 0). May include working orders to be conservative. */
  readonly position: Decimal;
  /** Number of instruments with a non-flat position. */
  readonly openPositions: number;
  /** Would this order open a new position? Default: the position is flat. */
  readonly opensNewPosition?: boolean;
  /** Last traded price of the instrument (reference for the collar and market-order notional). */
  readonly lastPrice?: Decimal | number;
  /** Contract multiplier of the instrument (default 1). */
  readonly multiplier?: Decimal;
  /** Equity at the start of the exchange day (daily P&L = equity − startOfDayEquity). */
  readonly startOfDayEquity: Decimal;
  /**
   * High-water mark of equity, including the current equity (drawdown = 1 − equity / peakEquity);
   * e.g. `lazyMax(recordedPeak, equity)`.
   */
  readonly peakEquity: Decimal | LazyDecimal;
  /** Trading calendar; required when `enforceTradingHours` is on. */
  readonly tradingHours?: TradingHours;
}

/** Outcome of a pre-trade check: approved, or rejected with a reason code and a human message. */
export type RiskDecision =
  | { readonly approved: true }
  | { readonly approved: false; readonly reason: RiskReasonCode; readonly message: string };

/** Port: a pre-trade risk check. Never throws; garbage in yields a rejection. */
export interface RiskCheck {
  /** Decides whether `request` may be sent given `ctx`. */
  check(request: RiskOrderRequest, ctx: RiskContext): RiskDecision;
}

/** Inversify tokens of the risk lib. */
export const RISK_TOKENS = {
  /** The {@link RiskCheck} port. */
  RiskCheck: Symbol.for('trading.RiskCheck'),
  /** The concrete RiskEngine (operator commands, snapshots). */
  RiskEngine: Symbol.for('trading.RiskEngine'),
  /** The validated RiskConfig. */
  RiskConfig: Symbol.for('trading.RiskConfig'),
} as const;

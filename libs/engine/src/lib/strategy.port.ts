import {
  Bar,
  ClientOrderId,
  Decimal,
  DecimalInput,
  Instrument,
  InstrumentId,
  Money,
  OrderSide,
  OrderType,
  PositionSide,
  Price,
  Quantity,
  Quote,
  StrategyId,
  Tick,
  TimeInForce,
} from '@trading/domain';
import type { Order, OrderEvent } from '@trading/order-lifecycle';

/** JSON-compatible value (strategy state is saved as JSON into snapshots). */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * The `Strategy` port: user trading logic. The same object runs in a backtest and live; it sees
 * the world only through its {@link StrategyContext} (no clock, broker or I/O of its own), which is
 * what makes that possible. Every callback is optional.
 */
export interface Strategy {
  /** Unique id of this strategy instance (prefix of its client order ids). */
  readonly id: StrategyId;
  /** Instruments whose market data this strategy receives. */
  readonly instruments: readonly InstrumentId[];
  onStart?(ctx: StrategyContext): void;
  /** A completed bar of a subscribed instrument (`bar.ts` is its close time). */
  onBar?(bar: Bar, ctx: StrategyContext): void;
  onTick?(tick: Tick, ctx: StrategyContext): void;
  onQuote?(quote: Quote, ctx: StrategyContext): void;
  /** Any state change of one of this strategy's orders (accepted, rejected, canceled, …). */
  onOrderUpdate?(update: OrderUpdate, ctx: StrategyContext): void;
  /** A fill of one of this strategy's orders (after the portfolio applied it). */
  onFill?(fill: FillInfo, ctx: StrategyContext): void;
  onTimer?(event: StrategyTimerEvent, ctx: StrategyContext): void;
  onStop?(ctx: StrategyContext): void;
  /** Strategy-specific state to persist in snapshots (indicator windows, setup state, …). */
  saveState?(): JsonValue;
  /** Restores what {@link saveState} returned. */
  loadState?(state: JsonValue): void;
}

/** DI tokens of the engine lib. */
export const ENGINE_TOKENS = {
  /** `Strategy[]` hosted by the kernel. */
  Strategies: Symbol.for('trading.Strategies'),
  /** The {@link TradingKernel}. */
  Kernel: Symbol.for('trading.Kernel'),
  /** Kernel configuration. */
  KernelConfig: Symbol.for('trading.KernelConfig'),
  /** The kernel's {@link EventJournal}. */
  Journal: Symbol.for('trading.EventJournal'),
} as const;

/** An order state change delivered to its strategy. */
export interface OrderUpdate {
  readonly order: Order;
  readonly event: OrderEvent;
}

/** A fill delivered to its strategy. */
export interface FillInfo {
  readonly clientOrderId: ClientOrderId;
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly quantity: Quantity;
  readonly price: Price;
  readonly commission: Money;
  readonly ts: number;
  /** The order after the fill. */
  readonly order: Order;
}

/** A timer or time alert set by the strategy fired. */
export interface StrategyTimerEvent {
  readonly name: string;
  readonly scheduledAt: number;
  readonly firedAt: number;
}

/** The strategy's view of one position. */
export interface PositionInfo {
  readonly instrumentId: InstrumentId;
  /** Signed: long > 0, short < 0, flat = 0. */
  readonly quantity: Decimal;
  /** Average entry price, or null when flat. */
  readonly avgPrice: Decimal | null;
  readonly side: PositionSide;
}

/** What a strategy passes to {@link StrategyContext.submit}. Validated by the kernel (bad values → a rejected order, never a throw). */
export interface OrderParams {
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly quantity: Quantity | DecimalInput;
  /** Default MARKET. */
  readonly type?: OrderType;
  readonly limitPrice?: Price | DecimalInput;
  readonly stopPrice?: Price | DecimalInput;
  readonly trailingOffset?: Price | DecimalInput;
  /** Default GTC. */
  readonly timeInForce?: TimeInForce;
  readonly expireAt?: number;
  readonly reduceOnly?: boolean;
  readonly tags?: readonly string[];
}

/** Entry plus take-profit and stop-loss exits (OCO between the exits, released as the entry fills). */
export interface BracketParams {
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly quantity: Quantity | DecimalInput;
  /** Default MARKET entry; LIMIT needs entryPrice. */
  readonly entryType?: 'MARKET' | 'LIMIT';
  readonly entryPrice?: Price | DecimalInput;
  readonly takeProfitPrice: Price | DecimalInput;
  readonly stopLossPrice: Price | DecimalInput;
  readonly timeInForce?: TimeInForce;
  readonly tags?: readonly string[];
}

/** Client order ids of a submitted bracket. */
export interface BracketIds {
  readonly entry: ClientOrderId;
  readonly takeProfit: ClientOrderId;
  readonly stopLoss: ClientOrderId;
}

/** Changes for {@link StrategyContext.replace}; omitted fields stay. */
export interface ReplaceParams {
  readonly quantity?: Quantity | DecimalInput;
  readonly limitPrice?: Price | DecimalInput;
  readonly stopPrice?: Price | DecimalInput;
}

/** A per-strategy logger (structured fields, no secrets). */
export interface StrategyLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Everything a strategy may see and do. */
export interface StrategyContext {
  readonly strategyId: StrategyId;
  /** Current time (UTC ms) from the kernel's Clock. */
  now(): number;
  readonly log: StrategyLogger;
  instrument(id: InstrumentId): Instrument;
  /** This strategy's account-level position in an instrument. */
  position(id: InstrumentId): PositionInfo;
  cash(): Money;
  equity(): Money;
  /** Last known price of an instrument (bar close / trade), or undefined. */
  lastPrice(id: InstrumentId): number | undefined;
  /** This strategy's open orders (optionally for one instrument). */
  openOrders(instrumentId?: InstrumentId): readonly Order[];
  order(id: ClientOrderId): Order | undefined;
  /** Submits an order; its fate arrives via onOrderUpdate/onFill. Returns its client order id. */
  submit(params: OrderParams): ClientOrderId;
  submitBracket(params: BracketParams): BracketIds;
  cancel(id: ClientOrderId): void;
  /** Cancels every open order of this strategy (optionally one instrument). */
  cancelAll(instrumentId?: InstrumentId): void;
  replace(id: ClientOrderId, changes: ReplaceParams): void;
  /** Repeating timer delivered to onTimer. */
  setTimer(name: string, intervalMs: number, opts?: { startAt?: number; stopAt?: number }): void;
  /** One-shot alert delivered to onTimer. */
  setTimeAlert(name: string, at: number): void;
  cancelTimer(name: string): void;
}

/** Describes one parameter of a strategy (for CLI help, config validation and sweeps). */
export interface StrategyParamSpec {
  readonly name: string;
  readonly type: 'integer' | 'number' | 'decimal' | 'string' | 'boolean';
  readonly description: string;
  readonly default?: string | number | boolean;
  readonly min?: number;
  readonly max?: number;
}

/** Builds strategies by name with validated parameters. */
export interface StrategyFactory {
  readonly name: string;
  readonly description: string;
  readonly params: readonly StrategyParamSpec[];
  /** Throws ValidationError naming the bad parameter. */
  create(args: {
    id: StrategyId;
    instruments: readonly InstrumentId[];
    params: Readonly<Record<string, string | number | boolean>>;
  }): Strategy;
}

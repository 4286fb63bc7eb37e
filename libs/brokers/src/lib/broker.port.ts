import {
  AccountId,
  ClientOrderId,
  InstrumentId,
  LiquiditySide,
  Money,
  OrderSide,
  OrderType,
  Price,
  Quantity,
  TimeInForce,
  TradeId,
  VenueOrderId,
} from '@trading/domain';

/**
 * The `Broker` port: order routing, account and positions at one venue. The simulated exchange
 * (backtests) and every live venue adapter (Alpaca, IBKR, paper) implement it, so the kernel's
 * order pipeline is the same code in a backtest and live (LEAN's "simulated brokerage" idea).
 *
 * Commands are fire-and-forget (`void`): their outcome arrives as {@link ExecutionReport}s on the
 * listener, in venue order, as on a real venue (NautilusTrader's execution-client model). A
 * command the adapter cannot even send is answered with a `rejected` / `cancelRejected` report,
 * never a throw.
 */
export interface Broker {
  /** Venue code this broker routes to (the `VENUE` part of instrument ids). */
  readonly venue: string;
  /** Opens sessions/streams. Idempotent. */
  connect(): Promise<void>;
  /** Closes sessions/streams. Idempotent. */
  disconnect(): Promise<void>;
  /** Sends a new order. */
  submitOrder(command: SubmitOrderCommand): void;
  /** Requests cancellation of an open order. */
  cancelOrder(command: CancelOrderCommand): void;
  /** Requests a change of quantity and/or prices of an open order (in place, same client order id). */
  replaceOrder(command: ReplaceOrderCommand): void;
  /** Subscribes to execution reports; returns an unsubscribe function. */
  onExecutionReport(listener: (report: ExecutionReport) => void): () => void;
  /** Account balances as the venue sees them. */
  account(): Promise<AccountSnapshot>;
  /** Positions as the venue sees them (every instrument with a non-zero position). */
  positions(): Promise<VenuePosition[]>;
  /** Orders the venue considers open. */
  openOrders(): Promise<VenueOrder[]>;
}

/** DI tokens of the brokers lib. */
export const BROKER_TOKENS = {
  /** The {@link Broker} the kernel routes orders to. */
  Broker: Symbol.for('trading.Broker'),
  /** Configuration of the simulated exchange (fill, slippage, commission, latency models). */
  SimulatedExchangeConfig: Symbol.for('trading.SimulatedExchangeConfig'),
} as const;

/** A new order as sent to a venue. */
export interface SubmitOrderCommand {
  readonly clientOrderId: ClientOrderId;
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: Quantity;
  readonly limitPrice?: Price;
  readonly stopPrice?: Price;
  /** Trailing distance in price units (TRAILING_STOP). */
  readonly trailingOffset?: Price;
  readonly timeInForce: TimeInForce;
  /** Expiry (UTC ms) for GTD. */
  readonly expireAt?: number;
  readonly reduceOnly?: boolean;
  /** Local time the command was issued (UTC ms). */
  readonly ts: number;
}

/** Cancel an open order. */
export interface CancelOrderCommand {
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId?: VenueOrderId;
  readonly ts: number;
}

/** Modify an open order in place. Omitted fields stay as they are. */
export interface ReplaceOrderCommand {
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId?: VenueOrderId;
  readonly quantity?: Quantity;
  readonly limitPrice?: Price;
  readonly stopPrice?: Price;
  readonly ts: number;
}

/** Fields every execution report carries: ids plus venue time and local receive time. */
interface ReportBase {
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId?: VenueOrderId;
  /** Venue event time (UTC ms). */
  readonly tsEvent: number;
  /** Local receive time (UTC ms). */
  readonly tsInit: number;
}

/** What a venue says happened to an order. */
export type ExecutionReport =
  | (ReportBase & { readonly kind: 'accepted'; readonly venueOrderId: VenueOrderId })
  | (ReportBase & { readonly kind: 'rejected'; readonly reason: string })
  | (ReportBase & { readonly kind: 'triggered' })
  | (ReportBase & {
      readonly kind: 'filled';
      readonly venueOrderId: VenueOrderId;
      readonly tradeId: TradeId;
      readonly instrumentId: InstrumentId;
      readonly side: OrderSide;
      /** Quantity of this fill (incremental). */
      readonly lastQty: Quantity;
      readonly lastPx: Price;
      /** Cumulative filled quantity after this fill, when the venue reports it. */
      readonly cumulativeQty?: Quantity;
      readonly commission: Money;
      readonly liquiditySide: LiquiditySide;
    })
  | (ReportBase & { readonly kind: 'canceled'; readonly reason?: string })
  | (ReportBase & { readonly kind: 'cancelRejected'; readonly reason: string })
  | (ReportBase & {
      readonly kind: 'replaced';
      readonly quantity: Quantity;
      readonly limitPrice?: Price;
      readonly stopPrice?: Price;
    })
  | (ReportBase & { readonly kind: 'replaceRejected'; readonly reason: string })
  | (ReportBase & { readonly kind: 'expired' });

/** The kinds of {@link ExecutionReport}. */
export type ExecutionReportKind = ExecutionReport['kind'];

/** Account balances at the venue. */
export interface AccountSnapshot {
  readonly accountId: AccountId;
  readonly cash: Money;
  readonly equity: Money;
  readonly buyingPower: Money;
  readonly ts: number;
}

/** A position as the venue reports it (signed quantity: long > 0, short < 0). */
export interface VenuePosition {
  readonly instrumentId: InstrumentId;
  readonly quantity: Quantity;
  readonly avgPrice: Price;
}

/** An open order as the venue reports it. */
export interface VenueOrder {
  readonly clientOrderId: ClientOrderId;
  readonly venueOrderId: VenueOrderId;
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: Quantity;
  readonly filledQty: Quantity;
  readonly limitPrice?: Price;
  readonly stopPrice?: Price;
  readonly status: 'ACCEPTED' | 'TRIGGERED' | 'PARTIALLY_FILLED';
}

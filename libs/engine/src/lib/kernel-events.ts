import { ClientOrderId, InstrumentId, StrategyId } from '@trading/domain';
import type { Order, OrderEvent, OrderTransitionError } from '@trading/order-lifecycle';
import type { PortfolioEvent } from '@trading/portfolio';
import type { RiskEvent } from '@trading/risk';

/** An order that never left the kernel: refused by a pre-trade check or invalid parameters. */
export interface OrderDenial {
  readonly strategyId: StrategyId;
  readonly clientOrderId: ClientOrderId;
  /** Other client order ids the request consumed (a bracket's exits), so recovery never reuses them. */
  readonly relatedClientOrderIds?: readonly ClientOrderId[];
  readonly instrumentId: InstrumentId | string;
  /** Reason code (risk reason codes, or INVALID_ORDER / NOT_ACCEPTING_ORDERS). */
  readonly reason: string;
  readonly message: string;
  readonly ts: number;
}

/** Everything the kernel publishes (for persistence, metrics, reports and alerts). */
export type KernelEvent =
  | { readonly kind: 'order'; readonly event: OrderEvent; readonly order: Order }
  | { readonly kind: 'portfolio'; readonly events: readonly PortfolioEvent[] }
  | { readonly kind: 'denied'; readonly denial: OrderDenial }
  | { readonly kind: 'risk'; readonly event: RiskEvent }
  /** An execution report that could not be applied (unknown order, illegal transition): needs reconciliation. */
  | { readonly kind: 'anomaly'; readonly error: OrderTransitionError; readonly ts: number }
  /** A fill beyond the order quantity: raise an alert. */
  | {
      readonly kind: 'overfill';
      readonly clientOrderId: ClientOrderId;
      readonly quantity: string;
      readonly ts: number;
    }
  | {
      readonly kind: 'strategy-error';
      readonly strategyId: StrategyId;
      readonly error: Error;
      readonly ts: number;
    }
  | { readonly kind: 'journal-failure'; readonly error: Error; readonly ts: number };

/** Listener of kernel events. */
export type KernelEventListener = (event: KernelEvent) => void;

/** The kinds of {@link KernelEvent}. */
export type KernelEventKind = KernelEvent['kind'];

/** Options of `TradingKernel.onEvent`. */
export interface KernelEventSubscription {
  /**
   * Only these kinds (default: all). A kernel whose listeners all leave out `portfolio` does not
   * build the portfolio's fill events at all (their text is the largest part of booking a fill).
   */
  readonly kinds?: readonly KernelEventKind[];
}

import { OrderEvent } from './order-events';
import { Order } from './order';

/**
 * Port through which the order lifecycle publishes every applied transition (the engine binds an
 * adapter that writes the WAL, updates the portfolio, publishes on the event bus, raises alerts).
 * Called once per event that changed an order, after the change, with the order as it is now.
 */
export interface OrderEvents {
  onOrderEvent(event: OrderEvent, order: Order): void;
}

/** inversify tokens of the order-lifecycle ports. */
export const ORDER_LIFECYCLE_TOKENS = {
  OrderEvents: Symbol.for('trading.OrderEvents'),
} as const;

/** Fakes and builders of @trading/order-lifecycle for other libs' tests. */
import {
  ClientOrderId,
  clientOrderId,
  instrumentId,
  LiquiditySide,
  Money,
  Price,
  Quantity,
  strategyId,
  tradeId,
  venueOrderId,
} from '@trading/domain';
import { OrderRequest } from './lib/order-request';
import {
  OrderAccepted,
  OrderCanceled,
  OrderCancelRejected,
  OrderEvent,
  OrderExpired,
  OrderFilled,
  OrderInitialized,
  OrderPendingCancel,
  OrderPendingReplace,
  OrderRejected,
  OrderReplaced,
  OrderReplaceRejected,
  OrderSubmitted,
  OrderTriggered,
} from './lib/order-events';
import { Order } from './lib/order';
import { OrderEvents } from './lib/order-events.port';

/** Overrides of {@link testOrderRequest}: typed values or plain strings/numbers for decimals and ids. */
export type TestOrderRequestOverrides = Partial<
  Omit<OrderRequest, 'clientOrderId' | 'quantity' | 'limitPrice' | 'stopPrice' | 'trailingOffset'>
> & {
  clientOrderId?: string;
  quantity?: Quantity | string | number;
  limitPrice?: Price | string | number;
  stopPrice?: Price | string | number;
  trailingOffset?: Price | string | number;
};

/** A valid request (default: BUY 100 TEST.SIM LIMIT 100.00 DAY, strategy `S1`, id `S1-1`). */
export function testOrderRequest(o: TestOrderRequestOverrides = {}): OrderRequest {
  const type = o.type ?? 'LIMIT';
  const px = (v: Price | string | number | undefined): Price | undefined =>
    v === undefined ? undefined : v instanceof Price ? v : Price.of(v);
  const limit = o.limitPrice ?? (type === 'LIMIT' || type === 'STOP_LIMIT' ? '100' : undefined);
  const stop = o.stopPrice ?? (type === 'STOP' || type === 'STOP_LIMIT' ? '99' : undefined);
  const trail = o.trailingOffset ?? (type === 'TRAILING_STOP' ? '1' : undefined);
  const {
    clientOrderId: id,
    quantity,
    limitPrice: _l,
    stopPrice: _s,
    trailingOffset: _t,
    ...rest
  } = o;
  return {
    strategyId: strategyId('S1'),
    instrumentId: instrumentId('TEST', 'SIM'),
    side: 'BUY',
    timeInForce: 'DAY',
    ...rest,
    type,
    clientOrderId: clientOrderId(id ?? 'S1-1'),
    quantity: quantity instanceof Quantity ? quantity : Quantity.positive(quantity ?? 100),
    ...(limit !== undefined && { limitPrice: px(limit) }),
    ...(stop !== undefined && { stopPrice: px(stop) }),
    ...(trail !== undefined && { trailingOffset: px(trail) }),
  };
}

/** Fill details for {@link OrderEventFactory.filled}. */
export interface TestFill {
  tradeId: string;
  qty: Quantity | string | number;
  px: Price | string | number;
  commission?: Money;
  cumulativeQty?: Quantity | string | number;
  liquiditySide?: LiquiditySide;
  venueOrderId?: string;
}

/** Builds order events with a monotonically increasing test clock (1 ms per event). */
export class OrderEventFactory {
  constructor(private ts = 1_700_000_000_000) {}
  private base(id: ClientOrderId | string): {
    clientOrderId: ClientOrderId;
    tsEvent: number;
    tsInit: number;
  } {
    const t = ++this.ts;
    return { clientOrderId: clientOrderId(id), tsEvent: t, tsInit: t };
  }
  initialized(request: OrderRequest): OrderInitialized {
    return { type: 'OrderInitialized', ...this.base(request.clientOrderId), request };
  }
  submitted(id: ClientOrderId | string, quantity?: Quantity | string | number): OrderSubmitted {
    return quantity === undefined
      ? { type: 'OrderSubmitted', ...this.base(id) }
      : { type: 'OrderSubmitted', ...this.base(id), quantity: qty(quantity) };
  }
  accepted(id: ClientOrderId | string, venueId = `V-${id}`): OrderAccepted {
    return { type: 'OrderAccepted', ...this.base(id), venueOrderId: venueOrderId(venueId) };
  }
  rejected(id: ClientOrderId | string, reason = 'rejected'): OrderRejected {
    return { type: 'OrderRejected', ...this.base(id), reason };
  }
  triggered(id: ClientOrderId | string): OrderTriggered {
    return { type: 'OrderTriggered', ...this.base(id) };
  }
  filled(id: ClientOrderId | string, f: TestFill): OrderFilled {
    return {
      type: 'OrderFilled',
      ...this.base(id),
      ...(f.venueOrderId !== undefined && { venueOrderId: venueOrderId(f.venueOrderId) }),
      tradeId: tradeId(f.tradeId),
      lastQty: f.qty instanceof Quantity ? f.qty : Quantity.of(f.qty),
      lastPx: f.px instanceof Price ? f.px : Price.positive(f.px),
      commission: f.commission ?? Money.zero('USD'),
      liquiditySide: f.liquiditySide ?? 'TAKER',
      ...(f.cumulativeQty !== undefined && {
        cumulativeQty:
          f.cumulativeQty instanceof Quantity ? f.cumulativeQty : Quantity.of(f.cumulativeQty),
      }),
    };
  }
  pendingCancel(id: ClientOrderId | string): OrderPendingCancel {
    return { type: 'OrderPendingCancel', ...this.base(id) };
  }
  canceled(id: ClientOrderId | string, reason?: string): OrderCanceled {
    return reason === undefined
      ? { type: 'OrderCanceled', ...this.base(id) }
      : { type: 'OrderCanceled', ...this.base(id), reason };
  }
  cancelRejected(id: ClientOrderId | string, reason = 'too late to cancel'): OrderCancelRejected {
    return { type: 'OrderCancelRejected', ...this.base(id), reason };
  }
  pendingReplace(
    id: ClientOrderId | string,
    quantity?: Quantity | string | number,
  ): OrderPendingReplace {
    return quantity === undefined
      ? { type: 'OrderPendingReplace', ...this.base(id) }
      : { type: 'OrderPendingReplace', ...this.base(id), quantity: qty(quantity) };
  }
  replaced(
    id: ClientOrderId | string,
    r: {
      quantity: Quantity | string | number;
      newClientOrderId?: string;
      venueOrderId?: string;
      limitPrice?: string;
      stopPrice?: string;
    },
  ): OrderReplaced {
    return {
      type: 'OrderReplaced',
      ...this.base(id),
      quantity: qty(r.quantity),
      ...(r.newClientOrderId !== undefined && {
        newClientOrderId: clientOrderId(r.newClientOrderId),
      }),
      ...(r.venueOrderId !== undefined && { venueOrderId: venueOrderId(r.venueOrderId) }),
      ...(r.limitPrice !== undefined && { limitPrice: Price.positive(r.limitPrice) }),
      ...(r.stopPrice !== undefined && { stopPrice: Price.positive(r.stopPrice) }),
    };
  }
  replaceRejected(id: ClientOrderId | string, reason = 'replace rejected'): OrderReplaceRejected {
    return { type: 'OrderReplaceRejected', ...this.base(id), reason };
  }
  expired(id: ClientOrderId | string): OrderExpired {
    return { type: 'OrderExpired', ...this.base(id) };
  }
}

function qty(v: Quantity | string | number): Quantity {
  return v instanceof Quantity ? v : Quantity.positive(v);
}

/** An {@link OrderEvents} adapter that records every publication (for tests). */
export class RecordingOrderEvents implements OrderEvents {
  readonly published: { event: OrderEvent; order: Order }[] = [];
  onOrderEvent(event: OrderEvent, order: Order): void {
    this.published.push({ event, order });
  }
  /** Event types published so far, in order. */
  get types(): string[] {
    return this.published.map((p) => p.event.type);
  }
}

/**
 * The `orders` and `fills` part of the projection: folds the kernel's order events (the `order`
 * WAL records) with the order state machine of @trading/order-lifecycle, so `orders` holds the
 * latest state of every order exactly as the kernel saw it (status, filled quantity, average fill
 * price, venue id, replaced quantities/prices) and `fills` every execution with the order's
 * instrument and side.
 *
 * State is cached per client order id (bounded, least recently used evicted). An event for an order
 * that is not cached (after a restart, or evicted) is folded onto the order's history read back
 * from `order_events` (every event with a lower `wal_seq`), so the projection continues correctly
 * from any checkpoint. Work for a batch is staged and only committed after the batch is written.
 */
import { ValidationError, type ClientOrderId } from '@trading/domain';
import {
  applyOrderEvent,
  createOrder,
  decodeOrderEvent,
  ORDER_EVENT_TYPES,
  type Order,
} from '@trading/order-lifecycle';
import type { FillRecord, OrderEventRecord, OrderRecord } from '@trading/persistence';
import type { ProjectionRows, SequencedOrderEvent } from './projection-mapping';

/** An order's projected state. */
export interface Known {
  readonly order: Order;
  /** Highest WAL seq folded into `order`. */
  readonly seq: number;
}

/** Work of one batch: states to commit and events that did not fit the order's state. */
export interface StagedOrders {
  readonly states: Map<ClientOrderId, Known>;
  readonly anomalies: { seq: number; error: Error }[];
}

const EVENT_TYPES: ReadonlySet<string> = new Set(ORDER_EVENT_TYPES);

/** See the module comment. */
export class OrderProjection {
  private readonly cache = new Map<ClientOrderId, Known>();

  constructor(
    /** At most this many orders are cached (default 100,000). */
    private readonly maxOrders = 100_000,
    /** Stamped on `orders` and `fills` rows. */
    private readonly sessionId: string | null = null,
  ) {}

  /** Ids of orders with events in `events` that are neither cached nor created in the batch. */
  missing(events: readonly SequencedOrderEvent[]): ClientOrderId[] {
    const out = new Set<ClientOrderId>();
    const created = new Set<ClientOrderId>();
    for (const { event } of events) {
      const id = event.clientOrderId;
      if (event.type === 'OrderInitialized') created.add(id);
      else if (!created.has(id) && !this.cache.has(id)) out.add(id);
    }
    return [...out];
  }

  /**
   * Seeds the cache from stored `order_events` rows (e.g. the history of the {@link missing} orders
   * and of the orders they replaced): kernel order events with `walSeq < beforeSeq` (the batch's
   * first seq) are folded in `walSeq` order. Returns the states of the orders that are not cached,
   * to pass to {@link project} (they enter the cache on {@link commit}).
   */
  seed(stored: readonly OrderEventRecord[], beforeSeq: number): Map<ClientOrderId, Known> {
    const local = new Map<ClientOrderId, Known>();
    const sorted = stored
      .filter((r) => r.walSeq < beforeSeq && EVENT_TYPES.has(r.type))
      .sort((a, b) => a.walSeq - b.walSeq);
    for (const row of sorted) {
      const event = decodeOrderEvent(row.payload);
      const id = event.clientOrderId;
      const cur = local.get(id);
      if (event.type === 'OrderInitialized') {
        if (!cur) local.set(id, { order: createOrder(event), seq: row.walSeq });
        continue;
      }
      if (!cur) continue;
      const r = applyOrderEvent(cur.order, event);
      local.set(id, { order: r.ok ? r.value.order : cur.order, seq: row.walSeq });
      if (r.ok && r.value.replacement)
        local.set(r.value.replacement.clientOrderId, {
          order: r.value.replacement,
          seq: row.walSeq,
        });
    }
    for (const id of local.keys()) if (this.cache.has(id)) local.delete(id);
    return local;
  }

  /**
   * Folds `events` (batch order) onto the cached states without changing the cache, adding one
   * `orders` row per changed order and one `fills` row per `OrderFilled` to `rows`. Events at or
   * below an order's folded seq (a replay) only produce their (idempotent) fill rows.
   */
  project(
    events: readonly SequencedOrderEvent[],
    rows: ProjectionRows,
    seeded: ReadonlyMap<ClientOrderId, Known> = new Map(),
  ): StagedOrders {
    const states = new Map<ClientOrderId, Known>(seeded);
    const changed = new Set<ClientOrderId>();
    const anomalies: { seq: number; error: Error }[] = [];
    const current = (id: ClientOrderId): Known | undefined => states.get(id) ?? this.cache.get(id);
    for (const { seq, event } of events) {
      const id = event.clientOrderId;
      const cur = current(id);
      if (cur && seq <= cur.seq) {
        if (event.type === 'OrderFilled') rows.fills.push(this.fillRow(seq, cur.order, event));
        continue;
      }
      if (event.type === 'OrderInitialized') {
        if (cur) {
          anomalies.push({
            seq,
            error: new ValidationError(
              'event.clientOrderId',
              id,
              `is already an order (${cur.order.status}); OrderInitialized not projected`,
            ),
          });
          continue;
        }
        states.set(id, { order: createOrder(event), seq });
        changed.add(id);
        continue;
      }
      if (!cur) {
        anomalies.push({
          seq,
          error: new ValidationError(
            'event.clientOrderId',
            id,
            `has no OrderInitialized in the history; ${event.type} kept in order_events only`,
          ),
        });
        continue;
      }
      const r = applyOrderEvent(cur.order, event);
      if (!r.ok) {
        anomalies.push({ seq, error: r.error });
        states.set(id, { order: cur.order, seq });
        continue;
      }
      const t = r.value;
      states.set(id, { order: t.order, seq });
      if (t.changed) changed.add(id);
      if (t.replacement) {
        states.set(t.replacement.clientOrderId, { order: t.replacement, seq });
        changed.add(t.replacement.clientOrderId);
      }
      if (event.type === 'OrderFilled') rows.fills.push(this.fillRow(seq, t.order, event));
    }
    for (const id of changed) {
      const k = states.get(id) as Known;
      rows.orders.push(this.orderRow(k.order, k.seq));
    }
    return { states, anomalies };
  }

  /** Commits a batch's states once its rows are written. */
  commit(staged: StagedOrders): void {
    for (const [id, k] of staged.states) this.remember(id, k);
  }

  /** Number of cached orders. */
  get size(): number {
    return this.cache.size;
  }

  private remember(id: ClientOrderId, k: Known): void {
    this.cache.delete(id);
    this.cache.set(id, k);
    while (this.cache.size > this.maxOrders)
      this.cache.delete(this.cache.keys().next().value as ClientOrderId);
  }

  private orderRow(o: Order, seq: number): OrderRecord {
    return {
      clientOrderId: o.clientOrderId,
      venueOrderId: o.venueOrderId ?? null,
      sessionId: this.sessionId,
      strategyId: o.strategyId,
      instrumentId: o.instrumentId,
      side: o.side,
      type: o.type,
      timeInForce: o.timeInForce,
      quantity: o.quantity.value,
      limitPrice: o.limitPrice?.value ?? null,
      stopPrice: o.stopPrice?.value ?? null,
      filledQuantity: o.filledQty.value,
      avgFillPrice: o.avgPx?.value ?? null,
      status: o.status,
      createdAt: o.tsInit,
      updatedAt: o.tsLast,
      walSeq: seq,
    };
  }

  private fillRow(
    seq: number,
    o: Order,
    e: Extract<SequencedOrderEvent['event'], { type: 'OrderFilled' }>,
  ): FillRecord {
    return {
      walSeq: seq,
      tradeId: e.tradeId,
      clientOrderId: e.clientOrderId,
      sessionId: this.sessionId,
      instrumentId: o.instrumentId,
      side: o.side,
      quantity: e.lastQty.value,
      price: e.lastPx.value,
      commission: e.commission.amount,
      currency: e.commission.currency,
      liquidity: e.liquiditySide,
      ts: e.tsEvent,
    };
  }
}

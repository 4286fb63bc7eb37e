import {
  ClientOrderId,
  err,
  InstrumentId,
  Result,
  StrategyId,
  ValidationError,
  VenueOrderId,
} from '@trading/domain';
import { isTerminalStatus } from './order-status';
import { OrderEvent } from './order-events';
import { Order, OrderJson, orderFromJson, orderToJson } from './order';
import {
  applyOrderEvent,
  ApplyOrderEventOptions,
  createOrder,
  OrderTransition,
  OrderTransitionError,
} from './order-state-machine';
import { OrderEvents } from './order-events.port';
import { encodeOrderRequest } from './order-request';

/** Options of an {@link OrderBook}. */
export interface OrderBookOptions {
  /** How many closed orders stay queryable (late fills, reconciliation); oldest evicted first. Default 10,000. */
  readonly maxClosedOrders?: number;
  /** Receives every transition that changed an order. */
  readonly events?: OrderEvents;
  /** Passed to `applyOrderEvent`. */
  readonly apply?: ApplyOrderEventOptions;
}

/** Filter of {@link OrderBook.openOrders}. */
export interface OpenOrderFilter {
  readonly instrumentId?: InstrumentId;
  readonly strategyId?: StrategyId;
}

/** Counts of an {@link OrderBook}. */
export interface OrderBookCounts {
  readonly open: number;
  readonly closed: number;
  readonly total: number;
}

/** JSON snapshot of an {@link OrderBook}. */
export interface OrderBookSnapshot {
  version: 1;
  /** Open orders then retained closed orders (oldest closed first). */
  orders: OrderJson[];
}

/**
 * Open (and recently closed) orders, indexed by client order id, venue order id, instrument and
 * strategy. `apply` runs the pure state machine and keeps the indexes; it never throws for a bad
 * event (it returns the typed error). Replays of OrderInitialized with an identical request are
 * tolerated (`duplicate: true`).
 */
/**
 * The book's slot of one order: the current snapshot, and the closing number it was given when it
 * closed (0 while open, -1 once removed from the book). An event replaces `order` in place, so a
 * transition costs no Map write, and the eviction queue recognises its stale entries by comparing
 * closing numbers, without a lookup.
 */
interface BookEntry {
  order: Order;
  closeNo: number;
}

export class OrderBook {
  private readonly orders = new Map<ClientOrderId, BookEntry>();
  private readonly venueIndex = new Map<VenueOrderId, ClientOrderId>();
  private readonly openByInstrument = new Map<InstrumentId, Set<ClientOrderId>>();
  private readonly openByStrategy = new Map<StrategyId, Set<ClientOrderId>>();
  /** Number of retained closed orders (the live entries of the close queue). */
  private closedCount = 0;
  /**
   * Closed orders in closing order, as [entry, closing number] pairs from `closeQueueHead` on. An
   * entry whose closing number changed since (removed from the book, or re-added) is stale and
   * skipped. Evicting through a Map instead cost several lookups in a 10,000-entry table per close
   * (and `Map.keys().next()` is O(deleted entries) in V8).
   */
  private closeQueueEntries: BookEntry[] = [];
  private closeQueueNos: number[] = [];
  private closeQueueHead = 0;
  private closeNo = 0;
  private readonly openIds = new Set<ClientOrderId>();
  private readonly maxClosed: number;

  constructor(private readonly options: OrderBookOptions = {}) {
    const m = options.maxClosedOrders ?? 10_000;
    if (!Number.isSafeInteger(m) || m < 0)
      throw new ValidationError('maxClosedOrders', m, 'must be a non-negative integer');
    this.maxClosed = m;
  }

  /** Adds an order snapshot (e.g. created with `Order.create`); an existing id is replaced. */
  add(order: Order): void {
    const prev = this.orders.get(order.clientOrderId);
    if (prev) this.unindex(prev);
    this.index(order);
  }

  /** Applies one event (OrderInitialized creates the order) and returns the transition. */
  apply(event: OrderEvent): Result<OrderTransition, OrderTransitionError> {
    const entry = this.orders.get(event.clientOrderId);
    const current = entry?.order;
    if (event.type === 'OrderInitialized') {
      if (current) {
        const same =
          JSON.stringify(encodeOrderRequest(current.request)) ===
          JSON.stringify(encodeOrderRequest(event.request));
        if (same && current.status === 'INITIALIZED')
          return {
            ok: true,
            value: {
              order: current,
              previous: current,
              event,
              changed: false,
              duplicate: true,
              fillQty: undefined,
              overfill: undefined,
              missingQty: undefined,
              replacement: undefined,
            },
          };
        return err(
          new OrderTransitionError(
            'DUPLICATE_ORDER',
            `OrderInitialized for ${event.clientOrderId}: the order already exists (${current.status})`,
            event.clientOrderId,
            current.status,
            event.type,
          ),
        );
      }
      const order = createOrder(event);
      this.index(order);
      this.options.events?.onOrderEvent(event, order);
      return {
        ok: true,
        value: {
          order,
          previous: undefined,
          event,
          changed: true,
          duplicate: false,
          fillQty: undefined,
          overfill: undefined,
          missingQty: undefined,
          replacement: undefined,
        },
      };
    }
    if (entry === undefined || current === undefined)
      return err(
        new OrderTransitionError(
          'UNKNOWN_ORDER',
          `${event.type} for unknown order ${event.clientOrderId}`,
          event.clientOrderId,
          undefined,
          event.type,
        ),
      );
    const r = applyOrderEvent(current, event, this.options.apply);
    if (!r.ok || !r.value.changed) return r;
    const t = r.value;
    this.replace(entry, t.order);
    if (t.replacement) {
      const existing = this.orders.get(t.replacement.clientOrderId);
      if (existing) this.unindex(existing);
      this.index(t.replacement);
    }
    this.options.events?.onOrderEvent(event, t.order);
    return r;
  }

  /** The order with this client order id (open or retained closed). */
  get(id: ClientOrderId): Order | undefined {
    return this.orders.get(id)?.order;
  }

  /** The order with this venue order id. */
  byVenueId(id: VenueOrderId): Order | undefined {
    const c = this.venueIndex.get(id);
    return c === undefined ? undefined : this.orders.get(c)?.order;
  }

  /** Open orders, optionally of one instrument and/or strategy, in insertion order. */
  openOrders(filter: OpenOrderFilter = {}): Order[] {
    let ids: Iterable<ClientOrderId>;
    if (filter.instrumentId !== undefined)
      ids = this.openByInstrument.get(filter.instrumentId) ?? [];
    else if (filter.strategyId !== undefined)
      ids = this.openByStrategy.get(filter.strategyId) ?? [];
    else ids = this.openIds;
    const out: Order[] = [];
    for (const id of ids) {
      const o = (this.orders.get(id) as BookEntry).order;
      if (filter.strategyId === undefined || o.strategyId === filter.strategyId) out.push(o);
    }
    return out;
  }

  /** Retained closed orders, oldest closed first. */
  closedOrders(): Order[] {
    const out: Order[] = [];
    this.forEachClosed((o) => out.push(o));
    return out;
  }

  /** Number of open, retained closed and all retained orders. */
  counts(): OrderBookCounts {
    return { open: this.openIds.size, closed: this.closedCount, total: this.orders.size };
  }

  /** Number of open orders (optionally for one instrument). */
  openCountFor(instrumentId?: InstrumentId): number {
    return instrumentId === undefined
      ? this.openIds.size
      : (this.openByInstrument.get(instrumentId)?.size ?? 0);
  }

  /** Plain JSON snapshot (open orders, then retained closed orders oldest first). */
  toSnapshot(): OrderBookSnapshot {
    const orders: OrderJson[] = [];
    for (const id of this.openIds)
      orders.push(orderToJson((this.orders.get(id) as BookEntry).order));
    this.forEachClosed((o) => orders.push(orderToJson(o)));
    return { version: 1, orders };
  }

  /** Restores a book from {@link OrderBook.toSnapshot} output; validates every order (throws ValidationError). */
  static fromSnapshot(snapshot: unknown, options: OrderBookOptions = {}): OrderBook {
    const s = snapshot as Partial<OrderBookSnapshot> | null;
    if (typeof s !== 'object' || s === null || s.version !== 1 || !Array.isArray(s.orders)) {
      throw new ValidationError(
        'orderBookSnapshot',
        snapshot,
        'must be { version: 1, orders: [...] }',
      );
    }
    const book = new OrderBook(options);
    s.orders.forEach((j, i) => {
      const o = orderFromJson(j, `orderBookSnapshot.orders[${i}]`);
      if (book.orders.has(o.clientOrderId))
        throw new ValidationError(
          `orderBookSnapshot.orders[${i}].request.clientOrderId`,
          o.clientOrderId,
          'must be unique',
        );
      book.index(o);
    });
    return book;
  }

  /** Calls `f` with every retained closed order, oldest closed first. */
  private forEachClosed(f: (o: Order) => void): void {
    const entries = this.closeQueueEntries;
    const nos = this.closeQueueNos;
    for (let i = this.closeQueueHead; i < entries.length; i++)
      if (entries[i].closeNo === nos[i]) f(entries[i].order);
  }

  private replace(entry: BookEntry, next: Order): void {
    const prev = entry.order;
    const wasOpen = !isTerminalStatus(prev.status);
    const isOpen = !isTerminalStatus(next.status);
    entry.order = next;
    if (next.venueOrderId !== undefined && next.venueOrderId !== prev.venueOrderId)
      this.venueIndex.set(next.venueOrderId, next.clientOrderId);
    if (wasOpen && !isOpen) {
      this.removeOpen(prev);
      this.markClosed(entry);
    }
  }

  private index(o: Order): void {
    const id = o.clientOrderId;
    const entry: BookEntry = { order: o, closeNo: 0 };
    this.orders.set(id, entry);
    if (o.venueOrderId !== undefined) this.venueIndex.set(o.venueOrderId, id);
    if (isTerminalStatus(o.status)) {
      this.markClosed(entry);
    } else {
      this.openIds.add(id);
      setOf(this.openByInstrument, o.instrumentId).add(id);
      setOf(this.openByStrategy, o.strategyId).add(id);
    }
  }

  private unindex(entry: BookEntry): void {
    const o = entry.order;
    if (o.venueOrderId !== undefined && this.venueIndex.get(o.venueOrderId) === o.clientOrderId)
      this.venueIndex.delete(o.venueOrderId);
    if (entry.closeNo > 0) this.closedCount--;
    else this.removeOpen(o);
    entry.closeNo = -1; // its queue entry, if any, is stale from now on
    this.orders.delete(o.clientOrderId);
  }

  private removeOpen(o: Order): void {
    this.openIds.delete(o.clientOrderId);
    deleteFrom(this.openByInstrument, o.instrumentId, o.clientOrderId);
    deleteFrom(this.openByStrategy, o.strategyId, o.clientOrderId);
  }

  private markClosed(entry: BookEntry): void {
    const no = ++this.closeNo;
    entry.closeNo = no;
    this.closedCount++;
    this.closeQueueEntries.push(entry);
    this.closeQueueNos.push(no);
    while (this.closedCount > this.maxClosed) {
      const oldest = this.closeQueueEntries[this.closeQueueHead];
      const oldestNo = this.closeQueueNos[this.closeQueueHead++];
      // An entry removed from the book (or re-added) since is stale: skip it.
      if (oldest.closeNo !== oldestNo) continue;
      const o = oldest.order;
      oldest.closeNo = -1;
      this.closedCount--;
      this.orders.delete(o.clientOrderId);
      if (o.venueOrderId !== undefined && this.venueIndex.get(o.venueOrderId) === o.clientOrderId)
        this.venueIndex.delete(o.venueOrderId);
    }
    const queued = this.closeQueueEntries.length - this.closeQueueHead;
    if (queued > 2 * this.closedCount + 4096) {
      // Mostly stale entries (closed orders removed by add()): keep only the live ones.
      const entries: BookEntry[] = [];
      const nos: number[] = [];
      for (let i = this.closeQueueHead; i < this.closeQueueEntries.length; i++) {
        const e = this.closeQueueEntries[i];
        if (e.closeNo === this.closeQueueNos[i]) {
          entries.push(e);
          nos.push(e.closeNo);
        }
      }
      this.closeQueueEntries = entries;
      this.closeQueueNos = nos;
      this.closeQueueHead = 0;
    } else if (
      this.closeQueueHead > 4096 &&
      this.closeQueueHead * 2 > this.closeQueueEntries.length
    ) {
      this.closeQueueEntries = this.closeQueueEntries.slice(this.closeQueueHead);
      this.closeQueueNos = this.closeQueueNos.slice(this.closeQueueHead);
      this.closeQueueHead = 0;
    }
  }
}

function setOf<K, V>(m: Map<K, Set<V>>, k: K): Set<V> {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set<V>()));
  return s;
}

/**
 * Removes `v` from the set of `k`. An emptied set stays in the map for the next order of that
 * instrument or strategy (a strategy trading one instrument at a time would otherwise create and
 * drop a Set, and a Map entry, on every order); there is one per instrument or strategy ever seen.
 */
function deleteFrom<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  m.get(k)?.delete(v);
}

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
  /**
   * How many closed orders stay queryable (late fills, reconciliation); oldest evicted first.
   * Default 10,000. Evicted orders are freed in generations of max(this, 1,024) closes, so up to
   * twice that many may still occupy memory (never visible).
   */
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
 * closed (0 while open, -1 once evicted or removed from the book). An event replaces `order` in
 * place, so a transition costs no Map write, and the eviction queue recognises its stale entries by
 * comparing closing numbers, without a lookup.
 */
interface BookEntry {
  order: Order;
  closeNo: number;
}

/** Smallest number of closes between two rotations of the closed-order generations. */
const MIN_GENERATION = 1024;

export class OrderBook {
  /** Open orders (small, hot: most events are for them), in insertion order. */
  private readonly open = new Map<ClientOrderId, BookEntry>();
  /**
   * Closed orders in two generations. An evicted order is only marked (closeNo −1) and stays in
   * its generation's Map until the generation is dropped whole: deleting it from a 10,000-entry
   * Map (hashing and comparing keys that are no longer in any CPU cache) was the book's largest
   * cost per order. A generation is dropped once `generation` more orders closed after it, which
   * is at least `maxClosedOrders`, so every order it still holds was evicted (checked, see
   * {@link rotate}).
   */
  private closedNew = new Map<ClientOrderId, BookEntry>();
  private closedOld = new Map<ClientOrderId, BookEntry>();
  /** Venue order id → slot, in the same two generations (open orders are carried over). */
  private venueNew = new Map<VenueOrderId, BookEntry>();
  private venueOld = new Map<VenueOrderId, BookEntry>();
  private closesSinceRotation = 0;
  private readonly generation: number;
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
  private readonly maxClosed: number;

  constructor(private readonly options: OrderBookOptions = {}) {
    const m = options.maxClosedOrders ?? 10_000;
    if (!Number.isSafeInteger(m) || m < 0)
      throw new ValidationError('maxClosedOrders', m, 'must be a non-negative integer');
    this.maxClosed = m;
    this.generation = Math.max(m, MIN_GENERATION);
  }

  /** The slot of an order in the book (open or retained closed), if any. */
  private lookup(id: ClientOrderId): BookEntry | undefined {
    const e = this.open.get(id) ?? this.closedNew.get(id) ?? this.closedOld.get(id);
    return e === undefined || e.closeNo < 0 ? undefined : e;
  }

  /** Adds an order snapshot (e.g. created with `Order.create`); an existing id is replaced. */
  add(order: Order): void {
    const prev = this.lookup(order.clientOrderId);
    if (prev) this.unindex(prev);
    this.index(order);
  }

  /** Applies one event (OrderInitialized creates the order) and returns the transition. */
  apply(event: OrderEvent): Result<OrderTransition, OrderTransitionError> {
    const entry = this.lookup(event.clientOrderId);
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
      const existing = this.lookup(t.replacement.clientOrderId);
      if (existing) this.unindex(existing);
      this.index(t.replacement);
    }
    this.options.events?.onOrderEvent(event, t.order);
    return r;
  }

  /** The order with this client order id (open or retained closed). */
  get(id: ClientOrderId): Order | undefined {
    return this.lookup(id)?.order;
  }

  /** The order with this venue order id. */
  byVenueId(id: VenueOrderId): Order | undefined {
    const e = this.venueNew.get(id) ?? this.venueOld.get(id);
    return e === undefined || e.closeNo < 0 ? undefined : e.order;
  }

  /** Open orders, optionally of one instrument and/or strategy, in insertion order. */
  openOrders(filter: OpenOrderFilter = {}): Order[] {
    let ids: Iterable<ClientOrderId>;
    if (filter.instrumentId !== undefined)
      ids = this.openByInstrument.get(filter.instrumentId) ?? [];
    else if (filter.strategyId !== undefined)
      ids = this.openByStrategy.get(filter.strategyId) ?? [];
    else ids = this.open.keys();
    const out: Order[] = [];
    for (const id of ids) {
      const o = (this.open.get(id) as BookEntry).order;
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
    return {
      open: this.open.size,
      closed: this.closedCount,
      total: this.open.size + this.closedCount,
    };
  }

  /** Number of open orders (optionally for one instrument). */
  openCountFor(instrumentId?: InstrumentId): number {
    return instrumentId === undefined
      ? this.open.size
      : (this.openByInstrument.get(instrumentId)?.size ?? 0);
  }

  /** Plain JSON snapshot (open orders, then retained closed orders oldest first). */
  toSnapshot(): OrderBookSnapshot {
    const orders: OrderJson[] = [];
    for (const e of this.open.values()) orders.push(orderToJson(e.order));
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
      if (book.lookup(o.clientOrderId) !== undefined)
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
      this.venueNew.set(next.venueOrderId, entry);
    if (wasOpen && !isOpen) {
      this.removeOpen(prev);
      this.markClosed(entry);
    }
  }

  private index(o: Order): void {
    const id = o.clientOrderId;
    const entry: BookEntry = { order: o, closeNo: 0 };
    if (o.venueOrderId !== undefined) this.venueNew.set(o.venueOrderId, entry);
    if (isTerminalStatus(o.status)) {
      this.markClosed(entry);
    } else {
      this.open.set(id, entry);
      setOf(this.openByInstrument, o.instrumentId).add(id);
      setOf(this.openByStrategy, o.strategyId).add(id);
    }
  }

  /** Removes a slot from the book (add() of an existing id, an Alpaca-style replacement). */
  private unindex(entry: BookEntry): void {
    const o = entry.order;
    const id = o.clientOrderId;
    const v = o.venueOrderId;
    if (v !== undefined) {
      if (this.venueNew.get(v) === entry) this.venueNew.delete(v);
      if (this.venueOld.get(v) === entry) this.venueOld.delete(v);
    }
    if (entry.closeNo > 0) {
      this.closedCount--;
      if (this.closedNew.get(id) === entry) this.closedNew.delete(id);
      else this.closedOld.delete(id);
    } else this.removeOpen(o);
    entry.closeNo = -1; // its queue entry, if any, is stale from now on
  }

  private removeOpen(o: Order): void {
    this.open.delete(o.clientOrderId);
    deleteFrom(this.openByInstrument, o.instrumentId, o.clientOrderId);
    deleteFrom(this.openByStrategy, o.strategyId, o.clientOrderId);
  }

  private markClosed(entry: BookEntry): void {
    const no = ++this.closeNo;
    entry.closeNo = no;
    this.closedCount++;
    this.closedNew.set(entry.order.clientOrderId, entry);
    this.closeQueueEntries.push(entry);
    this.closeQueueNos.push(no);
    while (this.closedCount > this.maxClosed) {
      const oldest = this.closeQueueEntries[this.closeQueueHead];
      const oldestNo = this.closeQueueNos[this.closeQueueHead++];
      // An entry removed from the book (or re-added) since is stale: skip it.
      if (oldest.closeNo !== oldestNo) continue;
      oldest.closeNo = -1; // evicted: invisible; its Maps drop it with its generation
      this.closedCount--;
    }
    if (++this.closesSinceRotation >= this.generation) this.rotate();
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

  /**
   * Starts a new generation and drops the oldest. Every order closed before the current generation
   * began was evicted: `generation` ≥ `maxClosedOrders` orders closed after it. Orders removed from
   * the book since (add() of an id again) leave fewer than that in the current generation; any
   * still-visible order of the dropped generation is then carried over, so nothing visible is lost.
   * Open orders' venue ids are carried over too.
   */
  private rotate(): void {
    const dropped = this.closedOld;
    // With at least maxClosedOrders orders in the current generation (none removed), the newest
    // maxClosedOrders closed orders are all there: the dropped generation holds only evicted ones.
    const carry = this.closedNew.size < this.maxClosed;
    this.closedOld = this.closedNew;
    this.closedNew = new Map();
    this.venueOld = this.venueNew;
    this.venueNew = new Map();
    if (carry)
      for (const [id, e] of dropped)
        if (e.closeNo > 0) {
          this.closedOld.set(id, e);
          const v = e.order.venueOrderId;
          if (v !== undefined) this.venueOld.set(v, e);
        }
    for (const e of this.open.values())
      if (e.order.venueOrderId !== undefined) this.venueNew.set(e.order.venueOrderId, e);
    this.closesSinceRotation = 0;
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

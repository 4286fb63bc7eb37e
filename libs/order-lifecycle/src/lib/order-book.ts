import {
  ClientOrderId,
  InstrumentId,
  Result,
  SeenIds,
  StrategyId,
  ValidationError,
  VenueOrderId,
} from '@trading/domain';
import { isTerminalStatus } from './order-status';
import { OrderEvent } from './order-events';
import { Order, OrderJson, orderFromJson, orderToJson } from './order';
import {
  ApplyOrderEventOptions,
  createOrder,
  orderEventOutcome,
  OrderTransition,
  OrderTransitionError,
  transitionResult,
} from './order-state-machine';
import { OrderEvents } from './order-events.port';
import { encodeOrderRequest } from './order-request';

/** Options of an {@link OrderBook}. */
export interface OrderBookOptions {
  /**
   * How many closed orders stay queryable (late fills, reconciliation); oldest evicted first.
   * Default 10,000. Evicted orders are freed in batches of max(this, 1,024), so up to twice that
   * many may still occupy memory (never visible).
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
 * The book's slot of one order: the current snapshot, the closing number it was given when it
 * closed (0 while open) and whether it was removed from the book. An event replaces `order` in
 * place, so a transition costs no Map write. A closed slot is visible while its closing number is
 * at or above the book's visibility threshold, so eviction never has to touch the (long cold) slot.
 */
interface BookEntry {
  order: Order;
  closeNo: number;
  /** Removed from the book (add() of its id again, a replacement): never visible again. */
  removed: boolean;
  /** Links in the open lists of its instrument and strategy while open (null otherwise). */
  byInstrument: OpenList | null;
  prevI: BookEntry | null;
  nextI: BookEntry | null;
  byStrategy: OpenList | null;
  prevS: BookEntry | null;
  nextS: BookEntry | null;
}

/**
 * The open orders of one instrument or strategy as a doubly linked list through their slots, in
 * insertion order: opening and closing an order relinks two pointers instead of adding to and
 * deleting from a Set (whose deleted entries make V8 rehash, i.e. allocate, every few orders).
 * One list per instrument or strategy ever seen; an emptied list stays for the next order.
 */
interface OpenList {
  head: BookEntry | null;
  tail: BookEntry | null;
  size: number;
}

/** Smallest number of dropped slots that triggers a compaction of the closed log. */
const MIN_COMPACTION = 1024;

/**
 * Open (and recently closed) orders, indexed by client order id, venue order id, instrument and
 * strategy. `apply` runs the pure state machine and keeps the indexes; it never throws for a bad
 * event (it returns the typed error). Replays of OrderInitialized with an identical request are
 * tolerated (`duplicate: true`).
 */
export class OrderBook {
  /** Open orders (small, hot: most events are for them), in insertion order. */
  private readonly open = new Map<ClientOrderId, BookEntry>();
  /**
   * Closed slots in closing order (consecutive closing numbers; a slot removed later keeps its
   * place, invisible, until the threshold passes it). Closing an order is an append: most closed orders
   * are never looked up again (a backtest never asks), so they are indexed by id only when a
   * lookup misses the open Map ({@link closedIndex}). Inserting every closed order into a
   * 10,000-entry Map, cold in cache, was the book's largest remaining cost per order.
   */
  private closedLog: BookEntry[] = [];
  /** Client order id → closed slot, for `closedLog[0 … indexedTo)`; built lazily, may hold stale slots. */
  private closedIndex = new Map<ClientOrderId, BookEntry>();
  private indexedTo = 0;
  /**
   * Venue order id → slot (open and closed). Built on the first {@link byVenueId} call and
   * maintained from then on, rebuilt after a compaction: a book nobody asks by venue id (a
   * backtest) does not pay a Map insert per order for it.
   */
  private venueIndex = new Map<VenueOrderId, BookEntry>();
  private venueIndexed = false;
  /** Dropped slots that trigger a compaction of the log (≥ maxClosedOrders). */
  private readonly compactAfter: number;
  private readonly openByInstrument = new Map<InstrumentId, OpenList>();
  private readonly openByStrategy = new Map<StrategyId, OpenList>();
  /** Number of visible closed orders. */
  private closedCount = 0;
  /** Closing numbers are consecutive (1, 2, …): a closed slot is visible iff closeNo ≥ this. */
  private visibleFromNo = 1;
  /**
   * Closing numbers at or above {@link visibleFromNo} whose slot was removed from the book since
   * (add() of the id again, a replacement): eviction skips them, as they no longer count.
   */
  private readonly removedNos = new Set<number>();
  private closeNo = 0;
  private readonly maxClosed: number;
  /**
   * Every `<prefix>-<n>` id ever indexed (one bit each; ids of other forms are not kept), so an
   * OrderInitialized for a fresh id skips the lookups in the open and closed Maps.
   */
  private readonly everIndexed = new SeenIds({ otherIds: 'forget' });

  constructor(private readonly options: OrderBookOptions = {}) {
    const m = options.maxClosedOrders ?? 10_000;
    if (!Number.isSafeInteger(m) || m < 0)
      throw new ValidationError('maxClosedOrders', m, 'must be a non-negative integer');
    this.maxClosed = m;
    this.compactAfter = Math.max(m, MIN_COMPACTION);
  }

  /** Open, or closed and not evicted (a removed slot, closeNo −1, is below any threshold). */
  private visible(e: BookEntry): boolean {
    return !e.removed && (e.closeNo === 0 || e.closeNo >= this.visibleFromNo);
  }

  /** The slot of an order in the book (open or retained closed), if any. */
  private lookup(id: ClientOrderId): BookEntry | undefined {
    const o = this.open.get(id);
    if (o !== undefined) return o;
    const log = this.closedLog;
    if (this.indexedTo < log.length) {
      // index the closes since the last lookup (a re-closed id's newer slot overwrites its older)
      for (let i = this.indexedTo; i < log.length; i++) {
        const e = log[i];
        if (!e.removed) this.closedIndex.set(e.order.clientOrderId, e);
      }
      this.indexedTo = log.length;
    }
    const e = this.closedIndex.get(id);
    return e !== undefined && this.visible(e) ? e : undefined;
  }

  /** Adds an order snapshot (e.g. created with `Order.create`); an existing id is replaced. */
  add(order: Order): void {
    const prev = this.lookup(order.clientOrderId);
    if (prev) this.unindex(prev);
    this.index(order);
  }

  /** Applies one event (OrderInitialized creates the order) and returns the transition. */
  apply(event: OrderEvent): Result<OrderTransition, OrderTransitionError> {
    return transitionResult(this.applyEvent(event));
  }

  /**
   * {@link apply} without the Result wrapper (one object less per event for hot callers): the
   * transition, or the error (`instanceof OrderTransitionError`). The same book updates,
   * notifications and objects as `apply`.
   */
  applyEvent(event: OrderEvent): OrderTransition | OrderTransitionError {
    const id = event.clientOrderId;
    if (event.type === 'OrderInitialized') {
      // A new order's id was never indexed: skip three Map lookups that would all miss (and
      // record it now, with the same scan of the id, instead of in index()).
      const fresh = this.everIndexed.addIfNew(id);
      const current = fresh ? undefined : this.lookup(id)?.order;
      if (current) {
        const same =
          JSON.stringify(encodeOrderRequest(current.request)) ===
          JSON.stringify(encodeOrderRequest(event.request));
        if (same && current.status === 'INITIALIZED')
          return {
            order: current,
            previous: current,
            event,
            changed: false,
            duplicate: true,
            fillQty: undefined,
            overfill: undefined,
            missingQty: undefined,
            replacement: undefined,
          };
        return new OrderTransitionError(
          'DUPLICATE_ORDER',
          `OrderInitialized for ${event.clientOrderId}: the order already exists (${current.status})`,
          event.clientOrderId,
          current.status,
          event.type,
        );
      }
      const order = createOrder(event);
      this.index(order, fresh);
      this.options.events?.onOrderEvent(event, order);
      return {
        order,
        previous: undefined,
        event,
        changed: true,
        duplicate: false,
        fillQty: undefined,
        overfill: undefined,
        missingQty: undefined,
        replacement: undefined,
      };
    }
    const entry = this.lookup(id);
    if (entry === undefined)
      return new OrderTransitionError(
        'UNKNOWN_ORDER',
        `${event.type} for unknown order ${event.clientOrderId}`,
        event.clientOrderId,
        undefined,
        event.type,
      );
    const t = orderEventOutcome(entry.order, event, this.options.apply);
    if (t instanceof OrderTransitionError || !t.changed) return t;
    this.replace(entry, t.order);
    if (t.replacement) {
      const existing = this.lookup(t.replacement.clientOrderId);
      if (existing) this.unindex(existing);
      this.index(t.replacement);
    }
    this.options.events?.onOrderEvent(event, t.order);
    return t;
  }

  /** The order with this client order id (open or retained closed). */
  get(id: ClientOrderId): Order | undefined {
    return this.lookup(id)?.order;
  }

  /** The order with this venue order id. */
  byVenueId(id: VenueOrderId): Order | undefined {
    if (!this.venueIndexed) this.indexVenueIds();
    const e = this.venueIndex.get(id);
    return e !== undefined && this.visible(e) ? e.order : undefined;
  }

  /** Open orders, optionally of one instrument and/or strategy, in insertion order. */
  openOrders(filter: OpenOrderFilter = {}): Order[] {
    const out: Order[] = [];
    const sid = filter.strategyId;
    if (filter.instrumentId !== undefined) {
      const list = this.openByInstrument.get(filter.instrumentId);
      for (let e = list?.head ?? null; e !== null; e = e.nextI)
        if (sid === undefined || e.order.strategyId === sid) out.push(e.order);
    } else if (sid !== undefined) {
      const list = this.openByStrategy.get(sid);
      for (let e = list?.head ?? null; e !== null; e = e.nextS) out.push(e.order);
    } else for (const e of this.open.values()) out.push(e.order);
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

  /** Calls `f` with every visible closed order, oldest closed first. */
  private forEachClosed(f: (o: Order) => void): void {
    for (const e of this.closedLog) if (!e.removed && e.closeNo >= this.visibleFromNo) f(e.order);
  }

  private replace(entry: BookEntry, next: Order): void {
    const prev = entry.order;
    const wasOpen = !isTerminalStatus(prev.status);
    const isOpen = !isTerminalStatus(next.status);
    entry.order = next;
    if (
      this.venueIndexed &&
      next.venueOrderId !== undefined &&
      next.venueOrderId !== prev.venueOrderId
    )
      this.venueIndex.set(next.venueOrderId, entry);
    if (wasOpen && !isOpen) {
      this.removeOpen(entry);
      this.markClosed(entry);
    }
  }

  /** Adds a slot for `o`; `recorded`: its id is already in {@link everIndexed}. */
  private index(o: Order, recorded = false): void {
    const id = o.clientOrderId;
    const entry: BookEntry = {
      order: o,
      closeNo: 0,
      removed: false,
      byInstrument: null,
      prevI: null,
      nextI: null,
      byStrategy: null,
      prevS: null,
      nextS: null,
    };
    if (!recorded) this.everIndexed.add(id);
    if (this.venueIndexed && o.venueOrderId !== undefined)
      this.venueIndex.set(o.venueOrderId, entry);
    if (isTerminalStatus(o.status)) {
      this.markClosed(entry);
    } else {
      this.open.set(id, entry);
      // append to its instrument's and its strategy's open lists
      const li = listOf(this.openByInstrument, o.instrumentId);
      entry.byInstrument = li;
      entry.prevI = li.tail;
      if (li.tail === null) li.head = entry;
      else li.tail.nextI = entry;
      li.tail = entry;
      li.size++;
      const ls = listOf(this.openByStrategy, o.strategyId);
      entry.byStrategy = ls;
      entry.prevS = ls.tail;
      if (ls.tail === null) ls.head = entry;
      else ls.tail.nextS = entry;
      ls.tail = entry;
      ls.size++;
    }
  }

  /** Removes a slot from the book (add() of an existing id, an Alpaca-style replacement). */
  private unindex(entry: BookEntry): void {
    const v = entry.order.venueOrderId;
    if (this.venueIndexed && v !== undefined && this.venueIndex.get(v) === entry)
      this.venueIndex.delete(v);
    if (entry.closeNo > 0) {
      // only visible slots are looked up, hence removed: their number no longer counts; the slot
      // stays in the log (invisible) until the threshold passes it
      this.closedCount--;
      this.removedNos.add(entry.closeNo);
    } else this.removeOpen(entry);
    entry.removed = true;
  }

  /** Takes an open slot out of the open Map and unlinks it from its two open lists. */
  private removeOpen(entry: BookEntry): void {
    this.open.delete(entry.order.clientOrderId);
    const li = entry.byInstrument;
    if (li !== null) {
      if (entry.prevI === null) li.head = entry.nextI;
      else entry.prevI.nextI = entry.nextI;
      if (entry.nextI === null) li.tail = entry.prevI;
      else entry.nextI.prevI = entry.prevI;
      li.size--;
      entry.byInstrument = entry.prevI = entry.nextI = null;
    }
    const ls = entry.byStrategy;
    if (ls !== null) {
      if (entry.prevS === null) ls.head = entry.nextS;
      else entry.prevS.nextS = entry.nextS;
      if (entry.nextS === null) ls.tail = entry.prevS;
      else entry.nextS.prevS = entry.prevS;
      ls.size--;
      entry.byStrategy = entry.prevS = entry.nextS = null;
    }
  }

  private markClosed(entry: BookEntry): void {
    entry.closeNo = ++this.closeNo;
    this.closedCount++;
    this.closedLog.push(entry);
    while (this.closedCount > this.maxClosed) {
      // evict the oldest visible close: move the threshold past it (and past removed numbers)
      const no = this.visibleFromNo++;
      if (this.removedNos.size > 0 && this.removedNos.delete(no)) continue;
      this.closedCount--;
    }
    // the log holds consecutive closing numbers from its first slot's: the evicted prefix is known
    // without reading the (cold) slots
    if (this.visibleFromNo - this.closedLog[0].closeNo >= this.compactAfter) this.compact();
  }

  /**
   * Drops the evicted prefix of the log (at least `compactAfter` ≥ `maxClosedOrders` slots, so it
   * runs at most once per that many closes: amortized O(1) per close, copying pointers only). The id
   * index is rebuilt on the next lookup that needs it, the venue index on the next venue lookup.
   */
  private compact(): void {
    this.closedLog = this.closedLog.slice(this.visibleFromNo - this.closedLog[0].closeNo);
    if (this.indexedTo > 0) {
      this.closedIndex = new Map();
      this.indexedTo = 0;
    }
    if (this.venueIndexed) {
      this.venueIndexed = false;
      this.venueIndex = new Map();
    }
  }

  /** Builds the venue-id index from every visible order (first {@link byVenueId} call). */
  private indexVenueIds(): void {
    this.venueIndexed = true;
    for (const e of this.closedLog)
      if (e.order.venueOrderId !== undefined && this.visible(e))
        this.venueIndex.set(e.order.venueOrderId, e);
    for (const e of this.open.values())
      if (e.order.venueOrderId !== undefined) this.venueIndex.set(e.order.venueOrderId, e);
  }
}

function listOf<K>(m: Map<K, OpenList>, k: K): OpenList {
  let l = m.get(k);
  if (l === undefined) m.set(k, (l = { head: null, tail: null, size: 0 }));
  return l;
}

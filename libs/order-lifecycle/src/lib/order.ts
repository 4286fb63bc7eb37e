import {
  ClientOrderId,
  clientOrderId,
  Currency,
  Decimal,
  InstrumentId,
  LiquiditySide,
  Money,
  OrderSide,
  OrderType,
  Price,
  Quantity,
  StrategyId,
  TimeInForce,
  tradeId,
  TradeId,
  ValidationError,
  venueOrderId,
  VenueOrderId,
  ZERO,
} from '@trading/domain';
import { ALL_ORDER_STATUSES, isTerminalStatus, OrderStatus } from './order-status';
import {
  encodeOrderRequest,
  OrderRequest,
  OrderRequestJson,
  parseOrderRequest,
} from './order-request';
import { MoneyJson } from './order-events';
import {
  readEnum,
  readMoney,
  readObject,
  readOptString,
  readPx,
  readQty,
  readString,
  readTime,
} from './json-read';

/** One applied execution of an order. */
export interface OrderFill {
  readonly tradeId: TradeId;
  /** Quantity applied to the order (normalised increment; 0 for a stale cumulative report). */
  readonly qty: Quantity;
  /** Quantity as the venue reported it (`lastQty` of the event). */
  readonly lastQty: Quantity;
  readonly px: Price;
  readonly commission: Money;
  readonly liquiditySide: LiquiditySide;
  readonly tsEvent: number;
}

/** Mutable-in-construction view of an order's fields, used by {@link Order.with}. */
export interface OrderFields {
  readonly request: OrderRequest;
  readonly status: OrderStatus;
  readonly resumeStatus: OrderStatus;
  readonly venueOrderId: VenueOrderId | undefined;
  readonly executedQty: Decimal;
  readonly executedNotional: Decimal;
  readonly fills: readonly OrderFill[];
  readonly replaces: ClientOrderId | undefined;
  readonly replacedBy: ClientOrderId | undefined;
  readonly tsInit: number;
  readonly tsLast: number;
  readonly eventCount: number;
}

const EMPTY_FILLS: readonly OrderFill[] = Object.freeze([]);
/** Domain's ZERO, read once (a read of an import is a call of a re-export getter each time). */
const NONE = ZERO;

/**
 * The fields of an {@link Order} that most events keep. Consecutive snapshots share one (an order
 * is four snapshots on the common path: a shared core makes each 32 bytes smaller, and tsInit,
 * a double, is boxed once instead of once per snapshot). Never mutated.
 */
interface OrderCore {
  readonly request: OrderRequest;
  readonly resumeStatus: OrderStatus;
  readonly replaces: ClientOrderId | undefined;
  readonly replacedBy: ClientOrderId | undefined;
  readonly tsInit: number;
}

/** The lazily computed figures of one {@link Order} snapshot (undefined: not computed yet). */
interface OrderDerived {
  filled: Quantity | undefined;
  leaves: Quantity | undefined;
  avgPx: Price | null | undefined;
  commissions: readonly Money[] | undefined;
  notional: Decimal | undefined;
}

function newDerived(): OrderDerived {
  return {
    filled: undefined,
    leaves: undefined,
    avgPx: undefined,
    commissions: undefined,
    notional: undefined,
  };
}

/**
 * Immutable snapshot of an order. Every event produces a new snapshot (see `applyOrderEvent`);
 * derived figures (filledQty, leavesQty, avgPx, commissions) are computed lazily and cached,
 * which is invisible from outside.
 *
 * Quantities: `executedQty` = Σ applied fill quantities (may exceed `quantity` on an overfill);
 * `filledQty` = min(executedQty, quantity) never decreases and never exceeds `quantity`;
 * `overfillQty` = max(0, executedQty − quantity). `avgPx` = Σ(p·q) / Σq exactly (40 digits).
 */
export class Order {
  /** Request, resume status, replace links and tsInit: kept by most events, so shared (see OrderCore). */
  private readonly core: OrderCore;
  /**
   * Derived figures computed so far, made on the first read of one (one field instead of five:
   * every event makes a snapshot, and the hot path never reads them).
   */
  private derived: OrderDerived | undefined = undefined;

  /**
   * @internal Use {@link Order.create}, `applyOrderEvent` or {@link orderFromJson}. `core`: the
   * shared fields of the snapshot this one follows, reused when they are the ones given.
   */
  constructor(
    /** The (possibly submission-sized or replaced-in-place) request. */
    request: OrderRequest,
    readonly status: OrderStatus,
    /** Status to return to when a pending cancel/replace is rejected. */
    resumeStatus: OrderStatus,
    readonly venueOrderId: VenueOrderId | undefined,
    /** Σ of applied fill quantities (includes any overfill). */
    readonly executedQty: Decimal,
    /** Σ(price × quantity) over `fills[0 .. notionalFills)`; the rest is added lazily. */
    private readonly notionalBase: Decimal,
    private readonly notionalFills: number,
    /** Applied fills in arrival order (trade ids seen). */
    readonly fills: readonly OrderFill[],
    /** The order this one replaced (Alpaca-style replace). */
    replaces: ClientOrderId | undefined,
    /** The order that replaced this one (status REPLACED). */
    replacedBy: ClientOrderId | undefined,
    /** Local time the order was initialized. */
    tsInit: number,
    /** `tsEvent` of the last event that changed the order. */
    readonly tsLast: number,
    /** Number of events that changed the order (including OrderInitialized). */
    readonly eventCount: number,
    core?: OrderCore,
  ) {
    this.core =
      core !== undefined &&
      core.request === request &&
      core.resumeStatus === resumeStatus &&
      core.replaces === replaces &&
      core.replacedBy === replacedBy &&
      core.tsInit === tsInit
        ? core
        : { request, resumeStatus, replaces, replacedBy, tsInit };
  }

  /** The (possibly submission-sized or replaced-in-place) request. */
  get request(): OrderRequest {
    return this.core.request;
  }
  /** Status to return to when a pending cancel/replace is rejected. */
  get resumeStatus(): OrderStatus {
    return this.core.resumeStatus;
  }
  /** The order this one replaced (Alpaca-style replace). */
  get replaces(): ClientOrderId | undefined {
    return this.core.replaces;
  }
  /** The order that replaced this one (status REPLACED). */
  get replacedBy(): ClientOrderId | undefined {
    return this.core.replacedBy;
  }
  /** Local time the order was initialized. */
  get tsInit(): number {
    return this.core.tsInit;
  }

  /** A new INITIALIZED order from a validated request. */
  static create(request: OrderRequest, tsInit: number, tsEvent = tsInit): Order {
    return new Order(
      request,
      'INITIALIZED',
      'INITIALIZED',
      undefined,
      NONE,
      NONE,
      0,
      EMPTY_FILLS,
      undefined,
      undefined,
      tsInit,
      tsEvent,
      1,
    );
  }

  /**
   * The snapshot after one more fill (internal fast path of the state machine): Σ(p·q) is not
   * computed here but on the first read of `executedNotional` / `avgPx`.
   */
  withFill(
    status: OrderStatus,
    venueOrderId: VenueOrderId | undefined,
    executedQty: Decimal,
    fills: readonly OrderFill[],
    tsLast: number,
  ): Order {
    const known = this.derived?.notional;
    const c = this.core;
    return new Order(
      c.request,
      status,
      c.resumeStatus,
      venueOrderId,
      executedQty,
      known ?? this.notionalBase,
      known === undefined ? this.notionalFills : this.fills.length,
      fills,
      c.replaces,
      c.replacedBy,
      c.tsInit,
      tsLast,
      this.eventCount + 1,
      c,
    );
  }

  /** A copy with some non-fill fields changed (internal building block of the state machine). */
  with(c: Partial<Omit<OrderFields, 'executedQty' | 'executedNotional' | 'fills'>>): Order {
    const known = this.derived?.notional;
    const core = this.core;
    return new Order(
      c.request ?? core.request,
      c.status ?? this.status,
      c.resumeStatus ?? core.resumeStatus,
      c.venueOrderId ?? this.venueOrderId,
      this.executedQty,
      known ?? this.notionalBase,
      known === undefined ? this.notionalFills : this.fills.length,
      this.fills,
      c.replaces ?? core.replaces,
      c.replacedBy ?? core.replacedBy,
      c.tsInit ?? core.tsInit,
      c.tsLast ?? this.tsLast,
      c.eventCount ?? this.eventCount + 1,
      core,
    );
  }

  /**
   * A copy with a new status, venue order id and `tsLast` and one more event (internal fast path
   * of the state machine: the same snapshot as `with({ status, venueOrderId, tsLast })` for a
   * defined `venueOrderId`, without the field object).
   */
  withStatus(status: OrderStatus, venueOrderId: VenueOrderId | undefined, tsLast: number): Order {
    const known = this.derived?.notional;
    const c = this.core;
    return new Order(
      c.request,
      status,
      c.resumeStatus,
      venueOrderId,
      this.executedQty,
      known ?? this.notionalBase,
      known === undefined ? this.notionalFills : this.fills.length,
      this.fills,
      c.replaces,
      c.replacedBy,
      c.tsInit,
      tsLast,
      this.eventCount + 1,
      c,
    );
  }

  get clientOrderId(): ClientOrderId {
    return this.request.clientOrderId;
  }
  get strategyId(): StrategyId {
    return this.request.strategyId;
  }
  get instrumentId(): InstrumentId {
    return this.request.instrumentId;
  }
  get side(): OrderSide {
    return this.request.side;
  }
  get type(): OrderType {
    return this.request.type;
  }
  get timeInForce(): TimeInForce {
    return this.request.timeInForce;
  }
  /** Total order quantity. */
  get quantity(): Quantity {
    return this.request.quantity;
  }
  get limitPrice(): Price | undefined {
    return this.request.limitPrice;
  }
  get stopPrice(): Price | undefined {
    return this.request.stopPrice;
  }
  /** True while the order may still execute. */
  get isOpen(): boolean {
    return !isTerminalStatus(this.status);
  }
  /** True for FILLED, CANCELED, REPLACED, REJECTED, EXPIRED. */
  get isTerminal(): boolean {
    return isTerminalStatus(this.status);
  }
  /** min(executedQty, quantity): never decreases, never exceeds quantity. */
  get filledQty(): Quantity {
    const d = (this.derived ??= newDerived());
    if (d.filled === undefined) {
      const q = this.request.quantity;
      d.filled = this.executedQty.gte(q.value)
        ? q
        : this.executedQty.isZero()
          ? Quantity.ZERO
          : Quantity.fromDecimal(this.executedQty);
    }
    return d.filled;
  }
  /** Quantity still working: quantity − filledQty while open, 0 once terminal. */
  get leavesQty(): Quantity {
    const d = (this.derived ??= newDerived());
    if (d.leaves === undefined) {
      d.leaves = this.isTerminal
        ? Quantity.ZERO
        : Quantity.fromDecimal(this.request.quantity.value.sub(this.filledQty.value));
    }
    return d.leaves;
  }
  /** Executed quantity beyond the order quantity (zero unless the venue overfilled). */
  get overfillQty(): Quantity {
    return this.executedQty.gt(this.request.quantity.value)
      ? Quantity.fromDecimal(this.executedQty.sub(this.request.quantity.value))
      : Quantity.ZERO;
  }
  /** True when the venue executed more than the order quantity (the engine must raise an alert). */
  get isOverfilled(): boolean {
    return this.executedQty.gt(this.request.quantity.value);
  }
  /** Σ(price × quantity) over applied fills, exact; computed on first read and cached. */
  get executedNotional(): Decimal {
    const d = (this.derived ??= newDerived());
    if (d.notional === undefined) {
      let n = this.notionalBase;
      const fills = this.fills;
      for (let i = this.notionalFills; i < fills.length; i++) {
        const f = fills[i];
        if (!f.qty.value.isZero()) n = n.add(f.px.value.mul(f.qty.value));
      }
      d.notional = n;
    }
    return d.notional;
  }
  /** Exact average fill price Σ(p·q)/Σq, or undefined before the first fill. Computed once per snapshot. */
  get avgPx(): Price | undefined {
    const d = (this.derived ??= newDerived());
    if (d.avgPx === undefined) {
      d.avgPx = this.executedQty.isZero()
        ? null
        : Price.fromDecimal(this.executedNotional.div(this.executedQty));
    }
    return d.avgPx ?? undefined;
  }
  /** Commissions summed per currency (one entry per currency, in first-seen order). */
  get commissions(): readonly Money[] {
    const d = (this.derived ??= newDerived());
    if (d.commissions === undefined) {
      const by = new Map<Currency, Money>();
      for (const f of this.fills) {
        const prev = by.get(f.commission.currency);
        by.set(f.commission.currency, prev ? prev.add(f.commission) : f.commission);
      }
      d.commissions = Object.freeze([...by.values()]);
    }
    return d.commissions;
  }
  /** True when a fill with this trade id was already applied. */
  hasTrade(id: TradeId): boolean {
    for (const f of this.fills) if (f.tradeId === id) return true;
    return false;
  }
  /** JSON form (see {@link orderToJson}). */
  toJSON(): OrderJson {
    return orderToJson(this);
  }
}

/** JSON form of an {@link OrderFill}. */
export interface OrderFillJson {
  tradeId: string;
  qty: string;
  lastQty: string;
  px: string;
  commission: MoneyJson;
  liquiditySide: string;
  tsEvent: number;
}

/** JSON form of an {@link Order} (for snapshots). */
export interface OrderJson {
  request: OrderRequestJson;
  status: OrderStatus;
  resumeStatus: OrderStatus;
  venueOrderId?: string;
  executedQty: string;
  executedNotional: string;
  fills: OrderFillJson[];
  replaces?: string;
  replacedBy?: string;
  tsInit: number;
  tsLast: number;
  eventCount: number;
}

/** Encodes an order snapshot as plain JSON. */
export function orderToJson(o: Order): OrderJson {
  const j: OrderJson = {
    request: encodeOrderRequest(o.request),
    status: o.status,
    resumeStatus: o.resumeStatus,
    executedQty: o.executedQty.toFixed(),
    executedNotional: o.executedNotional.toFixed(),
    fills: o.fills.map((f) => ({
      tradeId: f.tradeId,
      qty: f.qty.toString(),
      lastQty: f.lastQty.toString(),
      px: f.px.toString(),
      commission: { amount: f.commission.amount.toFixed(), currency: f.commission.currency },
      liquiditySide: f.liquiditySide,
      tsEvent: f.tsEvent,
    })),
    tsInit: o.tsInit,
    tsLast: o.tsLast,
    eventCount: o.eventCount,
  };
  if (o.venueOrderId) j.venueOrderId = o.venueOrderId;
  if (o.replaces) j.replaces = o.replaces;
  if (o.replacedBy) j.replacedBy = o.replacedBy;
  return j;
}

/**
 * Decodes and validates an order snapshot. Checks that executedQty equals the sum of the fills'
 * quantities (a corrupted snapshot fails loudly instead of producing wrong positions).
 */
export function orderFromJson(json: unknown, path = 'order'): Order {
  const o = readObject(json, path);
  const request = parseOrderRequest(readObject(o['request'], `${path}.request`), `${path}.request`);
  const status = readEnum(o, 'status', path, ALL_ORDER_STATUSES);
  const resumeStatus = readEnum(o, 'resumeStatus', path, ALL_ORDER_STATUSES);
  const vid = readOptString(o, 'venueOrderId', path);
  const executedQty = readQty(o, 'executedQty', path, true).value;
  const notionalText = o['executedNotional'];
  if (typeof notionalText !== 'string')
    throw new ValidationError(`${path}.executedNotional`, notionalText, 'must be a decimal string');
  const executedNotional = Price.of(notionalText, `${path}.executedNotional`).value;
  if (!Array.isArray(o['fills']))
    throw new ValidationError(`${path}.fills`, o['fills'], 'must be an array');
  let sum = ZERO;
  const fills: OrderFill[] = (o['fills'] as unknown[]).map((raw, i) => {
    const p = `${path}.fills[${i}]`;
    const f = readObject(raw, p);
    const fill: OrderFill = {
      tradeId: tradeId(readString(f, 'tradeId', p)),
      qty: readQty(f, 'qty', p, true),
      lastQty: readQty(f, 'lastQty', p, true),
      px: readPx(f, 'px', p),
      commission: readMoney(f, 'commission', p),
      liquiditySide: readEnum(f, 'liquiditySide', p, ['MAKER', 'TAKER', 'NONE'] as const),
      tsEvent: readTime(f, 'tsEvent', p),
    };
    sum = sum.add(fill.qty.value);
    return fill;
  });
  if (!sum.eq(executedQty))
    throw new ValidationError(
      `${path}.executedQty`,
      o['executedQty'],
      `must equal the sum of fill quantities ${sum.toFixed()}`,
    );
  const replaces = readOptString(o, 'replaces', path);
  const replacedBy = readOptString(o, 'replacedBy', path);
  const eventCount = o['eventCount'];
  if (typeof eventCount !== 'number' || !Number.isSafeInteger(eventCount) || eventCount < 1)
    throw new ValidationError(`${path}.eventCount`, eventCount, 'must be a positive integer');
  return new Order(
    request,
    status,
    resumeStatus,
    vid === undefined ? undefined : venueOrderId(vid),
    executedQty,
    executedNotional,
    fills.length,
    Object.freeze(fills),
    replaces === undefined ? undefined : clientOrderId(replaces),
    replacedBy === undefined ? undefined : clientOrderId(replacedBy),
    readTime(o, 'tsInit', path),
    readTime(o, 'tsLast', path),
    eventCount,
  );
}

import {
  AccountId,
  accountId as toAccountId,
  Bar,
  ClientOrderId,
  Currency,
  Decimal,
  exchangeDate,
  Instrument,
  InstrumentId,
  Money,
  OrderSide,
  Price,
  Quantity,
  SeenIds,
  Tick,
  TradeId,
  TradingDecimal,
  USD,
  VenueOrderId,
  ZERO as ZERO_IMPORTED,
  POW10 as POW10_IMPORTED,
  decimalOfNumber as decimalOfNumberImported,
  toNumberExact as toNumberExactImported,
  scaledInt as scaledIntImported,
  rememberScaled as rememberScaledImported,
  Scaled,
} from '@trading/domain';
import {
  AccountSnapshot,
  Broker,
  CancelOrderCommand,
  ExecutionReport,
  ReplaceOrderCommand,
  SubmitOrderCommand,
  VenueOrder,
  VenuePosition,
} from '../broker.port';
import {
  CommissionModel,
  FillModelConfig,
  fillModelConfig,
  NO_COMMISSION,
  roundAdverse,
  SlippageModel,
  slippageModel,
} from './cost-models';
import { CompositeCommission } from './composite-commission';
import { divRound, ExactValue } from './exact-value';

// Module-local aliases: an import from another lib is read through a re-export getter on every
// use (CommonJS output), and these run on every order and fill.
const ZERO = ZERO_IMPORTED;
const decimalOfNumber = decimalOfNumberImported;
const toNumberExact = toNumberExactImported;
const scaledInt = scaledIntImported;
const rememberScaled = rememberScaledImported;
/** Scratch of {@link scaledInt} reads. */
const tickScratch: Scaled = { n: 0, scale: 0 };
const POW10 = POW10_IMPORTED;
const exchangeDateOf = exchangeDate;
const PriceClass: typeof Price = Price;
const QuantityClass: typeof Quantity = Quantity;
const MoneyClass: typeof Money = Money;

/** Source of simulated time (satisfied by `SimulatedClock` from @trading/clock). */
export interface TimeSource {
  now(): number;
}

/** Options of {@link SimulatedExchange}. */
export interface SimulatedExchangeOptions {
  /** Venue code (default `SIM`). */
  venue?: string;
  /** Simulated time: reports are stamped with it. */
  clock: TimeSource;
  /** Tradable instruments (orders for others are rejected). */
  instruments: readonly Instrument[];
  fill?: FillModelConfig;
  commission?: CommissionModel;
  slippage?: SlippageModel;
  /** Starting cash of the venue-side account (for `account()`); default 0. */
  startingCash?: Decimal;
  currency?: Currency;
  accountId?: string;
}

/**
 * An order at the simulated exchange. Kept small: a plain market order is one object of ten
 * fields (its trigger state is null and its quantity value shared), so a round trip allocates
 * little at the exchange.
 */
interface SimOrder {
  readonly cmd: SubmitOrderCommand;
  readonly venueOrderId: VenueOrderId;
  readonly instrument: Instrument;
  readonly book: BookState;
  /** Submission number (1, 2, …): {@link SimulatedExchange.openOrders} lists orders in this order. */
  readonly seq: number;
  /**
   * The order quantity. Never changed in place: orders with the same quantity decimal share one
   * value, and a replace gives the order a new one.
   */
  quantity: ExactValue;
  /** Limit, stop and trailing state; null for an order without any (a plain market order). */
  readonly prices: OrderPrices | null;
  /** Cumulative fills; null while nothing has filled (all three zero). */
  totals: OrderTotals | null;
  /** Exchange-local session date of the first bar the order was active on (DAY expiry). */
  sessionDate: string | null;
  /** True while the order rests in its book (until filled, cancelled or expired). */
  open: boolean;
}

/** The prices of an order with a limit price, a stop price or a trailing stop. */
interface OrderPrices {
  limitPrice: Decimal | undefined;
  stopPrice: Decimal | undefined;
  /** Number views of the trigger prices for fast bar checks. */
  limitNum: number;
  stopNum: number;
  /** True once a stop-limit order's stop has triggered. */
  triggered: boolean;
  /** Trailing stop water mark (best price seen since activation). */
  waterMark: number;
}

/** An order's cumulative fills, once it has one. */
interface OrderTotals {
  readonly filled: ExactValue;
  readonly notional: ExactValue;
  readonly commissionPaid: ExactValue;
}

/** The venue-side position in one instrument. */
interface VenuePositionState {
  readonly qty: ExactValue;
  /** Signed cost (Σ ±qty × px of the open lots): the average price is cost / qty. */
  readonly cost: ExactValue;
}

interface BookState {
  orders: SimOrder[];
  lastTs: number | null;
  lastClose: number;
  /** The instrument's venue-side position, from its first fill on. */
  position: VenuePositionState | null;
  /** The lot size of {@link lotOf} as an exact value (for the lot check of new orders). */
  readonly lot: ExactValue;
  /** The instrument {@link lot} was read from (null before the first order). */
  lotOf: Instrument | null;
  /** Decimal places of {@link tickOf}'s tick size (−1 when it is not a small scaled integer). */
  tickScale: number;
  /** The instrument {@link tickScale} was read from (null before the first fill). */
  tickOf: Instrument | null;
}

/**
 * A bar-driven simulated exchange behind the {@link Broker} port, for backtests. Deterministic:
 * ids come from counters, time from the injected clock, no randomness.
 *
 * Matching rules (all documented in the lib README):
 * - An order reaches the exchange at `command.ts + latencyMs`. It may fill against a bar only if
 *   it was at the exchange before the bar opened (before the previous bar's close time), so an
 *   order sent while handling bar t first trades on bar t+1. With `marketFill: 'close'` and zero
 *   latency, a market order instead fills at once at the close of the last bar.
 * - Market: the bar's open (+ slippage). Limit: at the open if the bar gaps through the limit,
 *   else at the limit when the range touches it (no slippage). Stop: at the open on a gap through,
 *   else at the stop (+ slippage). Stop-limit: triggers like a stop, then fills like a limit on
 *   the same bar if the limit is touchable. Trailing stop: water mark from the last close at
 *   activation, updated with each bar's extreme after the trigger check.
 * - Volume participation caps each order's fill per bar at floor(volume × p) lots; the rest
 *   stays for later bars (partial fills). IOC fills what it can on its first bar and cancels the
 *   rest; FOK fills completely or is cancelled. OPG fills at the open of its first bar, CLS at the
 *   close of its first bar. DAY orders expire at the first bar of a later session than the one
 *   they first became active in; GTD orders expire at the first bar at or after `expireAt`.
 * - Cancels and replaces take effect immediately.
 *
 * Numbers: the fill path (fill quantity, px × qty × multiplier, the order's cumulative totals,
 * commission, the venue-side position and cash) computes on scaled safe integers wherever that
 * gives exactly the value decimal.js gives, and with decimal.js otherwise (`ExactValue`). Decimals
 * are built only where they are read: execution reports, `account()`, `positions()`,
 * `openOrders()`. Results are the same decimals, to the sign of zero, as the all-decimal code.
 */
export class SimulatedExchange implements Broker {
  readonly venue: string;
  private readonly clock: TimeSource;
  private readonly instruments = new Map<InstrumentId, Instrument>();
  private readonly fill: FillModelConfig;
  private readonly commission: CommissionModel;
  private readonly slippage: SlippageModel;
  private readonly listeners: ((r: ExecutionReport) => void)[] = [];
  private readonly books = new Map<InstrumentId, BookState>();
  /**
   * Open orders by client order id, built on the first cancel or replace and kept from then on
   * (until then nothing needs it: a run that never cancels pays no map insert and delete per order).
   */
  private byClientId: Map<ClientOrderId, SimOrder> | null = null;
  /** Orders being matched against a bar (reused; see {@link match}). */
  private readonly matchScratch: (SimOrder | undefined)[] = [];
  /** True while {@link matchScratch} is in use (a listener may match another book meanwhile). */
  private matching = false;
  private readonly seenClientIds = new SeenIds();
  /** Venue-side positions, in the order of their instruments' first fills. */
  private readonly positionStates = new Map<InstrumentId, VenuePositionState>();
  private readonly zeroMoneys = new Map<Currency, Money>();
  /** The zero commission returned last (one currency is the common case). */
  private lastZeroMoney: Money | null = null;
  private readonly cash: ExactValue;
  /** The commission model when it is the built-in one (it has an exact-value path). */
  private readonly composite: CompositeCommission | null;
  private readonly participation: ExactValue | null;
  // Scratch values of the fill path (each fill is done with them before its report is emitted).
  private readonly fillQty = new ExactValue();
  private readonly cap = new ExactValue();
  private readonly lot = new ExactValue();
  private readonly px = new ExactValue();
  private readonly pxQty = new ExactValue();
  private readonly multiplier = new ExactValue();
  private readonly notional = new ExactValue();
  private readonly filled = new ExactValue();
  private readonly filledNotional = new ExactValue();
  private readonly totalCommission = new ExactValue();
  private readonly commissionDiff = new ExactValue();
  private readonly newQty = new ExactValue();
  /** The last order quantity read (see {@link orderQuantity}); shared by orders, never mutated. */
  private lastQuantity = new ExactValue().setScaled(NaN, 0);
  /** The last commission decimal built from integers (fees repeat: minimums, fixed sizes). */
  private readonly lastCommission = new ExactValue().setScaled(NaN, 0);
  private readonly currency: Currency;
  private readonly accountId: AccountId;
  private orderSeq = 0;
  private tradeSeq = 0;

  constructor(opts: SimulatedExchangeOptions) {
    this.venue = opts.venue ?? 'SIM';
    this.clock = opts.clock;
    for (const i of opts.instruments) this.instruments.set(i.id, i);
    this.fill = opts.fill ?? fillModelConfig();
    this.commission = opts.commission ?? NO_COMMISSION;
    this.slippage = opts.slippage ?? slippageModel();
    this.cash = new ExactValue().setDecimal(opts.startingCash ?? ZERO);
    this.composite = this.commission instanceof CompositeCommission ? this.commission : null;
    const p = this.fill.participation;
    this.participation = p === null ? null : new ExactValue().setDecimal(p);
    this.currency = opts.currency ?? USD;
    this.accountId = toAccountId(opts.accountId ?? `${this.venue}-ACCOUNT`);
  }

  async connect(): Promise<void> {
    /* nothing to connect */
  }
  async disconnect(): Promise<void> {
    /* nothing to disconnect */
  }

  onExecutionReport(listener: (report: ExecutionReport) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Registers an instrument after construction. */
  addInstrument(instrument: Instrument): void {
    this.instruments.set(instrument.id, instrument);
  }

  submitOrder(cmd: SubmitOrderCommand): void {
    const now = this.clock.now();
    if (!this.seenClientIds.add(cmd.clientOrderId))
      return this.reject(cmd, `duplicate clientOrderId ${cmd.clientOrderId}`, now);
    const instrument = this.instruments.get(cmd.instrumentId);
    if (!instrument)
      return this.reject(cmd, `unknown instrument ${cmd.instrumentId} at venue ${this.venue}`, now);
    const book = this.book(cmd.instrumentId);
    const quantity = this.orderQuantity(cmd.quantity.value);
    const problem = this.validate(cmd, instrument, quantity, book);
    if (problem) return this.reject(cmd, problem, now);

    const venueOrderId = `${this.venue}-${++this.orderSeq}` as VenueOrderId;
    const o: SimOrder = {
      cmd,
      venueOrderId,
      instrument,
      book,
      seq: this.orderSeq,
      quantity,
      prices:
        cmd.limitPrice || cmd.stopPrice || cmd.type === 'TRAILING_STOP'
          ? {
              limitPrice: cmd.limitPrice?.value,
              stopPrice: cmd.stopPrice?.value,
              limitNum: cmd.limitPrice ? toNumberExact(cmd.limitPrice.value) : NaN,
              stopNum: cmd.stopPrice ? toNumberExact(cmd.stopPrice.value) : NaN,
              triggered: false,
              waterMark: book.lastClose,
            }
          : null,
      totals: null,
      sessionDate: null,
      open: false,
    };
    this.emit({
      kind: 'accepted',
      clientOrderId: cmd.clientOrderId,
      venueOrderId,
      tsEvent: cmd.ts + this.fill.latencyMs, // when it reaches the exchange
      tsInit: now,
    });

    if (
      cmd.type === 'MARKET' &&
      this.fill.marketFill === 'close' &&
      this.fill.latencyMs === 0 &&
      book.lastTs !== null &&
      Number.isFinite(book.lastClose)
    ) {
      // Fill at the close of the bar the order was sent on.
      const close = decimalOfNumber(book.lastClose);
      const px = this.slippage.apply(close, cmd.side, instrument);
      const pxNum = px === close ? book.lastClose : NaN;
      this.execute(o, this.fillQty.copy(o.quantity), px, pxNum, 'TAKER', now);
      return;
    }
    o.open = true;
    book.orders.push(o);
    // (indexed once it rests: before, a lookup finds no open order either way)
    if (this.byClientId !== null) this.byClientId.set(cmd.clientOrderId, o);
  }

  /**
   * A new order's quantity as an exact value, shared with the previous order when it has the same
   * decimal (strategies reuse one quantity; numbers are read through a shared cache).
   */
  private orderQuantity(d: Decimal): ExactValue {
    const last = this.lastQuantity;
    if (last.dec === d) return last;
    return (this.lastQuantity = new ExactValue().setDecimal(d));
  }

  /** The order with this client order id that the exchange still holds (see {@link byClientId}). */
  private findOrder(id: ClientOrderId): SimOrder | undefined {
    let index = this.byClientId;
    if (index === null) {
      index = new Map();
      for (const o of this.openOrdersBySeq()) index.set(o.cmd.clientOrderId, o);
      this.byClientId = index;
    }
    return index.get(id);
  }

  /** The orders resting in the books, in submission order. */
  private openOrdersBySeq(): SimOrder[] {
    const out: SimOrder[] = [];
    for (const b of this.books.values()) for (const o of b.orders) out.push(o);
    return out.sort((a, b) => a.seq - b.seq);
  }

  private reject(cmd: SubmitOrderCommand, reason: string, now: number): void {
    this.emit({
      kind: 'rejected',
      clientOrderId: cmd.clientOrderId,
      reason,
      tsEvent: now,
      tsInit: now,
    });
  }

  cancelOrder(cmd: CancelOrderCommand): void {
    const now = this.clock.now();
    const o = this.findOrder(cmd.clientOrderId);
    if (!o || !o.open) {
      this.emit({
        kind: 'cancelRejected',
        clientOrderId: cmd.clientOrderId,
        reason: this.notOpenReason(cmd.clientOrderId, o),
        tsEvent: now,
        tsInit: now,
      });
      return;
    }
    this.remove(o);
    this.emit({
      kind: 'canceled',
      clientOrderId: o.cmd.clientOrderId,
      venueOrderId: o.venueOrderId,
      tsEvent: now,
      tsInit: now,
    });
  }

  replaceOrder(cmd: ReplaceOrderCommand): void {
    const now = this.clock.now();
    const o = this.findOrder(cmd.clientOrderId);
    const rejected = (reason: string) =>
      this.emit({
        kind: 'replaceRejected',
        clientOrderId: cmd.clientOrderId,
        reason,
        tsEvent: now,
        tsInit: now,
      });
    if (!o || !o.open) return rejected(this.notOpenReason(cmd.clientOrderId, o));
    const quantity = cmd.quantity?.value ?? o.quantity.decimal();
    const filled = o.totals === null ? ZERO : o.totals.filled.decimal();
    if (quantity.lte(filled))
      return rejected(
        `new quantity ${quantity.toFixed()} must exceed filled quantity ${filled.toFixed()}`,
      );
    if (!quantity.mod(o.instrument.lotSize).isZero())
      return rejected(
        `quantity ${quantity.toFixed()} is not a multiple of lot size ${o.instrument.lotSize.toFixed()}`,
      );
    for (const [name, p] of [
      ['limitPrice', cmd.limitPrice],
      ['stopPrice', cmd.stopPrice],
    ] as const) {
      if (p && !p.isOnTick(o.instrument.tickSize))
        return rejected(
          `${name} ${p.toString()} is not on tick ${o.instrument.tickSize.toFixed()}`,
        );
    }
    const prices = o.prices;
    if (cmd.limitPrice && prices?.limitPrice === undefined)
      return rejected('order has no limit price');
    if (cmd.stopPrice && prices?.stopPrice === undefined)
      return rejected('order has no stop price');
    o.quantity = new ExactValue().setDecimal(quantity); // (shared values are never mutated)
    if (prices !== null) {
      if (cmd.limitPrice) {
        prices.limitPrice = cmd.limitPrice.value;
        prices.limitNum = toNumberExact(cmd.limitPrice.value);
      }
      if (cmd.stopPrice) {
        prices.stopPrice = cmd.stopPrice.value;
        prices.stopNum = toNumberExact(cmd.stopPrice.value);
      }
    }
    this.emit({
      kind: 'replaced',
      clientOrderId: o.cmd.clientOrderId,
      venueOrderId: o.venueOrderId,
      quantity: Quantity.fromDecimal(quantity),
      limitPrice: prices?.limitPrice ? Price.fromDecimal(prices.limitPrice) : undefined,
      stopPrice: prices?.stopPrice ? Price.fromDecimal(prices.stopPrice) : undefined,
      tsEvent: now,
      tsInit: now,
    });
  }

  /**
   * Matches resting orders of the bar's instrument against the bar. Call it for every bar,
   * after the clock reached `bar.ts` and before strategies see the bar.
   */
  processBar(bar: Bar): void {
    this.processBarOn(this.book(bar.instrumentId), bar);
  }

  /**
   * {@link processBar} bound to one instrument's book (a per-bar caller such as the backtest loop
   * skips the lookup by instrument id). A bar of another instrument is routed to its own book.
   */
  barProcessorFor(instrumentId: InstrumentId): (bar: Bar) => void {
    const book = this.book(instrumentId);
    return (bar) =>
      bar.instrumentId === instrumentId ? this.processBarOn(book, bar) : this.processBar(bar);
  }

  private processBarOn(book: BookState, bar: Bar): void {
    const prevTs = book.lastTs;
    if (book.orders.length > 0) this.match(book, bar, prevTs);
    book.lastTs = bar.ts;
    book.lastClose = bar.close;
  }

  /** Matches against a trade print, treated as a one-price bar. */
  processTick(tick: Tick): void {
    this.processBar({
      instrumentId: tick.instrumentId,
      ts: tick.ts,
      open: tick.price,
      high: tick.price,
      low: tick.price,
      close: tick.price,
      volume: tick.size,
    });
  }

  async account(): Promise<AccountSnapshot> {
    const cash = this.cash.decimal();
    let equity = cash;
    for (const [id, pos] of this.positionStates) {
      const book = this.books.get(id);
      const inst = this.instruments.get(id);
      if (book && inst && Number.isFinite(book.lastClose))
        equity = equity.add(
          pos.qty.decimal().mul(decimalOfNumber(book.lastClose)).mul(inst.multiplier),
        );
    }
    const now = this.clock.now();
    return {
      accountId: this.accountId,
      cash: Money.fromDecimal(cash, this.currency),
      equity: Money.fromDecimal(equity, this.currency),
      buyingPower: Money.fromDecimal(cash, this.currency),
      ts: now,
    };
  }

  async positions(): Promise<VenuePosition[]> {
    const out: VenuePosition[] = [];
    const sorted = [...this.positionStates].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [id, pos] of sorted) {
      if (pos.qty.isZero()) continue;
      const q = pos.qty.decimal();
      out.push({
        instrumentId: id,
        quantity: Quantity.fromDecimal(q),
        avgPrice: Price.fromDecimal(pos.cost.decimal().div(q)),
      });
    }
    return out;
  }

  async openOrders(): Promise<VenueOrder[]> {
    const out: VenueOrder[] = [];
    for (const o of this.openOrdersBySeq()) {
      const filled = o.totals === null ? ZERO : o.totals.filled.decimal();
      const prices = o.prices;
      out.push({
        clientOrderId: o.cmd.clientOrderId,
        venueOrderId: o.venueOrderId,
        instrumentId: o.cmd.instrumentId,
        side: o.cmd.side,
        type: o.cmd.type,
        quantity: Quantity.fromDecimal(o.quantity.decimal()),
        filledQty: Quantity.fromDecimal(filled),
        limitPrice: prices?.limitPrice ? Price.fromDecimal(prices.limitPrice) : undefined,
        stopPrice: prices?.stopPrice ? Price.fromDecimal(prices.stopPrice) : undefined,
        status: filled.isZero()
          ? prices?.triggered
            ? 'TRIGGERED'
            : 'ACCEPTED'
          : 'PARTIALLY_FILLED',
      });
    }
    return out;
  }

  /** Number of orders resting at the exchange (all instruments). */
  restingOrderCount(): number {
    let n = 0;
    for (const b of this.books.values()) n += b.orders.length;
    return n;
  }

  private validate(
    cmd: SubmitOrderCommand,
    inst: Instrument,
    quantity: ExactValue,
    book: BookState,
  ): string | null {
    if (!cmd.quantity.isPositive())
      return `quantity ${cmd.quantity.toString()} must be greater than 0`;
    if (!this.isOnLot(cmd, quantity, inst, book))
      return `quantity ${cmd.quantity.toString()} is not a multiple of lot size ${inst.lotSize.toFixed()}`;
    const needsLimit = cmd.type === 'LIMIT' || cmd.type === 'STOP_LIMIT';
    const needsStop = cmd.type === 'STOP' || cmd.type === 'STOP_LIMIT';
    if (needsLimit && !cmd.limitPrice) return `${cmd.type} order needs a limitPrice`;
    if (needsStop && !cmd.stopPrice) return `${cmd.type} order needs a stopPrice`;
    if (cmd.type === 'TRAILING_STOP' && (!cmd.trailingOffset || !cmd.trailingOffset.isPositive()))
      return 'TRAILING_STOP order needs a positive trailingOffset';
    if (cmd.limitPrice && !cmd.limitPrice.isOnTick(inst.tickSize))
      return `limitPrice ${cmd.limitPrice.toString()} is not on tick ${inst.tickSize.toFixed()}`;
    if (cmd.stopPrice && !cmd.stopPrice.isOnTick(inst.tickSize))
      return `stopPrice ${cmd.stopPrice.toString()} is not on tick ${inst.tickSize.toFixed()}`;
    if (cmd.timeInForce === 'GTD' && cmd.expireAt === undefined) return 'GTD order needs expireAt';
    if (cmd.reduceOnly) {
      const pos = this.positionStates.get(cmd.instrumentId)?.qty.decimal() ?? ZERO;
      const signed = cmd.side === 'BUY' ? cmd.quantity.value : cmd.quantity.value.neg();
      if (pos.isZero() || pos.isNegative() === signed.isNegative() || signed.abs().gt(pos.abs()))
        return 'reduceOnly order would not reduce the position';
    }
    return null;
  }

  /**
   * `cmd.quantity.isOnLot(inst.lotSize)` (an exact multiple) on the scaled integers of the order
   * quantity and the lot when both fit, else decimal.js's own check. Both are exact, so the answer
   * is the same: aligned to one scale, x is a multiple of y iff x % y is zero.
   */
  private isOnLot(
    cmd: SubmitOrderCommand,
    quantity: ExactValue,
    inst: Instrument,
    book: BookState,
  ): boolean {
    const lot = book.lot;
    if (book.lotOf !== inst) {
      lot.setDecimal(inst.lotSize);
      book.lotOf = inst;
    }
    if (quantity.isScaled() && lot.isScaled() && lot.n > 0) {
      let x = quantity.n;
      let y = lot.n;
      if (quantity.scale < lot.scale) x *= POW10[lot.scale - quantity.scale];
      else y *= POW10[quantity.scale - lot.scale];
      if (Number.isSafeInteger(x) && Number.isSafeInteger(y)) return x % y === 0;
    }
    return cmd.quantity.isOnLot(inst.lotSize);
  }

  private book(id: InstrumentId): BookState {
    let b = this.books.get(id);
    if (!b) {
      b = {
        orders: [],
        lastTs: null,
        lastClose: NaN,
        position: null,
        lot: new ExactValue(),
        lotOf: null,
        tickScale: -1,
        tickOf: null,
      };
      this.books.set(id, b);
    }
    return b;
  }

  /** Takes an order off the book and forgets it (only its id stays, for duplicate detection). */
  private remove(o: SimOrder): void {
    if (o.open) {
      o.open = false;
      const orders = o.book.orders;
      const i = orders.indexOf(o);
      // no splice: it would allocate the array of removed elements
      if (i < orders.length - 1) orders.copyWithin(i, i + 1);
      orders.pop();
    }
    if (this.byClientId !== null) this.byClientId.delete(o.cmd.clientOrderId);
  }

  /** Why a cancel/replace for an order we do not hold is refused. */
  private notOpenReason(id: ClientOrderId, o: SimOrder | undefined): string {
    return o !== undefined || this.seenClientIds.has(id) ? 'order is not open' : 'unknown order';
  }

  private match(book: BookState, bar: Bar, prevTs: number | null): void {
    // The orders resting when the bar arrives (listeners may cancel, replace or add orders while
    // they are matched): copied into a reused array, or a fresh one when a listener's call
    // matches another book meanwhile.
    const orders = book.orders;
    const n = orders.length;
    const reuse = !this.matching;
    const snapshot = reuse ? this.matchScratch : orders.slice();
    if (!reuse) return this.matchSnapshot(snapshot, n, bar, prevTs);
    for (let i = 0; i < n; i++) snapshot[i] = orders[i];
    this.matching = true;
    try {
      this.matchSnapshot(snapshot, n, bar, prevTs);
    } finally {
      for (let i = 0; i < n; i++) snapshot[i] = undefined; // (no references kept to closed orders)
      this.matching = false;
    }
  }

  private matchSnapshot(
    snapshot: readonly (SimOrder | undefined)[],
    n: number,
    bar: Bar,
    prevTs: number | null,
  ): void {
    const barStart = prevTs ?? bar.ts - 1;
    const latencyMs = this.fill.latencyMs;
    for (let i = 0; i < n; i++) {
      const o = snapshot[i] as SimOrder;
      if (!o.open) continue; // cancelled by an earlier fill's listener
      // not at the exchange before this bar opened (it arrives at cmd.ts + latency)
      if (o.cmd.ts + latencyMs > barStart) continue;
      const tif = o.cmd.timeInForce;
      if (tif === 'DAY') {
        const date = exchangeDateOf(bar.ts, o.instrument.timeZone);
        if (o.sessionDate === null) o.sessionDate = date;
        else if (date !== o.sessionDate) {
          this.expire(o, bar.ts);
          continue;
        }
      }
      if (tif === 'GTD' && o.cmd.expireAt !== undefined && bar.ts >= o.cmd.expireAt) {
        this.expire(o, bar.ts);
        continue;
      }
      this.matchOrder(o, bar);
      if ((tif === 'IOC' || tif === 'FOK' || tif === 'OPG' || tif === 'CLS') && o.open) {
        this.remove(o);
        this.emit({
          kind: 'canceled',
          clientOrderId: o.cmd.clientOrderId,
          venueOrderId: o.venueOrderId,
          reason: `${tif} remainder`,
          tsEvent: bar.ts,
          tsInit: bar.ts,
        });
      }
    }
  }

  private matchOrder(o: SimOrder, bar: Bar): void {
    const buy = o.cmd.side === 'BUY';
    const { open, high, low } = bar;
    let px: Decimal | null = null;
    // the bar price `px` is the decimal of, when it is one (NaN otherwise): see execute
    let pxNum = NaN;
    let liquidity: 'MAKER' | 'TAKER' = 'TAKER';
    switch (o.cmd.type) {
      case 'MARKET': {
        const p = o.cmd.timeInForce === 'CLS' ? bar.close : open;
        const d = decimalOfNumber(p);
        px = this.slip(d, o);
        if (px === d) pxNum = p;
        break;
      }
      case 'LIMIT':
        px = this.limitFill(o.prices as OrderPrices, open, high, low, buy);
        liquidity = 'MAKER';
        break;
      case 'STOP': {
        const t = this.stopTrigger(o.prices as OrderPrices, open, high, low, buy);
        if (t !== null) px = this.slip(t, o);
        break;
      }
      case 'STOP_LIMIT': {
        const p = o.prices as OrderPrices;
        const t = p.triggered ? decimalOfNumber(open) : this.stopTrigger(p, open, high, low, buy);
        if (t !== null) {
          if (!p.triggered) {
            p.triggered = true;
            this.emit({
              kind: 'triggered',
              clientOrderId: o.cmd.clientOrderId,
              venueOrderId: o.venueOrderId,
              tsEvent: bar.ts,
              tsInit: bar.ts,
            });
          }
          // After the trigger the order is a limit order: fill at the trigger price if it is within the limit, else at the limit if touchable.
          const limit = p.limitPrice as Decimal;
          if (buy ? t.lte(limit) : t.gte(limit)) px = t;
          else if (buy ? low <= p.limitNum : high >= p.limitNum) px = limit;
          liquidity = 'MAKER';
        }
        break;
      }
      case 'TRAILING_STOP': {
        const p = o.prices as OrderPrices;
        const offset = toNumberExact(o.cmd.trailingOffset!.value);
        if (Number.isNaN(p.waterMark)) p.waterMark = open;
        const stop = buy ? p.waterMark + offset : p.waterMark - offset;
        p.stopNum = stop;
        p.stopPrice = roundAdverse(new TradingDecimal(stop), o.cmd.side, o.instrument.tickSize);
        const t = this.stopTrigger(p, open, high, low, buy);
        if (t !== null) px = this.slip(t, o);
        else p.waterMark = buy ? Math.min(p.waterMark, low) : Math.max(p.waterMark, high);
        break;
      }
    }
    if (px === null) return;
    // Nothing filled yet: the remainder is the order quantity itself (same value, no subtraction).
    const qty = this.fillQty;
    if (o.totals === null) qty.copy(o.quantity);
    else qty.sub(o.quantity, o.totals.filled);
    const participation = this.participation;
    if (participation !== null) {
      const cap = this.volumeCap(bar.volume, participation, o.instrument.lotSize);
      if (ExactValue.cmp(cap, qty) < 0) {
        if (o.cmd.timeInForce === 'FOK') return;
        qty.copy(cap);
      }
    }
    if (qty.isZero() || qty.isNegative()) return;
    this.execute(o, qty, px, pxNum, liquidity, bar.ts);
  }

  /**
   * floor(volume × participation / lot) × lot, as decimal.js computes it from the bar's volume.
   * Integers when the volume is a safe integer and X = volume × participation and Y = lot (aligned)
   * are safe: decimal.js's X / Y (rounded to 40 digits) then has the floor of the exact quotient,
   * since a quotient that is not an integer lies at least 1/|Y| from every integer.
   */
  private volumeCap(volume: number, participation: ExactValue, lotSize: Decimal): ExactValue {
    const lot = this.lot.setDecimal(lotSize);
    if (Number.isSafeInteger(volume) && participation.isScaled() && lot.isScaled()) {
      let x = volume * participation.n;
      let y = lot.n;
      if (participation.scale < lot.scale) x *= POW10[lot.scale - participation.scale];
      else y *= POW10[participation.scale - lot.scale];
      if (Number.isSafeInteger(x) && Number.isSafeInteger(y) && y > 0) {
        const n = divRound(x, y, false) * lot.n;
        if (Number.isSafeInteger(n)) return this.cap.setScaled(n, lot.scale);
      }
    }
    return this.cap.setDecimal(
      new TradingDecimal(volume).mul(participation.decimal()).div(lotSize).floor().mul(lotSize),
    );
  }

  private slip(price: Decimal, o: SimOrder): Decimal {
    return this.slippage.apply(price, o.cmd.side, o.instrument);
  }

  /** Limit fill price on this bar, or null: the open when the bar gaps through, else the limit when touched. */
  private limitFill(
    o: OrderPrices,
    open: number,
    high: number,
    low: number,
    buy: boolean,
  ): Decimal | null {
    const l = o.limitNum;
    if (buy) {
      if (open <= l) return decimalOfNumber(open);
      return low <= l ? (o.limitPrice as Decimal) : null;
    }
    if (open >= l) return decimalOfNumber(open);
    return high >= l ? (o.limitPrice as Decimal) : null;
  }

  /** Stop trigger price on this bar, or null: the open on a gap through, else the stop when touched. */
  private stopTrigger(
    o: OrderPrices,
    open: number,
    high: number,
    low: number,
    buy: boolean,
  ): Decimal | null {
    const s = o.stopNum;
    if (buy) {
      if (open >= s) return decimalOfNumber(open);
      return high >= s ? (o.stopPrice as Decimal) : null;
    }
    if (open <= s) return decimalOfNumber(open);
    return low <= s ? (o.stopPrice as Decimal) : null;
  }

  /**
   * Sets {@link px} to the fill price `pxDecimal`, which is `decimalOfNumber(pxNum)` when `pxNum`
   * is not NaN (a bar price): then its scaled integer comes from the number itself, at the scale of
   * the instrument's tick, without reading the decimal's digits back (a cached price decimal is
   * usually out of the CPU cache by now). Why it is the same value: when k / 10^s === pxNum with
   * |k| < 10^15, the decimal k / 10^s has at most 15 significant digits and its double is pxNum;
   * two different decimals of ≤ 15 digits never round to the same double (DBL_DIG = 15), and
   * `decimalOfNumber` gives a decimal of at most as many digits whose double is pxNum (its
   * k / 10^s, or the shortest round-trip text). So it is that value (not necessarily at the
   * fewest decimal places, which {@link ExactValue} allows), and the decimal is registered with
   * domain's `rememberScaled` for the report's readers. Else the decimal's own digits.
   */
  private fillPrice(
    pxDecimal: Decimal,
    pxNum: number,
    book: BookState,
    inst: Instrument,
  ): ExactValue {
    const px = this.px;
    if (pxNum === pxNum && pxNum !== 0) {
      if (book.tickOf !== inst) {
        book.tickScale = scaledInt(inst.tickSize, tickScratch) ? tickScratch.scale : -1;
        book.tickOf = inst;
      }
      const s = book.tickScale;
      if (s >= 0) {
        const k = Math.round(pxNum * POW10[s]);
        if (k < 1e15 && k > -1e15 && k / POW10[s] === pxNum) {
          px.n = k;
          px.scale = s;
          px.dec = pxDecimal;
          // readers of the report (portfolio, fill records, trade tracker) take it from here too
          rememberScaled(pxDecimal, k, s);
          return px;
        }
      }
    }
    return px.setDecimal(pxDecimal);
  }

  /**
   * Fills `qty` (the scratch {@link fillQty}) of `o` at `px`: the order's totals and commission,
   * the venue-side account, then the report. Every step is an {@link ExactValue} operation (the
   * decimal.js formula, on integers when exact); the shortcuts of the decimal code are kept (the
   * first fill's totals are its own values, a zero paid commission is not subtracted), so even the
   * sign of a zero matches.
   */
  private execute(
    o: SimOrder,
    qty: ExactValue,
    pxDecimal: Decimal,
    pxNum: number,
    liquidity: 'MAKER' | 'TAKER',
    ts: number,
  ): void {
    const inst = o.instrument;
    const totals = o.totals;
    const px = this.fillPrice(pxDecimal, pxNum, o.book, inst);
    // px × qty serves the fill's notional and the venue position's cost (one product, not two).
    const pxQty = this.pxQty.mul(px, qty);
    const notional = inst.unitMultiplier
      ? pxQty
      : this.notional.mul(pxQty, this.multiplier.setDecimal(inst.multiplier));
    // The first fill's totals are its own values (no additions of zero).
    const filled = totals === null ? qty : this.filled.add(totals.filled, qty);
    const filledNotional =
      totals === null || totals.notional.isZero()
        ? notional
        : this.filledNotional.add(totals.notional, notional);
    const total = this.totalCommission;
    if (this.composite !== null) this.composite.totalExact(filled, filledNotional, total);
    else total.setDecimal(this.commission.total(filled.decimal(), filledNotional.decimal(), inst));
    const commission =
      totals === null || totals.commissionPaid.isZero()
        ? total
        : this.commissionDiff.sub(total, totals.commissionPaid);
    if (ExactValue.cmp(filled, o.quantity) >= 0) this.remove(o);
    else if (totals === null)
      o.totals = {
        filled: new ExactValue().copy(filled),
        notional: new ExactValue().copy(filledNotional),
        commissionPaid: new ExactValue().copy(total),
      };
    else {
      totals.filled.copy(filled);
      totals.notional.copy(filledNotional);
      totals.commissionPaid.copy(total);
    }
    // venue-side account
    const buy = o.cmd.side === 'BUY';
    this.applyPosition(o.book, o.cmd.instrumentId, buy, qty, px, pxQty);
    const cash = this.cash;
    if (buy) cash.sub(cash, notional);
    else cash.add(cash, notional);
    if (!commission.isZero()) cash.sub(cash, commission);
    const lastQty =
      qty.dec === o.cmd.quantity.value ? o.cmd.quantity : QuantityClass.fromDecimal(qty.decimal());
    this.emit({
      kind: 'filled',
      clientOrderId: o.cmd.clientOrderId,
      venueOrderId: o.venueOrderId,
      tradeId: `${this.venue}-T${++this.tradeSeq}` as TradeId,
      instrumentId: o.cmd.instrumentId,
      side: o.cmd.side,
      lastQty,
      lastPx: PriceClass.fromDecimal(pxDecimal),
      // Quantities are immutable: a fill of the whole order shares one value object.
      cumulativeQty: totals === null ? lastQty : QuantityClass.fromDecimal(filled.decimal()),
      commission: commission.isZero()
        ? this.zeroMoney(inst.currency)
        : MoneyClass.fromDecimal(this.commissionDecimal(commission), inst.currency),
      liquiditySide: liquidity,
      tsEvent: ts,
      tsInit: ts,
    });
  }

  /** The decimal of a non-zero commission; the last one built from integers is reused. */
  private commissionDecimal(c: ExactValue): Decimal {
    if (c.dec !== null) return c.dec;
    const last = this.lastCommission;
    if (c.n === last.n && c.scale === last.scale) return last.decimal();
    return last.copy(c).decimal();
  }

  /** The shared zero commission of a currency (Money is immutable). */
  private zeroMoney(currency: Currency): Money {
    const last = this.lastZeroMoney;
    if (last !== null && last.currency === currency) return last;
    let m = this.zeroMoneys.get(currency);
    if (m === undefined) {
      m = Money.fromDecimal(ZERO, currency);
      this.zeroMoneys.set(currency, m);
    }
    this.lastZeroMoney = m;
    return m;
  }

  /**
   * Books a fill of `qty` at `px` on the venue-side position. `pxQty` is `px × qty`, already
   * computed for the fill: the signed cost change `(±qty) × px` is it or its negation (decimal.js
   * rounds symmetrically, so the values are identical).
   */
  private applyPosition(
    book: BookState,
    id: InstrumentId,
    buy: boolean,
    qty: ExactValue,
    px: ExactValue,
    pxQty: ExactValue,
  ): void {
    let pos = book.position;
    if (pos === null) {
      pos = book.position = { qty: new ExactValue(), cost: new ExactValue() };
      this.positionStates.set(id, pos);
    }
    const q = pos.qty;
    const cost = pos.cost;
    const wasZero = q.isZero();
    const wasNegative = q.isNegative();
    // q ± qty (qty > 0, so the result is never the sign-ambiguous zero of an added zero)
    const nq = buy ? this.newQty.add(q, qty) : this.newQty.sub(q, qty);
    if (wasZero || wasNegative === !buy) {
      // opened or increased: cost ± px × qty
      if (buy) cost.add(cost, pxQty);
      else cost.sub(cost, pxQty);
    } else if (nq.isZero()) cost.setZero();
    else if (nq.isNegative() === wasNegative)
      cost.mulDiv(cost, nq, q); // reduced: keep average
    else cost.mul(nq, px); // flipped: remainder at fill price
    q.copy(nq);
  }

  private expire(o: SimOrder, ts: number): void {
    this.remove(o);
    this.emit({
      kind: 'expired',
      clientOrderId: o.cmd.clientOrderId,
      venueOrderId: o.venueOrderId,
      tsEvent: ts,
      tsInit: ts,
    });
  }

  private emit(r: ExecutionReport): void {
    // (an index loop: the same live iteration as for…of over the array, without an iterator)
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) listeners[i](r);
  }
}

/** Convenience for tests and strategies: which side reduces a signed position. */
export function reducingSide(positionQty: Decimal): OrderSide {
  return positionQty.isNegative() ? 'BUY' : 'SELL';
}

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
  decimalOfNumber as decimalOfNumberImported,
  toNumberExact as toNumberExactImported,
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

// Module-local aliases: an import from another lib is read through a re-export getter on every
// use (CommonJS output), and these run on every order and fill.
const ZERO = ZERO_IMPORTED;
const decimalOfNumber = decimalOfNumberImported;
const toNumberExact = toNumberExactImported;

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

/** An order resting at the simulated exchange. */
interface SimOrder {
  readonly cmd: SubmitOrderCommand;
  readonly venueOrderId: VenueOrderId;
  readonly instrument: Instrument;
  readonly seq: number;
  quantity: Decimal;
  limitPrice: Decimal | undefined;
  stopPrice: Decimal | undefined;
  /** Number views of the trigger prices for fast bar checks. */
  limitNum: number;
  stopNum: number;
  filled: Decimal;
  filledNotional: Decimal;
  commissionPaid: Decimal;
  /** Simulated time the order reaches the exchange. */
  activeAt: number;
  triggered: boolean;
  /** Trailing stop water mark (best price seen since activation). */
  waterMark: number;
  /** Exchange-local session date of the first bar the order was active on (DAY expiry). */
  sessionDate: string | null;
  /** Set once IOC/FOK/OPG/CLS had their one chance. */
  done: boolean;
}

interface BookState {
  orders: SimOrder[];
  lastTs: number | null;
  lastClose: number;
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
  private readonly byClientId = new Map<ClientOrderId, SimOrder>();
  private readonly seenClientIds = new SeenIds();
  private readonly positionQty = new Map<InstrumentId, Decimal>();
  private readonly positionCost = new Map<InstrumentId, Decimal>();
  private readonly zeroMoneys = new Map<Currency, Money>();
  private cash: Decimal;
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
    this.cash = opts.startingCash ?? ZERO;
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
    const reject = (reason: string) =>
      this.emit({
        kind: 'rejected',
        clientOrderId: cmd.clientOrderId,
        reason,
        tsEvent: now,
        tsInit: now,
      });
    if (!this.seenClientIds.add(cmd.clientOrderId))
      return reject(`duplicate clientOrderId ${cmd.clientOrderId}`);
    const instrument = this.instruments.get(cmd.instrumentId);
    if (!instrument) return reject(`unknown instrument ${cmd.instrumentId} at venue ${this.venue}`);
    const problem = this.validate(cmd, instrument);
    if (problem) return reject(problem);

    const book = this.book(cmd.instrumentId);
    const venueOrderId = `${this.venue}-${++this.orderSeq}` as VenueOrderId;
    const o: SimOrder = {
      cmd,
      venueOrderId,
      instrument,
      seq: this.orderSeq,
      quantity: cmd.quantity.value,
      limitPrice: cmd.limitPrice?.value,
      stopPrice: cmd.stopPrice?.value,
      limitNum: cmd.limitPrice ? toNumberExact(cmd.limitPrice.value) : NaN,
      stopNum: cmd.stopPrice ? toNumberExact(cmd.stopPrice.value) : NaN,
      filled: ZERO,
      filledNotional: ZERO,
      commissionPaid: ZERO,
      activeAt: cmd.ts + this.fill.latencyMs,
      triggered: false,
      waterMark: book.lastClose,
      sessionDate: null,
      done: false,
    };
    this.byClientId.set(cmd.clientOrderId, o);
    this.emit({
      kind: 'accepted',
      clientOrderId: cmd.clientOrderId,
      venueOrderId,
      tsEvent: o.activeAt,
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
      const px = this.slippage.apply(decimalOfNumber(book.lastClose), cmd.side, instrument);
      this.execute(o, o.quantity, px, 'TAKER', now);
      return;
    }
    book.orders.push(o);
  }

  cancelOrder(cmd: CancelOrderCommand): void {
    const now = this.clock.now();
    const o = this.byClientId.get(cmd.clientOrderId);
    if (!o || !this.isOpen(o)) {
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
    const o = this.byClientId.get(cmd.clientOrderId);
    const rejected = (reason: string) =>
      this.emit({
        kind: 'replaceRejected',
        clientOrderId: cmd.clientOrderId,
        reason,
        tsEvent: now,
        tsInit: now,
      });
    if (!o || !this.isOpen(o)) return rejected(this.notOpenReason(cmd.clientOrderId, o));
    const quantity = cmd.quantity?.value ?? o.quantity;
    if (quantity.lte(o.filled))
      return rejected(
        `new quantity ${quantity.toFixed()} must exceed filled quantity ${o.filled.toFixed()}`,
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
    if (cmd.limitPrice && o.limitPrice === undefined) return rejected('order has no limit price');
    if (cmd.stopPrice && o.stopPrice === undefined) return rejected('order has no stop price');
    o.quantity = quantity;
    if (cmd.limitPrice) {
      o.limitPrice = cmd.limitPrice.value;
      o.limitNum = toNumberExact(cmd.limitPrice.value);
    }
    if (cmd.stopPrice) {
      o.stopPrice = cmd.stopPrice.value;
      o.stopNum = toNumberExact(cmd.stopPrice.value);
    }
    this.emit({
      kind: 'replaced',
      clientOrderId: o.cmd.clientOrderId,
      venueOrderId: o.venueOrderId,
      quantity: Quantity.fromDecimal(o.quantity),
      limitPrice: o.limitPrice ? Price.fromDecimal(o.limitPrice) : undefined,
      stopPrice: o.stopPrice ? Price.fromDecimal(o.stopPrice) : undefined,
      tsEvent: now,
      tsInit: now,
    });
  }

  /**
   * Matches resting orders of the bar's instrument against the bar. Call it for every bar,
   * after the clock reached `bar.ts` and before strategies see the bar.
   */
  processBar(bar: Bar): void {
    const book = this.book(bar.instrumentId);
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
    let equity = this.cash;
    for (const [id, q] of this.positionQty) {
      const book = this.books.get(id);
      const inst = this.instruments.get(id);
      if (book && inst && Number.isFinite(book.lastClose))
        equity = equity.add(q.mul(decimalOfNumber(book.lastClose)).mul(inst.multiplier));
    }
    const now = this.clock.now();
    return {
      accountId: this.accountId,
      cash: Money.fromDecimal(this.cash, this.currency),
      equity: Money.fromDecimal(equity, this.currency),
      buyingPower: Money.fromDecimal(this.cash, this.currency),
      ts: now,
    };
  }

  async positions(): Promise<VenuePosition[]> {
    const out: VenuePosition[] = [];
    for (const [id, q] of [...this.positionQty].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (q.isZero()) continue;
      out.push({
        instrumentId: id,
        quantity: Quantity.fromDecimal(q),
        avgPrice: Price.fromDecimal(this.positionCost.get(id)!.div(q)),
      });
    }
    return out;
  }

  async openOrders(): Promise<VenueOrder[]> {
    const out: VenueOrder[] = [];
    for (const o of this.byClientId.values()) {
      if (!this.isOpen(o)) continue;
      out.push({
        clientOrderId: o.cmd.clientOrderId,
        venueOrderId: o.venueOrderId,
        instrumentId: o.cmd.instrumentId,
        side: o.cmd.side,
        type: o.cmd.type,
        quantity: Quantity.fromDecimal(o.quantity),
        filledQty: Quantity.fromDecimal(o.filled),
        limitPrice: o.limitPrice ? Price.fromDecimal(o.limitPrice) : undefined,
        stopPrice: o.stopPrice ? Price.fromDecimal(o.stopPrice) : undefined,
        status: o.filled.isZero() ? (o.triggered ? 'TRIGGERED' : 'ACCEPTED') : 'PARTIALLY_FILLED',
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

  private validate(cmd: SubmitOrderCommand, inst: Instrument): string | null {
    if (!cmd.quantity.isPositive())
      return `quantity ${cmd.quantity.toString()} must be greater than 0`;
    if (!cmd.quantity.isOnLot(inst.lotSize))
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
      const pos = this.positionQty.get(cmd.instrumentId) ?? ZERO;
      const signed = cmd.side === 'BUY' ? cmd.quantity.value : cmd.quantity.value.neg();
      if (pos.isZero() || pos.isNegative() === signed.isNegative() || signed.abs().gt(pos.abs()))
        return 'reduceOnly order would not reduce the position';
    }
    return null;
  }

  private book(id: InstrumentId): BookState {
    let b = this.books.get(id);
    if (!b) {
      b = { orders: [], lastTs: null, lastClose: NaN };
      this.books.set(id, b);
    }
    return b;
  }

  private isOpen(o: SimOrder): boolean {
    return o.filled.lt(o.quantity) && this.book(o.cmd.instrumentId).orders.includes(o);
  }

  /** Takes an order off the book and forgets it (only its id stays, for duplicate detection). */
  private remove(o: SimOrder): void {
    const orders = this.book(o.cmd.instrumentId).orders;
    const i = orders.indexOf(o);
    if (i >= 0) orders.splice(i, 1);
    this.byClientId.delete(o.cmd.clientOrderId);
  }

  /** Why a cancel/replace for an order we do not hold is refused. */
  private notOpenReason(id: ClientOrderId, o: SimOrder | undefined): string {
    return o !== undefined || this.seenClientIds.has(id) ? 'order is not open' : 'unknown order';
  }

  private match(book: BookState, bar: Bar, prevTs: number | null): void {
    const barStart = prevTs ?? bar.ts - 1;
    const snapshot = book.orders.slice();
    for (const o of snapshot) {
      if (!book.orders.includes(o)) continue; // cancelled by an earlier fill's listener
      if (o.activeAt > barStart) continue; // not at the exchange before this bar opened
      const tif = o.cmd.timeInForce;
      if (tif === 'DAY') {
        const date = exchangeDate(bar.ts, o.instrument.timeZone);
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
      if (
        (tif === 'IOC' || tif === 'FOK' || tif === 'OPG' || tif === 'CLS') &&
        book.orders.includes(o)
      ) {
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
    let liquidity: 'MAKER' | 'TAKER' = 'TAKER';
    switch (o.cmd.type) {
      case 'MARKET':
        px = this.slip(decimalOfNumber(o.cmd.timeInForce === 'CLS' ? bar.close : open), o);
        break;
      case 'LIMIT':
        px = this.limitFill(o, open, high, low, buy);
        liquidity = 'MAKER';
        break;
      case 'STOP': {
        const t = this.stopTrigger(o, open, high, low, buy);
        if (t !== null) px = this.slip(t, o);
        break;
      }
      case 'STOP_LIMIT': {
        const t = o.triggered ? decimalOfNumber(open) : this.stopTrigger(o, open, high, low, buy);
        if (t !== null) {
          if (!o.triggered) {
            o.triggered = true;
            this.emit({
              kind: 'triggered',
              clientOrderId: o.cmd.clientOrderId,
              venueOrderId: o.venueOrderId,
              tsEvent: bar.ts,
              tsInit: bar.ts,
            });
          }
          // After the trigger the order is a limit order: fill at the trigger price if it is within the limit, else at the limit if touchable.
          const limit = o.limitPrice as Decimal;
          if (buy ? t.lte(limit) : t.gte(limit)) px = t;
          else if (buy ? low <= o.limitNum : high >= o.limitNum) px = limit;
          liquidity = 'MAKER';
        }
        break;
      }
      case 'TRAILING_STOP': {
        const offset = toNumberExact(o.cmd.trailingOffset!.value);
        if (Number.isNaN(o.waterMark)) o.waterMark = open;
        const stop = buy ? o.waterMark + offset : o.waterMark - offset;
        o.stopNum = stop;
        o.stopPrice = roundAdverse(new TradingDecimal(stop), o.cmd.side, o.instrument.tickSize);
        const t = this.stopTrigger(o, open, high, low, buy);
        if (t !== null) px = this.slip(t, o);
        else o.waterMark = buy ? Math.min(o.waterMark, low) : Math.max(o.waterMark, high);
        break;
      }
    }
    if (px === null) return;
    // Nothing filled yet: the remainder is the order quantity itself (same value, no subtraction).
    let qty = o.filled.isZero() ? o.quantity : o.quantity.sub(o.filled);
    if (this.fill.participation) {
      const cap = new TradingDecimal(bar.volume)
        .mul(this.fill.participation)
        .div(o.instrument.lotSize)
        .floor()
        .mul(o.instrument.lotSize);
      if (o.cmd.timeInForce === 'FOK' && cap.lt(qty)) return;
      if (cap.lt(qty)) qty = cap;
    }
    if (qty.isZero() || qty.isNegative()) return; // no decimal of 0 built per call
    this.execute(o, qty, px, liquidity, bar.ts);
  }

  private slip(price: Decimal, o: SimOrder): Decimal {
    return this.slippage.apply(price, o.cmd.side, o.instrument);
  }

  /** Limit fill price on this bar, or null: the open when the bar gaps through, else the limit when touched. */
  private limitFill(
    o: SimOrder,
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
    o: SimOrder,
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

  private execute(
    o: SimOrder,
    qty: Decimal,
    px: Decimal,
    liquidity: 'MAKER' | 'TAKER',
    ts: number,
  ): void {
    const inst = o.instrument;
    // The first fill and a zero commission skip additions of zero, a multiplier of 1 its
    // multiplication: the values are the same, the work (and garbage) is not.
    o.filled = o.filled.isZero() ? qty : o.filled.add(qty);
    // px × qty serves the fill's notional and the venue position's cost (one product, not two).
    const pxQty = px.mul(qty);
    const notional = inst.unitMultiplier ? pxQty : pxQty.mul(inst.multiplier);
    o.filledNotional = o.filledNotional.isZero() ? notional : o.filledNotional.add(notional);
    const totalCommission = this.commission.total(o.filled, o.filledNotional, inst);
    const commission = o.commissionPaid.isZero()
      ? totalCommission
      : totalCommission.sub(o.commissionPaid);
    o.commissionPaid = totalCommission;
    if (o.filled.gte(o.quantity)) this.remove(o);
    // venue-side account
    const buy = o.cmd.side === 'BUY';
    this.applyPosition(o.cmd.instrumentId, buy, qty, px, pxQty);
    this.cash = buy ? this.cash.sub(notional) : this.cash.add(notional);
    if (!commission.isZero()) this.cash = this.cash.sub(commission);
    const lastQty = qty === o.cmd.quantity.value ? o.cmd.quantity : Quantity.fromDecimal(qty);
    this.emit({
      kind: 'filled',
      clientOrderId: o.cmd.clientOrderId,
      venueOrderId: o.venueOrderId,
      tradeId: `${this.venue}-T${++this.tradeSeq}` as TradeId,
      instrumentId: o.cmd.instrumentId,
      side: o.cmd.side,
      lastQty,
      lastPx: Price.fromDecimal(px),
      // Quantities are immutable: a fill of the whole order shares one value object.
      cumulativeQty: o.filled === qty ? lastQty : Quantity.fromDecimal(o.filled),
      commission: commission.isZero()
        ? this.zeroMoney(inst.currency)
        : Money.fromDecimal(commission, inst.currency),
      liquiditySide: liquidity,
      tsEvent: ts,
      tsInit: ts,
    });
  }

  /** The shared zero commission of a currency (Money is immutable). */
  private zeroMoney(currency: Currency): Money {
    let m = this.zeroMoneys.get(currency);
    if (m === undefined) {
      m = Money.fromDecimal(ZERO, currency);
      this.zeroMoneys.set(currency, m);
    }
    return m;
  }

  /**
   * Books a fill of `qty` at `px` on the venue-side position. `pxQty` is `px × qty`, already
   * computed for the fill: the signed cost change `(±qty) × px` is it or its negation (decimal.js
   * rounds symmetrically, so the values are identical). Additions to the shared zero are skipped
   * for non-zero values (the same value; a zero keeps going through decimal.js for its sign).
   */
  private applyPosition(
    id: InstrumentId,
    buy: boolean,
    qty: Decimal,
    px: Decimal,
    pxQty: Decimal,
  ): void {
    const q = this.positionQty.get(id) ?? ZERO;
    const cost = this.positionCost.get(id) ?? ZERO;
    // q ± qty (qty > 0, so the result is never the sign-ambiguous zero of an added zero)
    const nq = q === ZERO ? (buy ? qty : qty.neg()) : buy ? q.add(qty) : q.sub(qty);
    let ncost: Decimal;
    if (q.isZero() || q.isNegative() === !buy) {
      const delta = buy ? pxQty : pxQty.neg();
      ncost = cost === ZERO && !delta.isZero() ? delta : cost.add(delta);
    } else if (nq.isZero()) ncost = ZERO;
    else if (nq.isNegative() === q.isNegative())
      ncost = cost.mul(nq).div(q); // reduced: keep average
    else ncost = nq.mul(px); // flipped: remainder at fill price
    this.positionQty.set(id, nq);
    this.positionCost.set(id, ncost);
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
    for (const l of this.listeners) l(r);
  }
}

/** Convenience for tests and strategies: which side reduces a signed position. */
export function reducingSide(positionQty: Decimal): OrderSide {
  return positionQty.isNegative() ? 'BUY' : 'SELL';
}

import fc from 'fast-check';
import {
  AccountId,
  accountId as toAccountId,
  Bar,
  ClientOrderId,
  clientOrderId,
  Currency,
  Decimal,
  decimalOfNumber,
  exchangeDate,
  Instrument,
  InstrumentId,
  Money,
  OrderSide,
  Price,
  Quantity,
  SeenIds,
  TradeId,
  TradingDecimal,
  USD,
  VenueOrderId,
  ZERO,
  toNumberExact,
  isRememberedScaled,
  Scaled,
  scaledInt,
  toDecimal,
} from '@trading/domain';
import {
  AccountSnapshot,
  CancelOrderCommand,
  ExecutionReport,
  ReplaceOrderCommand,
  SubmitOrderCommand,
  VenueOrder,
  VenuePosition,
} from '../broker.port';
import {
  CommissionModel,
  CommissionSpec,
  FillModelConfig,
  fillModelConfig,
  SlippageModel,
  SlippageSpec,
  commissionModel,
  slippageModel,
} from './cost-models';
import { SimulatedExchange, TimeSource } from './simulated-exchange';

/**
 * Differential test of the exchange's fixed-point fill path: the exchange and the all-decimal.js
 * code it replaced (kept below as `ReferenceExchange`, with the decimal commission and slippage
 * models of the time) get the same random instruments, bars and commands; every report (values,
 * `toFixed()` text and the sign of zeros), `account()`, `positions()` and `openOrders()` must be the
 * same after every step. Prices have 0–4 decimals, quantities 0–3, multipliers 1, 10 and 0.5,
 * commissions per unit / per order / percent / minimum (and a custom model), slippage in ticks and
 * bps, partial fills under a volume cap, and huge prices, quantities, volumes and cash that leave
 * the safe-integer range (the decimal.js fallback).
 */

// ---------------------------------------------------------------------------------------------
// Reference: the decimal.js code as it was before the fixed-point path (commit 291407c).
// ---------------------------------------------------------------------------------------------

class ReferenceCommission implements CommissionModel {
  constructor(
    private readonly perUnit: Decimal,
    private readonly perOrder: Decimal,
    private readonly pct: Decimal,
    private readonly minimum: Decimal,
  ) {}
  total(quantity: Decimal, notional: Decimal): Decimal {
    if (quantity.isZero()) return ZERO;
    let c = this.perOrder;
    if (!this.perUnit.isZero()) c = addTerm(c, this.perUnit.mul(quantity));
    if (!this.pct.isZero())
      c = addTerm(c, this.pct.mul(notional.isNegative() ? notional.abs() : notional));
    return c.lt(this.minimum) ? this.minimum : c;
  }
  describe(): string {
    return 'reference';
  }
}

function addTerm(total: Decimal, term: Decimal): Decimal {
  return total.isZero() && !term.isZero() ? term : total.add(term);
}

function referenceCommission(spec: CommissionSpec): CommissionModel {
  const d = (v: CommissionSpec[keyof CommissionSpec]) =>
    v === undefined ? ZERO : new TradingDecimal(v);
  return new ReferenceCommission(
    d(spec.perUnit),
    d(spec.perOrder),
    d(spec.pctOfNotional),
    d(spec.minimum),
  );
}

function referenceSlippage(spec: SlippageSpec): SlippageModel {
  if ('bps' in spec) {
    const bps = new TradingDecimal(spec.bps);
    const f = bps.div(10_000);
    return {
      apply: (p, side, inst) => {
        if (bps.isZero()) return p;
        const raw =
          side === 'BUY'
            ? p.mul(new TradingDecimal(1).add(f))
            : p.mul(new TradingDecimal(1).sub(f));
        return roundAdverse(raw, side, inst.tickSize);
      },
      describe: () => 'reference',
    };
  }
  if ('ticks' in spec) {
    const ticks = new TradingDecimal(spec.ticks);
    return {
      apply: (p, side, inst) =>
        side === 'BUY' ? p.add(inst.tickSize.mul(ticks)) : p.sub(inst.tickSize.mul(ticks)),
      describe: () => 'reference',
    };
  }
  return { apply: (p) => p, describe: () => 'none' };
}

function roundAdverse(price: Decimal, side: OrderSide, tick: Decimal): Decimal {
  const units = price.div(tick);
  return (side === 'BUY' ? units.ceil() : units.floor()).mul(tick);
}

interface ReferenceOptions {
  venue?: string;
  clock: TimeSource;
  instruments: readonly Instrument[];
  fill?: FillModelConfig;
  commission: CommissionModel;
  slippage: SlippageModel;
  startingCash?: Decimal;
  currency?: Currency;
  accountId?: string;
}

interface SimOrder {
  readonly cmd: SubmitOrderCommand;
  readonly venueOrderId: VenueOrderId;
  readonly instrument: Instrument;
  readonly seq: number;
  quantity: Decimal;
  limitPrice: Decimal | undefined;
  stopPrice: Decimal | undefined;
  limitNum: number;
  stopNum: number;
  filled: Decimal;
  filledNotional: Decimal;
  commissionPaid: Decimal;
  activeAt: number;
  triggered: boolean;
  waterMark: number;
  sessionDate: string | null;
  done: boolean;
}

interface BookState {
  orders: SimOrder[];
  lastTs: number | null;
  lastClose: number;
}

class ReferenceExchange {
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

  constructor(opts: ReferenceOptions) {
    this.venue = opts.venue ?? 'SIM';
    this.clock = opts.clock;
    for (const i of opts.instruments) this.instruments.set(i.id, i);
    this.fill = opts.fill ?? fillModelConfig();
    this.commission = opts.commission;
    this.slippage = opts.slippage;
    this.cash = opts.startingCash ?? ZERO;
    this.currency = opts.currency ?? USD;
    this.accountId = toAccountId(opts.accountId ?? `${this.venue}-ACCOUNT`);
  }

  onExecutionReport(listener: (report: ExecutionReport) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
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
  processBar(bar: Bar): void {
    const book = this.book(bar.instrumentId);
    const prevTs = book.lastTs;
    if (book.orders.length > 0) this.match(book, bar, prevTs);
    book.lastTs = bar.ts;
    book.lastClose = bar.close;
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
  private remove(o: SimOrder): void {
    const orders = this.book(o.cmd.instrumentId).orders;
    const i = orders.indexOf(o);
    if (i >= 0) orders.splice(i, 1);
    this.byClientId.delete(o.cmd.clientOrderId);
  }
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
    o.filled = o.filled.isZero() ? qty : o.filled.add(qty);
    const pxQty = px.mul(qty);
    const notional = inst.unitMultiplier ? pxQty : pxQty.mul(inst.multiplier);
    o.filledNotional = o.filledNotional.isZero() ? notional : o.filledNotional.add(notional);
    const totalCommission = this.commission.total(o.filled, o.filledNotional, inst);
    const commission = o.commissionPaid.isZero()
      ? totalCommission
      : totalCommission.sub(o.commissionPaid);
    o.commissionPaid = totalCommission;
    if (o.filled.gte(o.quantity)) this.remove(o);
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
      cumulativeQty: o.filled === qty ? lastQty : Quantity.fromDecimal(o.filled),
      commission: commission.isZero()
        ? this.zeroMoney(inst.currency)
        : Money.fromDecimal(commission, inst.currency),
      liquiditySide: liquidity,
      tsEvent: ts,
      tsInit: ts,
    });
  }
  private zeroMoney(currency: Currency): Money {
    let m = this.zeroMoneys.get(currency);
    if (m === undefined) {
      m = Money.fromDecimal(ZERO, currency);
      this.zeroMoneys.set(currency, m);
    }
    return m;
  }
  private applyPosition(
    id: InstrumentId,
    buy: boolean,
    qty: Decimal,
    px: Decimal,
    pxQty: Decimal,
  ): void {
    const q = this.positionQty.get(id) ?? ZERO;
    const cost = this.positionCost.get(id) ?? ZERO;
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

// ---------------------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------------------

/** A value as text that tells every decimal apart: `toFixed()`, and `-0` for a negative zero. */
function normalize(v: unknown): unknown {
  if (v instanceof TradingDecimal) return v.isZero() && v.isNegative() ? '-0' : v.toFixed();
  if (v instanceof Price) return { price: normalize(v.value) };
  if (v instanceof Quantity) return { quantity: normalize(v.value) };
  if (v instanceof Money) return { money: normalize(v.amount), currency: v.currency };
  if (Array.isArray(v)) return v.map(normalize);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
  return v;
}

const pow10 = (k: number) => new TradingDecimal(10).pow(k);

/** An instrument's grid: tick, lot and multiplier. */
const instrumentArb = fc.record({
  tick: fc.constantFrom('0.01', '0.05', '0.25', '1', '0.0001', '0.5'),
  lot: fc.constantFrom('1', '0.001', '0.01', '0.5', '10'),
  multiplier: fc.constantFrom('1', '10', '0.5'),
});

/** A bar price as an integer count of 10^-decimals (0–4 decimals), or a huge one. */
const priceArb = fc.record({
  decimals: fc.integer({ min: 0, max: 4 }),
  units: fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min: 1, max: 200_000 }) },
    { weight: 2, arbitrary: fc.integer({ min: 100_000_000_000, max: 90_000_000_000_000 }) },
    { weight: 1, arbitrary: fc.constant(0) },
  ),
});

const commandArb = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('submit' as const),
      inst: fc.nat(1),
      side: fc.constantFrom<OrderSide>('BUY', 'SELL'),
      type: fc.constantFrom('MARKET', 'MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT'),
      tif: fc.constantFrom('GTC', 'GTC', 'GTC', 'IOC', 'FOK'),
      lots: fc.oneof(
        { weight: 10, arbitrary: fc.integer({ min: 1, max: 2_000 }) },
        { weight: 1, arbitrary: fc.integer({ min: 1_000_000_000, max: 9_000_000_000_000 }) },
      ),
      limitTicks: fc.integer({ min: -20, max: 20 }),
      stopTicks: fc.integer({ min: -20, max: 20 }),
      reduceOnly: fc.nat(9).map((n) => n === 0),
      // a quantity off the lot grid by a quarter or half lot or by 10^-6 lot (rejected)
      offLot: fc.constantFrom(null, null, null, null, null, null, null, '0.25', '0.5', '0.000001'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), back: fc.nat(5) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('replace' as const),
      back: fc.nat(5),
      lots: fc.integer({ min: 1, max: 3_000 }),
    }),
  },
);

const stepArb = fc.record({
  inst: fc.nat(1),
  price: priceArb,
  up: fc.integer({ min: 0, max: 50 }),
  down: fc.integer({ min: 0, max: 50 }),
  volume: fc.oneof(
    { weight: 10, arbitrary: fc.integer({ min: 0, max: 5_000 }) },
    { weight: 1, arbitrary: fc.constantFrom(1234.5, 0.75, 1e13, 7e15) },
  ),
  commands: fc.array(commandArb, { maxLength: 3 }),
});

const commissionArb = fc.oneof(
  fc.record(
    {
      perUnit: fc.constantFrom('0.005', '0.0035', '0.01'),
      perOrder: fc.constantFrom('1', '2.5', '-0'),
      pctOfNotional: fc.constantFrom('0.001', '0.0005', '0.00025', '0.0000001'),
      minimum: fc.constantFrom('1', '0.35'),
    },
    { requiredKeys: [] },
  ),
  fc.constant('custom' as const),
);

const slippageArb = fc.constantFrom<SlippageSpec>(
  { none: true },
  { ticks: '1' },
  { ticks: '2' },
  { ticks: '0.5' },
  { ticks: '0' },
  { bps: '5' },
  { bps: '2.5' },
  { bps: '10' },
  { bps: '0.1' },
  { bps: '0' },
);

/** A commission model outside the built-in one (the exchange hands it decimals). */
const customCommission = (): CommissionModel => ({
  total: (q, n) => q.mul('0.013').add(n.abs().mul('0.00007')),
  describe: () => 'custom',
});

describe('SimulatedExchange fixed-point fill path equals the decimal.js code it replaced', () => {
  it('reports, account, positions and open orders after every step', async () => {
    const stats = { fills: 0, partial: 0, unsafe: 0, reduced: 0, steps: 0, remembered: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(instrumentArb, { minLength: 2, maxLength: 2 }),
        commissionArb,
        slippageArb,
        fc.constantFrom(null, '0.1', '0.25', '0.333', '1'),
        fc.constantFrom<'close' | 'next-open'>('close', 'next-open'),
        fc.constantFrom(0, 30_000),
        fc.constantFrom('1000000', '0', '123456.789', '1e15', '-5e14'),
        fc.array(stepArb, { minLength: 10, maxLength: 40, size: 'max' }),
        fc.constantFrom(0, 0, 3, 5),
        async (
          grids,
          commission,
          slippage,
          participation,
          marketFill,
          latencyMs,
          cash,
          steps,
          reactEvery,
        ) => {
          const instruments = grids.map(
            (g, i) =>
              new Instrument({
                id: `X${i}.SIM`,
                tickSize: g.tick,
                lotSize: g.lot,
                multiplier: g.multiplier,
              }),
          );
          let now = 1_700_000_000_000;
          const clock = { now: () => now };
          const fill = fillModelConfig({ marketFill, participation, latencyMs });
          const startingCash = new TradingDecimal(cash);
          const ex = new SimulatedExchange({
            clock,
            instruments,
            fill,
            commission: commission === 'custom' ? customCommission() : commissionModel(commission),
            slippage: slippageModel(slippage),
            startingCash,
          });
          const ref = new ReferenceExchange({
            clock,
            instruments,
            fill,
            commission:
              commission === 'custom' ? customCommission() : referenceCommission(commission),
            slippage: referenceSlippage(slippage),
            startingCash,
          });
          const got: ExecutionReport[] = [];
          const want: ExecutionReport[] = [];
          ex.onExecutionReport((r) => {
            got.push(r);
            // A fill price the exchange registered with rememberScaled (priced from the bar's
            // number) must read as the integer its own digits give (read from a copy).
            if (r.kind === 'filled' && isRememberedScaled(r.lastPx.value)) {
              stats.remembered++;
              const px = r.lastPx.value;
              const a: Scaled = { n: 0, scale: 0 };
              const b: Scaled = { n: 0, scale: 0 };
              expect(scaledInt(px, a)).toBe(true);
              expect(scaledInt(new TradingDecimal(px), b)).toBe(true);
              expect(a).toEqual(b);
              expect(toDecimal(px)).toBe(px);
            }
          });
          ref.onExecutionReport((r) => want.push(r));
          const ids: ClientOrderId[] = [];
          if (reactEvery > 0) {
            // Listeners that act inside reports, the same way on both exchanges: cancel an order
            // while its acceptance is reported (before it rests), and on fills cancel, replace or
            // submit (while a bar is being matched, so these run inside the matching loop).
            const reactor = (venue: typeof ex | typeof ref) => {
              let n = 0;
              return (r: ExecutionReport) => {
                if (++n % reactEvery !== 0) return;
                const ts = now;
                if (r.kind === 'accepted')
                  venue.cancelOrder({ clientOrderId: r.clientOrderId, ts });
                if (r.kind !== 'filled' || ids.length === 0) return;
                const other = ids[n % ids.length];
                if (n % 3 === 0) venue.cancelOrder({ clientOrderId: other, ts });
                else if (n % 3 === 1)
                  venue.replaceOrder({
                    clientOrderId: other,
                    quantity: Quantity.fromDecimal(instruments[0].lotSize.mul(1 + (n % 400))),
                    ts,
                  });
                else
                  venue.submitOrder({
                    clientOrderId: clientOrderId(`R-${n}`),
                    instrumentId: r.instrumentId,
                    side: r.side === 'BUY' ? 'SELL' : 'BUY',
                    type: 'MARKET',
                    quantity: r.lastQty,
                    timeInForce: 'GTC',
                    ts,
                  });
              };
            };
            ex.onExecutionReport(reactor(ex));
            ref.onExecutionReport(reactor(ref));
          }
          const last = [new TradingDecimal(100), new TradingDecimal(100)];
          const position = [ZERO, ZERO];
          for (const s of steps) {
            stats.steps++;
            now += 60_000;
            const inst = instruments[s.inst];
            const open = s.price.units / 10 ** s.price.decimals;
            const step = 10 ** -s.price.decimals;
            const bar: Bar = {
              instrumentId: inst.id,
              ts: now,
              open,
              high: open + s.up * step,
              low: Math.max(0, open - s.down * step),
              close: open + ((s.up - s.down) / 2) * step,
              volume: s.volume,
            };
            ex.processBar(bar);
            ref.processBar(bar);
            last[s.inst] = new TradingDecimal(s.price.units).div(pow10(s.price.decimals));
            for (const c of s.commands) {
              if (c.kind === 'submit') {
                const i = instruments[c.inst];
                const onTick = (ticks: number) =>
                  Price.fromDecimal(
                    last[c.inst].div(i.tickSize).floor().add(ticks).mul(i.tickSize),
                  );
                const cmd: SubmitOrderCommand = {
                  clientOrderId: clientOrderId(`D-${ids.length + 1}`),
                  instrumentId: i.id,
                  side: c.side,
                  type: c.type,
                  quantity: Quantity.fromDecimal(
                    c.offLot === null
                      ? i.lotSize.mul(c.lots)
                      : i.lotSize.mul(c.lots).add(i.lotSize.mul(c.offLot)),
                  ),
                  timeInForce: c.tif,
                  ts: now,
                  reduceOnly: c.reduceOnly || undefined,
                  limitPrice:
                    c.type === 'LIMIT' || c.type === 'STOP_LIMIT'
                      ? onTick(c.limitTicks)
                      : undefined,
                  stopPrice:
                    c.type === 'STOP' || c.type === 'STOP_LIMIT' ? onTick(c.stopTicks) : undefined,
                };
                ids.push(cmd.clientOrderId);
                ex.submitOrder(cmd);
                ref.submitOrder(cmd);
              } else if (ids.length > 0) {
                const id = ids[Math.max(0, ids.length - 1 - c.back)];
                if (c.kind === 'cancel') {
                  ex.cancelOrder({ clientOrderId: id, ts: now });
                  ref.cancelOrder({ clientOrderId: id, ts: now });
                } else {
                  const lot = instruments[0].lotSize;
                  const r: ReplaceOrderCommand = {
                    clientOrderId: id,
                    quantity: Quantity.fromDecimal(lot.mul(c.lots)),
                    ts: now,
                  };
                  ex.replaceOrder(r);
                  ref.replaceOrder(r);
                }
              }
            }
            expect(normalize(got)).toEqual(normalize(want));
            for (const r of want) {
              if (r.kind !== 'filled') continue;
              stats.fills++;
              if (!r.cumulativeQty?.eq(r.lastQty)) stats.partial++;
              const k = r.instrumentId === instruments[0].id ? 0 : 1;
              const i = instruments[k];
              const notional = r.lastPx.value.mul(r.lastQty.value).mul(i.multiplier);
              if (!fitsSafe(notional) || !fitsSafe(r.lastQty.value)) stats.unsafe++;
              const q = position[k];
              const signed = r.side === 'BUY' ? r.lastQty.value : r.lastQty.value.neg();
              const nq = q.add(signed);
              if (
                !q.isZero() &&
                !nq.isZero() &&
                q.isNegative() === nq.isNegative() &&
                q.isNegative() !== signed.isNegative()
              )
                stats.reduced++;
              position[k] = nq;
            }
            got.length = 0;
            want.length = 0;
            expect(normalize(await ex.account())).toEqual(normalize(await ref.account()));
            expect(normalize(await ex.positions())).toEqual(normalize(await ref.positions()));
            expect(normalize(await ex.openOrders())).toEqual(normalize(await ref.openOrders()));
          }
        },
      ),
      { numRuns: 250 },
    );
    expect(stats.fills).toBeGreaterThan(3_000);
    expect(stats.partial).toBeGreaterThan(800);
    expect(stats.unsafe).toBeGreaterThan(200);
    expect(stats.reduced).toBeGreaterThan(800);
    expect(stats.remembered).toBeGreaterThan(100);
  });
});

/** True when `x` is n / 10^s with n a safe integer (the integer path can hold it). */
function fitsSafe(x: Decimal): boolean {
  const s = Math.max(0, x.decimalPlaces());
  return x.mul(pow10(s)).abs().lte(Number.MAX_SAFE_INTEGER);
}

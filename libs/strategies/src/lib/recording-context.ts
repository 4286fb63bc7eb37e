import {
  Bar,
  ClientOrderId,
  Decimal,
  Instrument,
  InstrumentId,
  Money,
  OrderSide,
  PositionSide,
  Price,
  StrategyId,
  strategyId as parseStrategyId,
  TradingDecimal,
  tradeId,
  venueOrderId,
  ZERO,
} from '@trading/domain';
import type {
  BracketIds,
  BracketParams,
  FillInfo,
  JsonValue,
  OrderParams,
  PositionInfo,
  ReplaceParams,
  Strategy,
  StrategyContext,
  StrategyLogger,
} from '@trading/engine';
import {
  applyOrderEvent,
  ClientOrderIdGenerator,
  Order,
  OrderEvent,
  OrderRequest,
  validateOrderRequest,
} from '@trading/order-lifecycle';

/** What kind of call a strategy made on its context. */
export type DecisionKind =
  | 'submit'
  | 'submitBracket'
  | 'cancel'
  | 'cancelAll'
  | 'replace'
  | 'setTimer'
  | 'setTimeAlert'
  | 'cancelTimer';

/** One recorded strategy decision (a call that would change the outside world). */
export interface RecordedDecision {
  /** Index of the bar being processed when the decision was made (-1 in onStart). */
  readonly barIndex: number;
  /** Context time (`ts` of that bar). */
  readonly ts: number;
  readonly kind: DecisionKind;
  /** The arguments as plain JSON (decimals as strings). */
  readonly args: JsonValue;
  /** `kind` + canonical JSON of `args`: two decisions are the same when their keys are equal. */
  readonly key: string;
}

/** A simulated fill. */
export interface RecordedFill {
  readonly barIndex: number;
  readonly clientOrderId: ClientOrderId;
  readonly instrumentId: InstrumentId;
  readonly side: OrderSide;
  readonly quantity: string;
  readonly price: string;
}

/** A log line written by the strategy. */
export interface RecordedLog {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

/** Options of a {@link RecordingContext}. */
export interface RecordingContextOptions {
  /** Default `test`. */
  readonly strategyId?: StrategyId | string;
  /** Instrument definitions (tick/lot size); unknown ids get defaults (tick 0.01, lot 1, USD). */
  readonly instruments?: readonly Instrument[];
  /** Starting cash in USD (default 1,000,000). */
  readonly cash?: string | number;
  /** Keep log lines in {@link RecordingContext.logs} (default true). */
  readonly keepLogs?: boolean;
}

interface Pos {
  qty: Decimal;
  avg: Decimal | null;
}

/** Bracket exits waiting for their entry, and OCO siblings. */
interface Link {
  /** Orders released when this (entry) order fills. */
  children?: ClientOrderId[];
  /** Orders canceled when this order fills. */
  oco?: ClientOrderId;
}

const NO_ORDERS: readonly Order[] = Object.freeze([]);

/**
 * A lightweight in-memory {@link StrategyContext} for strategy unit tests and the look-ahead checker.
 *
 * - Drive it with {@link start} / {@link step} / {@link stop} (or {@link runBars}); `step` advances the
 *   bar index, sets the time to `bar.ts` and the last price to `bar.close`, matches resting orders
 *   against the bar, then calls `onBar`. Fills are delivered to `onFill` after the callback returns
 *   (never re-entrantly).
 * - MARKET orders fill immediately and completely at the current bar's close (or the last price)
 *   so positions update at once; no price ⇒ the order is rejected.
 * - LIMIT and STOP orders rest and are matched on later bars of their instrument: buy limit fills when
 *   low ≤ limit at min(open, limit), sell limit when high ≥ limit at max(open, limit), buy stop when
 *   high ≥ stop at max(open, stop), sell stop when low ≤ stop at min(open, stop); stops are matched
 *   before limits (pessimistic when both legs of a bracket are touched by one bar).
 *   STOP_LIMIT and TRAILING_STOP orders rest unmatched.
 * - Brackets: the entry (MARKET or LIMIT) releases a LIMIT take-profit and a STOP stop-loss when it
 *   fills; the exits are OCO (a fill of one cancels the other).
 * - Requests are validated like the kernel does: an invalid one becomes a rejection (never a throw),
 *   listed in {@link rejections}. No commissions; timers are recorded but never fire.
 * - Every submit / bracket / cancel / replace / timer call is recorded in {@link decisions} with the bar
 *   index it was made at.
 */
export class RecordingContext implements StrategyContext {
  readonly strategyId: StrategyId;
  readonly log: StrategyLogger;
  /** Every decision in call order. */
  readonly decisions: RecordedDecision[] = [];
  /** Every simulated fill. */
  readonly fills: RecordedFill[] = [];
  /** Rejected requests (client order id and reasons). */
  readonly rejections: { clientOrderId: ClientOrderId; barIndex: number; reasons: string[] }[] = [];
  /** Log lines. */
  readonly logs: RecordedLog[] = [];
  /** Index of the current bar (-1 before the first). */
  barIndex = -1;
  private ts = 0;
  private cashAmount: Decimal;
  private readonly ids: ClientOrderIdGenerator;
  private readonly instrumentDefs = new Map<InstrumentId, Instrument>();
  private readonly lastPrices = new Map<InstrumentId, number>();
  private curId: InstrumentId | undefined;
  private curPx = NaN;
  private readonly positions = new Map<InstrumentId, Pos>();
  private readonly orders = new Map<ClientOrderId, Order>();
  private readonly links = new Map<ClientOrderId, Link>();
  /** Open orders (working or held) in submission order. */
  private open: Order[] = [];
  /** Number of open orders that can match a bar (accepted LIMIT/STOP). */
  private resting = 0;
  private readonly queue: FillInfo[] = [];
  private tradeSeq = 0;

  constructor(opts: RecordingContextOptions = {}) {
    this.strategyId = parseStrategyId(opts.strategyId ?? 'test');
    this.ids = new ClientOrderIdGenerator(this.strategyId);
    this.cashAmount = new TradingDecimal(opts.cash ?? 1_000_000);
    for (const i of opts.instruments ?? []) this.instrumentDefs.set(i.id, i);
    const keep = opts.keepLogs ?? true;
    const logAt =
      (level: RecordedLog['level']) =>
      (message: string, fields?: Record<string, unknown>): void => {
        if (keep)
          this.logs.push(fields === undefined ? { level, message } : { level, message, fields });
      };
    this.log = {
      debug: logAt('debug'),
      info: logAt('info'),
      warn: logAt('warn'),
      error: logAt('error'),
    };
  }

  // ---- driving --------------------------------------------------------------------------------

  /** Calls `onStart`. */
  start(strategy: Strategy): void {
    strategy.onStart?.(this);
    this.deliver(strategy);
  }

  /** Processes one bar: clock, last price, resting-order matching, `onFill`s, `onBar`, `onFill`s. */
  step(strategy: Strategy, bar: Bar): void {
    this.barIndex++;
    this.ts = bar.ts;
    // last price: one field for the current instrument, the map only when the instrument changes
    if (bar.instrumentId !== this.curId) {
      if (this.curId !== undefined) this.lastPrices.set(this.curId, this.curPx);
      this.curId = bar.instrumentId;
    }
    this.curPx = bar.close;
    if (this.resting !== 0) this.match(bar);
    if (this.queue.length !== 0) this.deliver(strategy);
    strategy.onBar?.(bar, this);
    if (this.queue.length !== 0) this.deliver(strategy);
  }

  /** Calls `onStop`. */
  stop(strategy: Strategy): void {
    strategy.onStop?.(this);
    this.deliver(strategy);
  }

  /** Decisions made at or before `barIndex`. */
  decisionsUpTo(barIndex: number): RecordedDecision[] {
    return this.decisions.filter((d) => d.barIndex <= barIndex);
  }

  // ---- StrategyContext ------------------------------------------------------------------------

  now(): number {
    return this.ts;
  }

  instrument(id: InstrumentId): Instrument {
    let i = this.instrumentDefs.get(id);
    if (!i) this.instrumentDefs.set(id, (i = new Instrument({ id })));
    return i;
  }

  position(id: InstrumentId): PositionInfo {
    const p = this.positions.get(id);
    const qty = p ? p.qty : ZERO;
    return {
      instrumentId: id,
      quantity: qty,
      avgPrice: p ? p.avg : null,
      side: qty.isZero()
        ? PositionSide.FLAT
        : qty.isPositive()
          ? PositionSide.LONG
          : PositionSide.SHORT,
    };
  }

  cash(): Money {
    return Money.of(this.cashAmount);
  }

  equity(): Money {
    let eq = this.cashAmount;
    for (const [id, p] of this.positions) {
      const px = this.lastPrice(id);
      if (px !== undefined && !p.qty.isZero())
        eq = eq.add(p.qty.mul(Price.of(px).value).mul(this.instrument(id).multiplier));
    }
    return Money.of(eq);
  }

  lastPrice(id: InstrumentId): number | undefined {
    return id === this.curId ? this.curPx : this.lastPrices.get(id);
  }

  openOrders(instrumentId?: InstrumentId): readonly Order[] {
    if (this.open.length === 0) return NO_ORDERS;
    return instrumentId === undefined
      ? [...this.open]
      : this.open.filter((o) => o.instrumentId === instrumentId);
  }

  order(id: ClientOrderId): Order | undefined {
    return this.orders.get(id);
  }

  submit(params: OrderParams): ClientOrderId {
    this.record('submit', params);
    const id = this.ids.next();
    const req = this.request(id, params);
    if (req) this.place(req, true);
    return id;
  }

  submitBracket(params: BracketParams): BracketIds {
    this.record('submitBracket', params);
    const ids: BracketIds = {
      entry: this.ids.next(),
      takeProfit: this.ids.next(),
      stopLoss: this.ids.next(),
    };
    const exitSide = params.side === OrderSide.BUY ? OrderSide.SELL : OrderSide.BUY;
    const common = {
      instrumentId: params.instrumentId,
      quantity: params.quantity,
      timeInForce: params.timeInForce,
      tags: params.tags,
    };
    const entry = this.request(ids.entry, {
      ...common,
      side: params.side,
      type: params.entryType ?? 'MARKET',
      ...(params.entryType === 'LIMIT' && { limitPrice: params.entryPrice }),
    });
    const tp = this.request(ids.takeProfit, {
      ...common,
      side: exitSide,
      type: 'LIMIT',
      limitPrice: params.takeProfitPrice,
    });
    const sl = this.request(ids.stopLoss, {
      ...common,
      side: exitSide,
      type: 'STOP',
      stopPrice: params.stopLossPrice,
    });
    if (!entry || !tp || !sl) return ids; // any invalid leg rejects the whole bracket (recorded)
    this.links.set(ids.entry, { children: [ids.takeProfit, ids.stopLoss] });
    this.links.set(ids.takeProfit, { oco: ids.stopLoss });
    this.links.set(ids.stopLoss, { oco: ids.takeProfit });
    // exits are held (INITIALIZED, open) until the entry fills
    this.place(tp, false);
    this.place(sl, false);
    this.place(entry, true);
    return ids;
  }

  cancel(id: ClientOrderId): void {
    this.record('cancel', { clientOrderId: id });
    this.close(id, 'CANCELED');
  }

  cancelAll(instrumentId?: InstrumentId): void {
    this.record('cancelAll', instrumentId === undefined ? {} : { instrumentId });
    for (const o of this.openOrders(instrumentId)) this.close(o.clientOrderId, 'CANCELED');
  }

  replace(id: ClientOrderId, changes: ReplaceParams): void {
    this.record('replace', { clientOrderId: id, ...changes });
    const o = this.orders.get(id);
    if (!o || !o.isOpen) return;
    const req = this.request(id, { ...o.request, ...changes }, o.request);
    if (!req) return;
    if (o.status === 'INITIALIZED') return this.update(Order.create(req, o.tsInit, this.ts));
    const ts = this.ts;
    const pending = this.apply(o, {
      type: 'OrderPendingReplace',
      clientOrderId: id,
      tsEvent: ts,
      tsInit: ts,
    });
    this.update(
      this.apply(pending, {
        type: 'OrderReplaced',
        clientOrderId: id,
        tsEvent: ts,
        tsInit: ts,
        quantity: req.quantity,
        ...(req.limitPrice && { limitPrice: req.limitPrice }),
        ...(req.stopPrice && { stopPrice: req.stopPrice }),
        ...(req.trailingOffset && { trailingOffset: req.trailingOffset }),
      }),
    );
  }

  setTimer(name: string, intervalMs: number, opts?: { startAt?: number; stopAt?: number }): void {
    this.record('setTimer', { name, intervalMs, ...(opts ?? {}) });
  }

  setTimeAlert(name: string, at: number): void {
    this.record('setTimeAlert', { name, at });
  }

  cancelTimer(name: string): void {
    this.record('cancelTimer', { name });
  }

  // ---- internals ------------------------------------------------------------------------------

  /** Applies an event through the order state machine (a failure here is a bug of this class). */
  private apply(o: Order, e: OrderEvent): Order {
    const r = applyOrderEvent(o, e);
    if (!r.ok) throw r.error;
    return r.value.order;
  }

  private record(kind: DecisionKind, args: object): void {
    const text = JSON.stringify(args);
    this.decisions.push({
      barIndex: this.barIndex,
      ts: this.ts,
      kind,
      args: JSON.parse(text) as JsonValue,
      key: `${kind} ${text}`,
    });
  }

  /** Validates a request like the kernel; an invalid one is recorded as a rejection. */
  private request(
    id: ClientOrderId,
    p: OrderParams | Record<string, unknown>,
    base?: OrderRequest,
  ): OrderRequest | undefined {
    const q = p as Record<string, unknown>;
    const raw = {
      ...(base ?? {}),
      clientOrderId: id,
      strategyId: this.strategyId,
      instrumentId: q['instrumentId'],
      side: q['side'],
      type: q['type'] ?? 'MARKET',
      timeInForce: q['timeInForce'] ?? 'GTC',
      quantity: q['quantity'],
      limitPrice: q['limitPrice'],
      stopPrice: q['stopPrice'],
      trailingOffset: q['trailingOffset'],
      expireAt: q['expireAt'],
      reduceOnly: q['reduceOnly'],
      tags: q['tags'],
    };
    const r = validateOrderRequest(raw);
    if (r.ok && r.value.quantity.isPositive()) return r.value;
    this.rejections.push({
      clientOrderId: id,
      barIndex: this.barIndex,
      reasons: r.ok ? ['quantity: must be greater than 0'] : r.error.map((e) => e.message),
    });
    return undefined;
  }

  private place(req: OrderRequest, active: boolean): void {
    const o = Order.create(req, this.ts);
    if (!active) {
      this.orders.set(req.clientOrderId, o);
      this.open.push(o);
      return;
    }
    this.activate(o);
  }

  /** Accepts an order: MARKET fills at once at the last price, LIMIT/STOP rest. */
  private activate(initial: Order): void {
    const id = initial.clientOrderId;
    const ts = this.ts;
    const submitted = this.apply(initial, {
      type: 'OrderSubmitted',
      clientOrderId: id,
      tsEvent: ts,
      tsInit: ts,
    });
    if (initial.type === 'MARKET' && this.lastPrice(initial.instrumentId) === undefined) {
      this.orders.set(
        id,
        this.apply(submitted, {
          type: 'OrderRejected',
          clientOrderId: id,
          tsEvent: ts,
          tsInit: ts,
          reason: `no price for ${initial.instrumentId}`,
        }),
      );
      this.dropOpen(id);
      this.rejections.push({
        clientOrderId: id,
        barIndex: this.barIndex,
        reasons: [`no price for ${initial.instrumentId}`],
      });
      return;
    }
    const o = this.apply(submitted, {
      type: 'OrderAccepted',
      clientOrderId: id,
      tsEvent: ts,
      tsInit: ts,
      venueOrderId: venueOrderId(`V-${id}`),
    });
    if (o.type === 'MARKET') {
      this.orders.set(id, o);
      this.fill(o, Price.of(this.lastPrice(o.instrumentId) as number).value);
      return;
    }
    this.orders.set(id, o);
    this.replaceOpen(o);
    if (o.type === 'LIMIT' || o.type === 'STOP') this.resting++;
  }

  private fill(o: Order, px: Decimal): void {
    const id = o.clientOrderId;
    const qty = o.quantity;
    const wasResting = o.status === 'ACCEPTED' && (o.type === 'LIMIT' || o.type === 'STOP');
    const price = Price.fromDecimal(px);
    const ts = this.ts;
    const filled = this.apply(o, {
      type: 'OrderFilled',
      clientOrderId: id,
      tsEvent: ts,
      tsInit: ts,
      tradeId: tradeId(`T-${++this.tradeSeq}`),
      lastQty: qty,
      lastPx: price,
      commission: Money.zero(),
      liquiditySide: 'TAKER',
    });
    this.orders.set(id, filled);
    this.dropOpen(id);
    if (wasResting) this.resting--;
    this.applyPosition(o.instrumentId, o.side === OrderSide.BUY ? qty.value : qty.value.neg(), px);
    this.fills.push({
      barIndex: this.barIndex,
      clientOrderId: id,
      instrumentId: o.instrumentId,
      side: o.side,
      quantity: qty.toString(),
      price: price.toString(),
    });
    this.queue.push({
      clientOrderId: id,
      instrumentId: o.instrumentId,
      side: o.side,
      quantity: qty,
      price,
      commission: Money.zero(),
      ts: this.ts,
      order: filled,
    });
    const link = this.links.get(id);
    if (link?.oco) this.close(link.oco, 'CANCELED');
    if (link?.children) for (const c of link.children) this.release(c);
  }

  private release(id: ClientOrderId): void {
    const o = this.orders.get(id);
    if (o && o.status === 'INITIALIZED') this.activate(o);
  }

  private close(id: ClientOrderId, status: 'CANCELED'): void {
    const o = this.orders.get(id);
    if (!o || !o.isOpen) return;
    if (o.status === 'ACCEPTED' && (o.type === 'LIMIT' || o.type === 'STOP')) this.resting--;
    this.orders.set(
      id,
      this.apply(o, {
        type: 'OrderCanceled',
        clientOrderId: id,
        tsEvent: this.ts,
        tsInit: this.ts,
      }),
    );
    this.dropOpen(id);
    const children = this.links.get(id)?.children;
    if (children) for (const c of children) this.close(c, status);
  }

  private update(o: Order): void {
    this.orders.set(o.clientOrderId, o);
    this.replaceOpen(o);
  }

  private replaceOpen(o: Order): void {
    const i = this.open.findIndex((x) => x.clientOrderId === o.clientOrderId);
    if (i >= 0) this.open[i] = o;
    else this.open.push(o);
  }

  private dropOpen(id: ClientOrderId): void {
    const i = this.open.findIndex((x) => x.clientOrderId === id);
    if (i >= 0) this.open.splice(i, 1);
  }

  private applyPosition(id: InstrumentId, signed: Decimal, px: Decimal): void {
    let p = this.positions.get(id);
    if (!p) this.positions.set(id, (p = { qty: ZERO, avg: null }));
    const before = p.qty;
    const after = before.add(signed);
    if (after.isZero()) p.avg = null;
    else if (before.isZero() || before.isNegative() !== after.isNegative()) p.avg = px;
    else if (before.isNegative() === signed.isNegative())
      p.avg = (p.avg as Decimal).mul(before.abs()).add(px.mul(signed.abs())).div(after.abs());
    p.qty = after;
    this.cashAmount = this.cashAmount.sub(signed.mul(px).mul(this.instrument(id).multiplier));
  }

  /** Matches resting LIMIT/STOP orders of the bar's instrument (stops first). */
  private match(bar: Bar): void {
    const candidates = this.open.filter(
      (o) =>
        o.instrumentId === bar.instrumentId &&
        o.status === 'ACCEPTED' &&
        (o.type === 'STOP' || o.type === 'LIMIT'),
    );
    candidates.sort((a, b) => (a.type === b.type ? 0 : a.type === 'STOP' ? -1 : 1));
    for (const c of candidates) {
      const o = this.orders.get(c.clientOrderId);
      if (!o || !o.isOpen) continue; // canceled by an OCO sibling in this loop
      const px = crossPrice(o, bar);
      if (px !== undefined) this.fill(o, Price.of(px).value);
    }
  }

  private deliver(strategy: Strategy): void {
    while (this.queue.length !== 0) {
      const f = this.queue.shift() as FillInfo;
      strategy.onFill?.(f, this);
    }
  }
}

/** The fill price of a resting order against a bar, or undefined when the bar does not reach it. */
function crossPrice(o: Order, bar: Bar): number | undefined {
  const buy = o.side === OrderSide.BUY;
  if (o.type === 'LIMIT') {
    const lim = (o.limitPrice as Price).toNumber();
    if (buy) return bar.low <= lim ? Math.min(bar.open, lim) : undefined;
    return bar.high >= lim ? Math.max(bar.open, lim) : undefined;
  }
  const stop = (o.stopPrice as Price).toNumber();
  if (buy) return bar.high >= stop ? Math.max(bar.open, stop) : undefined;
  return bar.low <= stop ? Math.min(bar.open, stop) : undefined;
}

/** Runs a strategy over bars on a (new or given) RecordingContext: start, one step per bar, optional stop. */
export function runBars(
  strategy: Strategy,
  bars: readonly Bar[],
  opts: { ctx?: RecordingContext; start?: boolean; stop?: boolean } & RecordingContextOptions = {},
): RecordingContext {
  const ctx = opts.ctx ?? new RecordingContext({ strategyId: strategy.id, ...opts });
  if (opts.start ?? true) ctx.start(strategy);
  for (let i = 0; i < bars.length; i++) ctx.step(strategy, bars[i]);
  if (opts.stop) ctx.stop(strategy);
  return ctx;
}

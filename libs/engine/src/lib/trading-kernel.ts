import {
  Bar,
  ClientOrderId,
  Decimal,
  DecimalInput,
  Instrument,
  InstrumentId,
  Money,
  Price,
  Quantity,
  Quote,
  StrategyId,
  Tick,
  ValidationError,
  ZERO,
} from '@trading/domain';
import type { Clock, TimerHandle } from '@trading/clock';
import type { Broker, ExecutionReport, SubmitOrderCommand } from '@trading/brokers';
import {
  ClientOrderIdGenerator,
  ContingencyAction,
  ContingencyManager,
  encodeOrderEvent,
  Order,
  OrderBook,
  OrderEvent,
  OrderList,
  OrderRequest,
  OrderTransition,
  OrderTransitionError,
  validateOrderRequest,
} from '@trading/order-lifecycle';
import type { Portfolio } from '@trading/portfolio';
import { LazyDecimalCell, LazyMaxCell } from '@trading/risk';
import type {
  LazyDecimal,
  RiskContext,
  RiskDecision,
  RiskEngine,
  RiskEvent,
  RiskOrderRequest,
  TradingHours,
} from '@trading/risk';
import { EventJournal, NULL_JOURNAL } from './event-journal.port';
import {
  KernelEvent,
  KernelEventKind,
  KernelEventListener,
  KernelEventSubscription,
  OrderDenial,
} from './kernel-events';
import type {
  BracketIds,
  BracketParams,
  JsonValue,
  OrderParams,
  PositionInfo,
  ReplaceParams,
  Strategy,
  StrategyContext,
  StrategyLogger,
} from './strategy.port';

// Read once: an import from another lib goes through a re-export getter on every use (CommonJS),
// and these run for every order.
const QuantityClass = Quantity;
const PriceClass = Price;
const DecimalClass = Decimal;
const ZERO_DEC = ZERO;
const validateRequest = validateOrderRequest;
const TransitionError = OrderTransitionError;

/** A {@link RiskContext} the kernel refills for every check (see `TradingKernel.checkRisk`). */
type MutableRiskContext = { -readonly [K in keyof RiskContext]: RiskContext[K] };
/** A {@link RiskOrderRequest} the kernel refills for every check. */
type MutableRiskRequest = { -readonly [K in keyof RiskOrderRequest]: RiskOrderRequest[K] };

/** Validated order quantities given as numbers, by number (see `TradingKernel.buildRequest`). */
const QUANTITY_OF_NUMBER_MAX = 256;

/** Runs a queued task (see `TradingKernel.run`). */
const callTask = (task: () => void): void => task();

/** A queued call's function: `f.call(kernel, arg)` (see `TradingKernel.runWith`). */
type QueuedCall = (this: TradingKernel, arg: never) => void;

/** What the kernel is built from (all adapters already bound to their ports). */
export interface TradingKernelDeps {
  readonly clock: Clock;
  readonly broker: Broker;
  readonly portfolio: Portfolio;
  readonly risk: RiskEngine;
  readonly instruments: readonly Instrument[];
  readonly strategies: readonly Strategy[];
  /** Default: records nothing. */
  readonly journal?: EventJournal;
  /** Calendar for the trading-hours control. */
  readonly tradingHours?: TradingHours;
  /** Recovered state (see {@link TradingKernel.snapshot}); default: empty. */
  readonly orderBook?: OrderBook;
  readonly contingencies?: ContingencyManager;
  /** Last used client-order-id sequence per strategy (recovered). */
  readonly idSequences?: Readonly<Record<string, number>>;
  /** Strategy logger factory; default: silent. */
  readonly logger?: (strategyId: StrategyId) => StrategyLogger;
  /** `throw` (default): a strategy exception aborts the caller (backtests fail loudly). `isolate`: the strategy is stopped, its orders canceled, the kernel goes on. */
  readonly onStrategyError?: 'throw' | 'isolate';
}

/** The kernel's durable state (besides the WAL tail), for snapshots. */
export interface KernelSnapshot {
  readonly version: 1;
  readonly ts: number;
  readonly orderBook: JsonValue;
  readonly contingencies: JsonValue;
  readonly portfolio: JsonValue;
  readonly risk: JsonValue;
  readonly idSequences: Record<string, number>;
  readonly strategies: Record<string, JsonValue>;
}

const SILENT_LOGGER: StrategyLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

interface Hosted {
  readonly strategy: Strategy;
  readonly ctx: StrategyContext;
  readonly ids: ClientOrderIdGenerator;
  readonly timers: Map<string, TimerHandle>;
  faulted: boolean;
}

/** A subscriber and the kinds it takes (null: all). */
interface Listener {
  readonly listener: KernelEventListener;
  readonly kinds: ReadonlySet<KernelEventKind> | null;
  /** Takes `order` events (`kinds` is null or has 'order'; read once per event, no Set lookup). */
  readonly takesOrder: boolean;
}

/** Booking options of a fill nobody listens to (see `Portfolio.applyFill`). */
const NO_FILL_EVENTS = { events: false } as const;

/** Market state of one instrument inside the kernel. */
interface InstrumentFeed {
  /** Last bar close, trade price or quote mid (meaningful once `priced`). */
  lastPrice: number;
  priced: boolean;
  /** Strategies subscribed to the instrument's market data (undefined: none). */
  subs: Hosted[] | undefined;
  /** The portfolio's marker of this instrument, bound on its first bar (`Portfolio.markerFor`). */
  mark: ((price: number, ts: number) => void) | undefined;
}

/**
 * The trading kernel: strategy host → risk → order lifecycle → `Broker` port; execution reports →
 * order book → portfolio → contingent orders → strategies; every state change → journal and
 * listeners. The same code runs in backtests (simulated clock, simulated exchange, null journal)
 * and live (system clock, venue adapter, WAL) — only the adapters differ.
 *
 * Single-threaded and re-entrancy safe: reports and timer events that arrive while a strategy
 * callback runs (e.g. a simulated fill inside `submit`) are queued and delivered after it returns,
 * in arrival order, so a strategy never sees a callback nested in its own.
 */
export class TradingKernel {
  private readonly clock: Clock;
  private readonly broker: Broker;
  readonly portfolio: Portfolio;
  readonly risk: RiskEngine;
  readonly orders: OrderBook;
  readonly contingencies: ContingencyManager;
  private readonly journal: EventJournal;
  private readonly tradingHours: TradingHours | undefined;
  private readonly instruments = new Map<InstrumentId, Instrument>();
  private readonly hosted = new Map<StrategyId, Hosted>();
  /** Last price and market-data subscribers per instrument (one lookup per bar). */
  private readonly feeds = new Map<InstrumentId, InstrumentFeed>();
  private readonly listeners: Listener[] = [];
  /** Listeners taking `portfolio` events (none: fills are booked without building them). */
  private portfolioListeners = 0;
  /** Listeners taking `order` events (none: the order events are not wrapped for them). */
  private orderListeners = 0;
  /** The last strategy id {@link hostedOf} looked up, and what it found. */
  private lastHostedId: StrategyId | undefined = undefined;
  private lastHosted: Hosted | undefined = undefined;
  /** True while `risk.check` runs with {@link riskCtx} and {@link riskReq} (a nested check builds its own). */
  private checking = false;
  /** The risk context, refilled for every check (the risk engine keeps nothing of it). */
  private readonly riskCtx: MutableRiskContext;
  /** The risk request, refilled for every check (the risk engine keeps nothing of it). */
  private readonly riskReq: MutableRiskRequest;
  private readonly equityCell: LazyDecimalCell;
  private readonly peakCell = new LazyMaxCell();
  /** Whether a configured risk control reads equity, peak equity, start-of-day equity (see `RiskEngine.readsEquity`). */
  private readonly riskReadsEquity: boolean;
  private readonly riskReadsPeak: boolean;
  private readonly riskReadsDayStart: boolean;
  /** Validated quantities of orders given as numbers, by number (bounded; see `buildRequest`). */
  private readonly quantityOfNumber = new Map<number, Quantity>();
  /** The last quantity `validateQuantity` accepted, and the instrument it accepted it for. */
  private validQuantity: Quantity | undefined = undefined;
  private validQuantityOf: Instrument | undefined = undefined;
  /**
   * Calls queued behind the current dispatch, `pendingFns[i].call(this, pendingArgs[i])` for
   * `pendingHead ≤ i < pendingTail`: two parallel arrays with a head index, so queuing a call makes
   * no closure and running one shifts nothing (both reset once the queue empties).
   */
  private readonly pendingFns: QueuedCall[] = [];
  private readonly pendingArgs: unknown[] = [];
  private pendingHead = 0;
  private pendingTail = 0;
  private readonly onStrategyError: 'throw' | 'isolate';
  private busy = false;
  private started = false;
  private journalFailed = false;
  private unsubscribe: (() => void) | null = null;
  private listSeq = 0;

  constructor(deps: TradingKernelDeps) {
    this.clock = deps.clock;
    this.broker = deps.broker;
    this.portfolio = deps.portfolio;
    this.risk = deps.risk;
    this.journal = deps.journal ?? NULL_JOURNAL;
    this.tradingHours = deps.tradingHours;
    this.orders = deps.orderBook ?? new OrderBook();
    this.contingencies = deps.contingencies ?? new ContingencyManager();
    this.onStrategyError = deps.onStrategyError ?? 'throw';
    const risk = this.risk;
    // (anything but an explicit false counts as read: a stand-in engine gets the full context)
    this.riskReadsPeak = risk.readsPeakEquity !== false;
    this.riskReadsDayStart = risk.readsStartOfDayEquity !== false;
    this.riskReadsEquity = risk.readsEquity !== false || this.riskReadsPeak;
    const portfolio = this.portfolio;
    this.equityCell = new LazyDecimalCell(() => portfolio.equity().amount);
    this.riskCtx = {
      equity: ZERO_DEC,
      position: ZERO_DEC,
      openPositions: 0,
      opensNewPosition: true,
      lastPrice: undefined,
      multiplier: undefined,
      startOfDayEquity: ZERO_DEC,
      peakEquity: ZERO_DEC,
      tradingHours: this.tradingHours,
    };
    this.riskReq = {
      instrumentId: '',
      side: 'BUY',
      type: 'MARKET',
      quantity: ZERO_DEC,
      price: undefined,
      strategyId: '',
      ts: 0,
    };
    for (const i of deps.instruments) this.instruments.set(i.id, i);
    const logger = deps.logger ?? (() => SILENT_LOGGER);
    for (const s of deps.strategies) {
      if (this.hosted.has(s.id))
        throw new ValidationError('strategies', s.id, 'strategy ids must be unique');
      const seq = deps.idSequences?.[s.id] ?? 0;
      const ids = ClientOrderIdGenerator.recover(
        s.id,
        this.orders.openOrders({ strategyId: s.id }).map((o) => o.clientOrderId),
        seq,
      );
      const h: Hosted = {
        strategy: s,
        ids,
        timers: new Map(),
        faulted: false,
        ctx: undefined as unknown as StrategyContext,
      };
      (h as { ctx: StrategyContext }).ctx = this.makeContext(h, logger(s.id));
      this.hosted.set(s.id, h);
      for (const id of s.instruments) {
        if (!this.instruments.has(id))
          throw new ValidationError(
            `strategies.${s.id}.instruments`,
            id,
            'must be a configured instrument',
          );
        const f = this.feed(id);
        if (f.subs === undefined) f.subs = [];
        f.subs.push(h);
      }
    }
  }

  /** Subscribes to kernel events (all kinds, or `options.kinds`); returns an unsubscribe function. */
  onEvent(listener: KernelEventListener, options?: KernelEventSubscription): () => void {
    const kinds = options?.kinds === undefined ? null : new Set(options.kinds);
    const takesOrder = kinds === null || kinds.has('order');
    const sub: Listener = { listener, kinds, takesOrder };
    this.listeners.push(sub);
    if (kinds === null || kinds.has('portfolio')) this.portfolioListeners++;
    if (takesOrder) this.orderListeners++;
    return () => {
      const i = this.listeners.indexOf(sub);
      if (i < 0) return;
      this.listeners.splice(i, 1);
      if (kinds === null || kinds.has('portfolio')) this.portfolioListeners--;
      if (takesOrder) this.orderListeners--;
    };
  }

  /** Connects to the broker's reports and starts the strategies (onStart). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.unsubscribe = this.broker.onExecutionReport((r) => this.onExecutionReport(r));
    this.run(() => {
      for (const h of this.hosted.values()) this.callStrategy(h, () => h.strategy.onStart?.(h.ctx));
    });
  }

  /** Stops the strategies (onStop), cancels their timers and detaches from the broker. */
  stop(): void {
    if (!this.started) return;
    this.run(() => {
      for (const h of this.hosted.values()) {
        this.callStrategy(h, () => h.strategy.onStop?.(h.ctx));
        for (const t of h.timers.values()) this.clock.cancelTimer(t);
        h.timers.clear();
      }
    });
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.started = false;
  }

  /** False once the journal failed or the risk engine halted trading. */
  get acceptingOrders(): boolean {
    return !this.journalFailed && this.risk.mode !== 'HALTED';
  }

  /** Last known price (bar close or trade) of an instrument. */
  lastPrice(id: InstrumentId): number | undefined {
    const f = this.feeds.get(id);
    return f === undefined || !f.priced ? undefined : f.lastPrice;
  }

  /** The feed record of `id`, created on first use (market data for any id is remembered). */
  private feed(id: InstrumentId): InstrumentFeed {
    let f = this.feeds.get(id);
    if (f === undefined) {
      f = { lastPrice: NaN, priced: false, subs: undefined, mark: undefined };
      this.feeds.set(id, f);
    }
    return f;
  }

  /**
   * True while the kernel is dispatching (inside a strategy callback, an execution report or a
   * queued task). Take a {@link snapshot} only when this is false: mid-dispatch a change may be
   * applied without its journal record yet, or the other way round.
   */
  get dispatching(): boolean {
    return this.busy;
  }

  /** A completed bar: marks the portfolio and dispatches to subscribed strategies. Hot path. */
  onBar(bar: Bar): void {
    let f = this.feeds.get(bar.instrumentId);
    if (f === undefined) f = this.feed(bar.instrumentId);
    this.onFeedBar(f, bar);
  }

  /**
   * {@link onBar} bound to one instrument's feed record, for a per-bar caller (the backtest loop
   * keeps one per instrument and so skips the lookup by id). A bar of another instrument is
   * handled as `onBar` handles it.
   */
  barHandlerFor(instrumentId: InstrumentId): (bar: Bar) => void {
    const f = this.feed(instrumentId);
    return (bar) => (bar.instrumentId === instrumentId ? this.onFeedBar(f, bar) : this.onBar(bar));
  }

  private onFeedBar(f: InstrumentFeed, bar: Bar): void {
    // The price is stored in the feed's double field (a Map of numbers would box it on every bar).
    f.lastPrice = bar.close;
    f.priced = true;
    // (bound on the first bar, when `mark` would create the position too; throws alike if unknown)
    if (f.mark === undefined) f.mark = this.portfolio.markerFor(bar.instrumentId);
    f.mark(bar.close, bar.ts);
    const subs = f.subs;
    if (subs === undefined) return;
    if (this.busy) {
      this.queueBar(bar);
      return;
    }
    this.busy = true;
    try {
      for (let i = 0; i < subs.length; i++) {
        const h = subs[i];
        if (h.faulted || h.strategy.onBar === undefined) continue;
        try {
          h.strategy.onBar(bar, h.ctx);
        } catch (e) {
          this.strategyFailed(h, e);
        }
      }
    } finally {
      this.busy = false;
    }
    if (this.pendingTail > 0) this.drain();
  }

  /** Queues a bar behind the current dispatch. */
  private queueBar(bar: Bar): void {
    this.queueCall(this.onBar, bar);
  }

  /** A trade print. */
  onTick(tick: Tick): void {
    const f = this.feed(tick.instrumentId);
    f.lastPrice = tick.price;
    f.priced = true;
    this.portfolio.mark(tick.instrumentId, tick.price, tick.ts);
    const subs = f.subs;
    if (subs)
      this.run(() =>
        subs.forEach(
          (h) =>
            h.strategy.onTick &&
            !h.faulted &&
            this.callStrategy(h, () => h.strategy.onTick!(tick, h.ctx)),
        ),
      );
  }

  /** A top-of-book quote (marks at mid). */
  onQuote(quote: Quote): void {
    const mid = (quote.bid + quote.ask) / 2;
    const f = this.feed(quote.instrumentId);
    f.lastPrice = mid;
    f.priced = true;
    this.portfolio.mark(quote.instrumentId, mid, quote.ts);
    const subs = f.subs;
    if (subs)
      this.run(() =>
        subs.forEach(
          (h) =>
            h.strategy.onQuote &&
            !h.faulted &&
            this.callStrategy(h, () => h.strategy.onQuote!(quote, h.ctx)),
        ),
      );
  }

  /** Applies a risk state change (the risk engine's `onEvent` should point here): journal, publish, cancel all on a kill switch. */
  onRiskEvent(event: RiskEvent): void {
    this.record('risk', event as unknown as JsonValue);
    this.publish({ kind: 'risk', event });
    if (event.type === 'KillSwitchTripped') this.run(() => this.cancelAllOrders('kill switch'));
  }

  /** Cancels every open order of every strategy (operator action, kill switch). */
  cancelAllOrders(reason: string): void {
    for (const o of this.orders.openOrders()) this.requestCancel(o, reason);
  }

  /** Records an equity point (call at the sampling cadence) and lets risk re-evaluate drawdown / daily loss. */
  recordEquity(ts: number): void {
    const events = this.portfolio.recordEquity(ts);
    if (this.portfolioListeners > 0) this.publish({ kind: 'portfolio', events });
  }

  /** The durable state for a snapshot (orders, contingencies, portfolio, risk, id sequences, strategy state). */
  snapshot(): KernelSnapshot {
    const idSequences: Record<string, number> = {};
    const strategies: Record<string, JsonValue> = {};
    for (const [id, h] of this.hosted) {
      idSequences[id] = h.ids.sequence;
      if (h.strategy.saveState) strategies[id] = h.strategy.saveState();
    }
    return {
      version: 1,
      ts: this.clock.now(),
      orderBook: this.orders.toSnapshot() as unknown as JsonValue,
      contingencies: this.contingencies.toSnapshot() as unknown as JsonValue,
      portfolio: this.portfolio.toSnapshot() as unknown as JsonValue,
      risk: this.risk.toSnapshot() as unknown as JsonValue,
      idSequences,
      strategies,
    };
  }

  /**
   * Re-applies a journaled order event during recovery: order book, portfolio and contingency
   * bookkeeping are updated exactly as live, but nothing is sent, journaled or called back.
   */
  replayOrderEvent(event: OrderEvent): void {
    const t = this.orders.applyEvent(event);
    if (t instanceof TransitionError || !t.changed) return;
    if (t.fillQty && event.type === 'OrderFilled') this.bookFill(t, event, false);
    if (this.contingencies.isManaged(event.clientOrderId)) this.contingencies.onTransition(t);
    if (event.type === 'OrderInitialized')
      this.reserveClientOrderIds(t.order.strategyId, [event.clientOrderId]);
  }

  /**
   * Recovery: raises the strategy's client-order-id sequence past `ids` (e.g. the ids a journaled
   * denial consumed), so they are never handed out again. Ids of other strategies, foreign ids and
   * unknown strategies are ignored.
   */
  reserveClientOrderIds(strategyId: StrategyId | string, ids: Iterable<unknown>): void {
    const h = this.hosted.get(strategyId as StrategyId);
    if (!h) return;
    let max = h.ids.sequence;
    for (const id of ids) {
      const n = typeof id === 'string' ? h.ids.sequenceOf(id) : undefined;
      if (n !== undefined && n > max) max = n;
    }
    if (max > h.ids.sequence)
      (h as { ids: ClientOrderIdGenerator }).ids = new ClientOrderIdGenerator(h.strategy.id, max);
  }

  // ------------------------------------------------------------------ orders

  private submitFor(h: Hosted, params: OrderParams): ClientOrderId {
    const id = h.ids.next();
    const now = this.clock.now();
    if (!this.acceptingOrders)
      return this.denySubmit(
        h,
        id,
        params,
        now,
        'NOT_ACCEPTING_ORDERS',
        this.journalFailed
          ? 'the journal failed: the engine accepts no orders'
          : `trading is ${this.risk.mode}`,
      );
    const request = this.buildRequest(h.strategy.id, id, params);
    if (typeof request === 'string')
      return this.denySubmit(h, id, params, now, 'INVALID_ORDER', request);
    const decision = this.checkRisk(
      request,
      request.limitPrice ?? request.stopPrice,
      h.strategy.id,
      now,
    );
    if (!decision.approved)
      return this.denySubmit(h, id, params, now, decision.reason, decision.message);
    this.initializeAndSend(request, now);
    return id;
  }

  /** Records and publishes the denial of a single order; returns its (reserved) id. */
  private denySubmit(
    h: Hosted,
    id: ClientOrderId,
    params: OrderParams,
    now: number,
    reason: string,
    message: string,
  ): ClientOrderId {
    this.deny({
      strategyId: h.strategy.id,
      clientOrderId: id,
      instrumentId: params?.instrumentId,
      reason,
      message,
      ts: now,
    });
    return id;
  }

  private submitBracketFor(h: Hosted, p: BracketParams): BracketIds {
    const now = this.clock.now();
    const entryType = p.entryType ?? 'MARKET';
    const entryId = h.ids.next();
    const tpId = h.ids.next();
    const slId = h.ids.next();
    const ids: BracketIds = { entry: entryId, takeProfit: tpId, stopLoss: slId };
    const exitSide = p.side === 'BUY' ? 'SELL' : 'BUY';
    const tif = p.timeInForce ?? 'GTC';
    const entry = this.buildRequest(h.strategy.id, entryId, {
      instrumentId: p.instrumentId,
      side: p.side,
      quantity: p.quantity,
      type: entryType,
      limitPrice: p.entryPrice,
      timeInForce: tif,
      tags: p.tags,
    });
    const tp = this.buildRequest(h.strategy.id, tpId, {
      instrumentId: p.instrumentId,
      side: exitSide,
      quantity: p.quantity,
      type: 'LIMIT',
      limitPrice: p.takeProfitPrice,
      timeInForce: 'GTC',
      tags: p.tags,
    });
    const sl = this.buildRequest(h.strategy.id, slId, {
      instrumentId: p.instrumentId,
      side: exitSide,
      quantity: p.quantity,
      type: 'STOP',
      stopPrice: p.stopLossPrice,
      timeInForce: 'GTC',
      tags: p.tags,
    });
    const deny = (reason: string, message: string) => {
      this.deny({
        strategyId: h.strategy.id,
        clientOrderId: entryId,
        relatedClientOrderIds: [tpId, slId],
        instrumentId: p?.instrumentId,
        reason,
        message,
        ts: now,
      });
      return ids;
    };
    if (!this.acceptingOrders)
      return deny(
        'NOT_ACCEPTING_ORDERS',
        `trading is ${this.journalFailed ? 'stopped (journal failure)' : this.risk.mode}`,
      );
    if (typeof entry === 'string') return deny('INVALID_ORDER', entry);
    if (typeof tp === 'string') return deny('INVALID_ORDER', `takeProfit: ${tp}`);
    if (typeof sl === 'string') return deny('INVALID_ORDER', `stopLoss: ${sl}`);
    const decision = this.checkRisk(entry, entry.limitPrice, h.strategy.id, now);
    if (!decision.approved) return deny(decision.reason, decision.message);
    let list: OrderList;
    try {
      list = OrderList.bracket({
        id: `${entryId}-B${++this.listSeq}`,
        entry,
        takeProfit: tp,
        stopLoss: sl,
      });
    } catch (e) {
      return deny('INVALID_ORDER', (e as Error).message);
    }
    this.contingencies.register(list);
    const initial = new Set(list.initialSubmissions.map((r) => r.clientOrderId));
    for (const r of list.orders) {
      if (initial.has(r.clientOrderId)) this.initializeAndSend(r, now);
      else
        this.applyAndDispatch({
          type: 'OrderInitialized',
          clientOrderId: r.clientOrderId,
          request: r,
          tsEvent: now,
          tsInit: now,
        });
    }
    return ids;
  }

  /** OrderInitialized (durable) → OrderSubmitted → broker. */
  private initializeAndSend(request: OrderRequest, now: number): void {
    const durable = this.applyAndDispatch({
      type: 'OrderInitialized',
      clientOrderId: request.clientOrderId,
      request,
      tsEvent: now,
      tsInit: now,
    });
    if (durable instanceof Promise) this.sendWhenDurable(durable, request.clientOrderId);
    else this.send(request.clientOrderId);
  }

  /** Sends the order once its intent is durable, or rejects it if the journal failed. */
  private sendWhenDurable(durable: Promise<unknown>, id: ClientOrderId): void {
    durable.then(
      () => this.run(() => this.send(id)),
      () => this.run(() => this.failJournalledOrder(id)),
    );
  }

  private send(id: ClientOrderId, quantity?: Quantity): void {
    // Always the book's current order: `orders` is public, so a change may have reached it
    // without passing through this kernel.
    const order = this.orders.get(id);
    if (!order || order.status !== 'INITIALIZED') return; // canceled locally while the intent was being written
    const now = this.clock.now();
    this.applyAndDispatch({
      type: 'OrderSubmitted',
      clientOrderId: id,
      tsEvent: now,
      tsInit: now,
      quantity,
    });
    this.risk.onOrderSubmitted(now);
    const r = order.request;
    const cmd: SubmitOrderCommand = {
      clientOrderId: id,
      instrumentId: r.instrumentId,
      side: r.side,
      type: r.type,
      quantity: quantity ?? r.quantity,
      limitPrice: r.limitPrice,
      stopPrice: r.stopPrice,
      trailingOffset: r.trailingOffset,
      timeInForce: r.timeInForce,
      expireAt: r.expireAt,
      reduceOnly: r.reduceOnly,
      ts: now,
    };
    this.broker.submitOrder(cmd);
  }

  private failJournalledOrder(id: ClientOrderId): void {
    const now = this.clock.now();
    this.applyAndDispatch({
      type: 'OrderRejected',
      clientOrderId: id,
      reason: 'intent could not be made durable (journal failure)',
      tsEvent: now,
      tsInit: now,
    });
  }

  private requestCancel(order: Order, reason: string): void {
    const now = this.clock.now();
    if (order.status === 'INITIALIZED') {
      this.applyAndDispatch({
        type: 'OrderCanceled',
        clientOrderId: order.clientOrderId,
        reason,
        tsEvent: now,
        tsInit: now,
      });
      return;
    }
    if (!order.isOpen || order.status === 'PENDING_CANCEL') return;
    this.applyAndDispatch({
      type: 'OrderPendingCancel',
      clientOrderId: order.clientOrderId,
      tsEvent: now,
      tsInit: now,
    });
    this.broker.cancelOrder({
      clientOrderId: order.clientOrderId,
      venueOrderId: order.venueOrderId,
      ts: now,
    });
  }

  private requestReplace(
    order: Order,
    quantity: Quantity | undefined,
    limitPrice: Price | undefined,
    stopPrice: Price | undefined,
  ): void {
    if (!order.isOpen || order.status === 'INITIALIZED' || order.status === 'PENDING_CANCEL')
      return;
    const now = this.clock.now();
    this.applyAndDispatch({
      type: 'OrderPendingReplace',
      clientOrderId: order.clientOrderId,
      quantity,
      limitPrice,
      stopPrice,
      tsEvent: now,
      tsInit: now,
    });
    this.broker.replaceOrder({
      clientOrderId: order.clientOrderId,
      venueOrderId: order.venueOrderId,
      quantity,
      limitPrice,
      stopPrice,
      ts: now,
    });
  }

  private onExecutionReport(r: ExecutionReport): void {
    // No closure per report unless the kernel is busy (a simulated exchange's fills arrive while
    // it is idle between bars).
    this.runWith(this.applyReport, r);
  }

  private applyReport(r: ExecutionReport): void {
    const e = this.reportToEvent(r);
    if (e) this.applyAndDispatch(e);
  }

  private reportToEvent(r: ExecutionReport): OrderEvent | null {
    // Explicit fields, no object spread: spreading a shared base is a slow path in V8 and this runs
    // for every execution report.
    const clientOrderId = r.clientOrderId;
    const tsEvent = r.tsEvent;
    const tsInit = this.clock.now();
    switch (r.kind) {
      case 'accepted':
        return {
          type: 'OrderAccepted',
          clientOrderId,
          tsEvent,
          tsInit,
          venueOrderId: r.venueOrderId,
        };
      case 'rejected':
        return { type: 'OrderRejected', clientOrderId, tsEvent, tsInit, reason: r.reason };
      case 'triggered':
        return {
          type: 'OrderTriggered',
          clientOrderId,
          tsEvent,
          tsInit,
          venueOrderId: r.venueOrderId,
        };
      case 'filled':
        return {
          type: 'OrderFilled',
          clientOrderId,
          tsEvent,
          tsInit,
          venueOrderId: r.venueOrderId,
          tradeId: r.tradeId,
          lastQty: r.lastQty,
          lastPx: r.lastPx,
          commission: r.commission,
          liquiditySide: r.liquiditySide,
          cumulativeQty: r.cumulativeQty,
        };
      case 'canceled':
        return { type: 'OrderCanceled', clientOrderId, tsEvent, tsInit, reason: r.reason };
      case 'cancelRejected':
        return { type: 'OrderCancelRejected', clientOrderId, tsEvent, tsInit, reason: r.reason };
      case 'replaced':
        return {
          type: 'OrderReplaced',
          clientOrderId,
          tsEvent,
          tsInit,
          venueOrderId: r.venueOrderId,
          quantity: r.quantity,
          limitPrice: r.limitPrice,
          stopPrice: r.stopPrice,
        };
      case 'replaceRejected':
        return { type: 'OrderReplaceRejected', clientOrderId, tsEvent, tsInit, reason: r.reason };
      case 'expired':
        return { type: 'OrderExpired', clientOrderId, tsEvent, tsInit };
    }
  }

  /**
   * Applies an order event: book → journal → portfolio (fills) → contingencies → listeners →
   * strategy callbacks. Returns the journal's durability promise when it gives one.
   */
  private applyAndDispatch(event: OrderEvent): void | Promise<unknown> {
    const t = this.orders.applyEvent(event);
    if (t instanceof TransitionError) {
      this.publish({ kind: 'anomaly', error: t, ts: this.clock.now() });
      return undefined;
    }
    if (!t.changed) return undefined;
    const durable =
      this.journal === NULL_JOURNAL
        ? undefined
        : this.record('order', encodeOrderEvent(event) as unknown as JsonValue);
    if (t.fillQty && event.type === 'OrderFilled') this.bookFill(t, event, true);
    if (t.overfill)
      this.publish({
        kind: 'overfill',
        clientOrderId: event.clientOrderId,
        quantity: t.overfill.toString(),
        ts: event.tsInit,
      });
    if (this.orderListeners > 0) this.publishOrder({ kind: 'order', event, order: t.order });
    const actions = this.contingencies.isManaged(event.clientOrderId)
      ? this.contingencies.onTransition(t)
      : null;
    const h = this.hostedOf(t.order.strategyId);
    if (h && event.type !== 'OrderInitialized') {
      const strategy = h.strategy;
      // Strategy callbacks are queued behind the current dispatch, so a strategy never sees a
      // callback nested inside its own call (e.g. OrderSubmitted inside ctx.submit()). The
      // closures are made in their own methods, so an event nobody is called back for makes none.
      if (strategy.onOrderUpdate) this.laterOrderUpdate(h, strategy, t, event);
      if (t.fillQty && event.type === 'OrderFilled' && strategy.onFill)
        this.laterFill(h, strategy, t, event);
    }
    if (actions) for (const a of actions) this.executeAction(a);
    return durable;
  }

  /** `hosted.get(id)`, remembering the last id asked (the map is fixed once constructed). */
  private hostedOf(id: StrategyId): Hosted | undefined {
    if (id !== this.lastHostedId) {
      this.lastHostedId = id;
      this.lastHosted = this.hosted.get(id);
    }
    return this.lastHosted;
  }

  /** Queues the strategy's `onOrderUpdate` for a transition (see `applyAndDispatch`). */
  private laterOrderUpdate(
    h: Hosted,
    strategy: Strategy,
    t: OrderTransition,
    event: OrderEvent,
  ): void {
    this.run(
      () =>
        !h.faulted &&
        this.callStrategy(h, () => strategy.onOrderUpdate!({ order: t.order, event }, h.ctx)),
    );
  }

  /** Queues the strategy's `onFill` for a fill transition (see `applyAndDispatch`). */
  private laterFill(
    h: Hosted,
    strategy: Strategy,
    t: OrderTransition,
    event: Extract<OrderEvent, { type: 'OrderFilled' }>,
  ): void {
    const fill = {
      clientOrderId: event.clientOrderId,
      instrumentId: t.order.instrumentId,
      side: t.order.side,
      quantity: t.fillQty!,
      price: event.lastPx,
      commission: event.commission,
      ts: event.tsEvent,
      order: t.order,
    };
    this.run(() => !h.faulted && this.callStrategy(h, () => strategy.onFill!(fill, h.ctx)));
  }

  private bookFill(
    t: OrderTransition,
    event: Extract<OrderEvent, { type: 'OrderFilled' }>,
    publish: boolean,
  ): void {
    const wanted = publish && this.portfolioListeners > 0;
    const events = this.portfolio.applyFill(
      {
        instrumentId: t.order.instrumentId,
        side: t.order.side,
        quantity: t.fillQty!,
        price: event.lastPx,
        commission: event.commission,
        ts: event.tsEvent,
        tradeId: event.tradeId,
        clientOrderId: event.clientOrderId,
      },
      wanted ? undefined : NO_FILL_EVENTS,
    );
    if (wanted) this.publish({ kind: 'portfolio', events });
  }

  private executeAction(a: ContingencyAction): void {
    switch (a.kind) {
      case 'submit':
        this.send(a.request.clientOrderId, a.request.quantity);
        return;
      case 'cancel': {
        const o = this.orders.get(a.clientOrderId);
        if (o) this.requestCancel(o, a.reason);
        return;
      }
      case 'modifyQuantity': {
        const o = this.orders.get(a.clientOrderId);
        if (o) this.requestReplace(o, a.quantity, undefined, undefined);
        return;
      }
    }
  }

  private deny(d: OrderDenial): void {
    this.record('denial', { ...d } as unknown as JsonValue);
    this.publish({ kind: 'denied', denial: d });
  }

  /**
   * The validated request of `p`, or the message of why it is invalid. A quantity given as a
   * number that was valid before is passed as the Quantity it gave then (the same value: a number
   * always converts to the same decimal), so its decimal is not built again for every order.
   */
  private buildRequest(sid: StrategyId, id: ClientOrderId, p: OrderParams): OrderRequest | string {
    if (p === null || typeof p !== 'object') return `order: must be an object, got ${String(p)}`;
    const inst = this.instruments.get(p.instrumentId);
    if (inst === undefined) return `instrumentId: unknown instrument ${String(p.instrumentId)}`;
    const rawQty = p.quantity;
    let quantity: Quantity | Price | string | number | undefined;
    let qtyKey: number | undefined;
    if (typeof rawQty === 'number') {
      quantity = this.quantityOfNumber.get(rawQty);
      if (quantity === undefined) {
        quantity = rawQty;
        qtyKey = rawQty;
      }
    } else quantity = toText(rawQty);
    const v = validateRequest({
      clientOrderId: id,
      strategyId: sid,
      instrumentId: p.instrumentId,
      side: p.side,
      type: p.type ?? 'MARKET',
      quantity,
      limitPrice: toText(p.limitPrice),
      stopPrice: toText(p.stopPrice),
      trailingOffset: toText(p.trailingOffset),
      timeInForce: p.timeInForce ?? 'GTC',
      expireAt: p.expireAt,
      reduceOnly: p.reduceOnly,
      tags: p.tags ? [...p.tags] : undefined,
    });
    if (!v.ok) return v.error.map((e) => e.message).join('; ');
    const r = v.value;
    if (qtyKey !== undefined) {
      const cache = this.quantityOfNumber;
      if (cache.size >= QUANTITY_OF_NUMBER_MAX) cache.clear();
      cache.set(qtyKey, r.quantity);
    }
    try {
      // (a Quantity and an Instrument are immutable: the pair valid last time is valid again)
      if (r.quantity !== this.validQuantity || inst !== this.validQuantityOf) {
        inst.validateQuantity(r.quantity);
        this.validQuantity = r.quantity;
        this.validQuantityOf = inst;
      }
      if (r.limitPrice) inst.validatePrice(r.limitPrice, 'limitPrice');
      if (r.stopPrice) inst.validatePrice(r.stopPrice, 'stopPrice');
    } catch (e) {
      return (e as Error).message;
    }
    return r;
  }

  /**
   * `risk.check` of a validated request (priced at `price`) with the kernel's risk context. The
   * request and context objects are the kernel's own, refilled for every check: the risk engine
   * reads them only during `check` and keeps nothing of them (nor of the lazy equity cells) once it
   * returns. A check nested inside another (a risk event's listener submitting an order) gets
   * objects of its own, so the outer check's are never changed under it.
   */
  private checkRisk(
    request: OrderRequest,
    price: Price | undefined,
    sid: StrategyId,
    now: number,
  ): RiskDecision {
    if (this.checking) {
      const req: RiskOrderRequest = {
        instrumentId: request.instrumentId,
        side: request.side,
        type: request.type,
        quantity: request.quantity,
        price,
        strategyId: sid,
        ts: now,
      };
      const ctx = this.fillRiskContext(
        { ...this.riskCtx },
        new LazyDecimalCell(() => this.portfolio.equity().amount),
        new LazyMaxCell(),
        request.instrumentId,
      );
      return this.risk.check(req, ctx);
    }
    const req = this.riskReq;
    req.instrumentId = request.instrumentId;
    req.side = request.side;
    req.type = request.type;
    req.quantity = request.quantity;
    req.price = price;
    req.strategyId = sid;
    req.ts = now;
    const ctx = this.fillRiskContext(
      this.riskCtx,
      this.equityCell,
      this.peakCell,
      request.instrumentId,
    );
    this.checking = true;
    try {
      return this.risk.check(req, ctx);
    } finally {
      this.checking = false;
    }
  }

  /**
   * Fills the risk context of an order in `id`. Equity is given as the portfolio's float estimate
   * (no decimal work) with the exact decimal (a re-mark of every open position) built only if the
   * risk engine cannot decide in floats or writes a rejection message; peak equity likewise.
   *
   * Values no configured risk control reads (`RiskEngine.readsEquity` and the like) are not computed:
   * the engine only checks that they are well formed, and the portfolio's always are (finite
   * decimals within ±1e18 × 1e18 per term, a float estimate with scale ≥ |value|), so ZERO in their
   * place gives the same decision and message.
   */
  private fillRiskContext(
    ctx: MutableRiskContext,
    equityCell: LazyDecimalCell,
    peakCell: LazyMaxCell,
    id: InstrumentId,
  ): RiskContext {
    const p = this.portfolio;
    let equity: Decimal | LazyDecimal = ZERO_DEC;
    if (this.riskReadsEquity) {
      const value = p.equityEstimateValue();
      equity = equityCell.set(value, p.equityEstimateScale);
    }
    // (always: it also throws for an instrument the portfolio does not know, and adds a flat one)
    const pos = p.positionQuantity(id);
    let peakEquity: Decimal | LazyDecimal = ZERO_DEC;
    if (this.riskReadsPeak) {
      const peak = p.peakEquity();
      peakEquity = peak === null ? equity : peakCell.set(peak.amount, equity);
    }
    ctx.equity = equity;
    ctx.position = pos;
    ctx.openPositions = p.openPositionCount();
    ctx.opensNewPosition = pos.isZero();
    ctx.lastPrice = this.lastPrice(id);
    ctx.multiplier = this.instruments.get(id)?.multiplier;
    ctx.startOfDayEquity = this.riskReadsDayStart ? p.dayStartEquity().amount : ZERO_DEC;
    ctx.peakEquity = peakEquity;
    ctx.tradingHours = this.tradingHours;
    return ctx;
  }

  // ------------------------------------------------------------------ plumbing

  private record(type: 'order' | 'risk' | 'denial', payload: JsonValue): void | Promise<unknown> {
    let res: void | Promise<unknown>;
    try {
      res = this.journal.append(type, payload);
    } catch (e) {
      this.onJournalFailure(e as Error);
      throw e;
    }
    if (res instanceof Promise) {
      res.catch((e: unknown) =>
        this.onJournalFailure(e instanceof Error ? e : new Error(String(e))),
      );
    }
    return res;
  }

  private onJournalFailure(error: Error): void {
    if (this.journalFailed) return;
    this.journalFailed = true;
    this.publish({ kind: 'journal-failure', error, ts: this.clock.now() });
  }

  private publish(e: KernelEvent): void {
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) {
      const l = ls[i];
      if (l.kinds === null || l.kinds.has(e.kind)) l.listener(e);
    }
  }

  /** {@link publish} of an order event (one per order event: no Set lookup per listener). */
  private publishOrder(e: KernelEvent): void {
    const ls = this.listeners;
    for (let i = 0; i < ls.length; i++) {
      const l = ls[i];
      if (l.takesOrder) l.listener(e);
    }
  }

  /** Runs `task` now, or after the current dispatch when called re-entrantly. */
  private run(task: () => void): void {
    this.runWith(callTask, task);
  }

  /** `f.call(this, arg)` now, or queued behind the current dispatch when called re-entrantly. */
  private runWith<A>(f: (this: TradingKernel, arg: A) => void, arg: A): void {
    if (this.busy) {
      this.queueCall(f, arg);
      return;
    }
    this.busy = true;
    try {
      f.call(this, arg);
    } finally {
      this.busy = false;
    }
    if (this.pendingTail > 0) this.drain();
  }

  /** Queues `f.call(this, arg)` behind the current dispatch (no closure: see {@link pendingFns}). */
  private queueCall<A>(f: (this: TradingKernel, arg: A) => void, arg: A): void {
    const i = this.pendingTail++;
    this.pendingFns[i] = f as QueuedCall;
    this.pendingArgs[i] = arg;
  }

  private drain(): void {
    const fns = this.pendingFns;
    const args = this.pendingArgs;
    while (this.pendingHead < this.pendingTail && !this.busy) {
      const i = this.pendingHead++;
      const f = fns[i];
      const arg = args[i] as never;
      fns[i] = undefined as unknown as QueuedCall; // (no references kept to run calls)
      args[i] = undefined;
      if (this.pendingHead === this.pendingTail) this.pendingHead = this.pendingTail = 0;
      this.busy = true;
      try {
        f.call(this, arg);
      } finally {
        this.busy = false;
      }
    }
  }

  private callStrategy(h: Hosted, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.strategyFailed(h, e);
    }
  }

  private strategyFailed(h: Hosted, e: unknown): void {
    const error = e instanceof Error ? e : new Error(String(e));
    this.publish({
      kind: 'strategy-error',
      strategyId: h.strategy.id,
      error,
      ts: this.clock.now(),
    });
    if (this.onStrategyError === 'throw') throw error;
    h.faulted = true;
    for (const o of this.orders.openOrders({ strategyId: h.strategy.id }))
      this.requestCancel(o, 'strategy faulted');
  }

  private makeContext(h: Hosted, log: StrategyLogger): StrategyContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the context is a facade over this kernel
    const kernel = this;
    const sid = h.strategy.id;
    const own = (o: Order | undefined) => (o && o.strategyId === sid ? o : undefined);
    return {
      strategyId: sid,
      log,
      now: () => kernel.clock.now(),
      instrument(id: InstrumentId): Instrument {
        const i = kernel.instruments.get(id);
        if (!i) throw new ValidationError('instrumentId', id, 'must be a configured instrument');
        return i;
      },
      position(id: InstrumentId): PositionInfo {
        const p = kernel.portfolio.positionSummary(id);
        return {
          instrumentId: id,
          quantity: p.quantity,
          avgPrice: p.quantity.isZero() ? null : p.avgPrice,
          side: p.side,
        };
      },
      cash: (): Money => kernel.portfolio.cash(),
      equity: (): Money => kernel.portfolio.equity(),
      lastPrice: (id: InstrumentId) => kernel.lastPrice(id),
      openOrders: (instrumentId?: InstrumentId) =>
        kernel.orders.openOrders({ strategyId: sid, instrumentId }),
      order: (id: ClientOrderId) => own(kernel.orders.get(id)),
      submit: (params: OrderParams) => kernel.submitFor(h, params),
      submitBracket: (params: BracketParams) => kernel.submitBracketFor(h, params),
      cancel(id: ClientOrderId): void {
        const o = own(kernel.orders.get(id));
        if (o) kernel.requestCancel(o, 'strategy request');
      },
      cancelAll(instrumentId?: InstrumentId): void {
        for (const o of kernel.orders.openOrders({ strategyId: sid, instrumentId }))
          kernel.requestCancel(o, 'strategy request');
      },
      replace(id: ClientOrderId, changes: ReplaceParams): void {
        const o = own(kernel.orders.get(id));
        if (!o) return;
        try {
          const q =
            changes.quantity === undefined
              ? undefined
              : Quantity.positive(decimalInput(changes.quantity), 'quantity');
          const lp =
            changes.limitPrice === undefined
              ? undefined
              : Price.of(decimalInput(changes.limitPrice), 'limitPrice');
          const sp =
            changes.stopPrice === undefined
              ? undefined
              : Price.of(decimalInput(changes.stopPrice), 'stopPrice');
          kernel.requestReplace(o, q, lp, sp);
        } catch (e) {
          log.warn('replace rejected locally', { clientOrderId: id, error: (e as Error).message });
        }
      },
      setTimer(
        name: string,
        intervalMs: number,
        opts?: { startAt?: number; stopAt?: number },
      ): void {
        kernel.setStrategyTimer(h, name, (cb) =>
          kernel.clock.setTimer(`${sid}:${name}`, intervalMs, cb, opts),
        );
      },
      setTimeAlert(name: string, at: number): void {
        kernel.setStrategyTimer(h, name, (cb) =>
          kernel.clock.setTimeAlert(`${sid}:${name}`, at, cb),
        );
      },
      cancelTimer(name: string): void {
        const t = h.timers.get(name);
        if (t) {
          kernel.clock.cancelTimer(t);
          h.timers.delete(name);
        }
      },
    };
  }

  private setStrategyTimer(
    h: Hosted,
    name: string,
    schedule: (
      cb: (e: { name: string; scheduledAt: number; firedAt: number }) => void,
    ) => TimerHandle,
  ): void {
    const old = h.timers.get(name);
    if (old) this.clock.cancelTimer(old);
    const handle = schedule((e) =>
      this.run(
        () =>
          h.strategy.onTimer &&
          !h.faulted &&
          this.callStrategy(h, () =>
            h.strategy.onTimer!({ name, scheduledAt: e.scheduledAt, firedAt: e.firedAt }, h.ctx),
          ),
      ),
    );
    h.timers.set(name, handle);
  }
}

function toText(
  v: Quantity | Price | DecimalInput | undefined,
): Quantity | Price | string | number | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof QuantityClass || v instanceof PriceClass) return v;
  if (typeof v === 'object' && DecimalClass.isDecimal(v)) return (v as Decimal).toFixed();
  return v as string | number;
}

function decimalInput(v: Quantity | Price | DecimalInput): DecimalInput {
  return v instanceof Quantity || v instanceof Price ? v.value : v;
}

import {
  Decimal,
  describeValue,
  ONE,
  OrderSide,
  OrderType,
  Price,
  Quantity,
  StateError,
  toDecimal,
  toIsoUtc,
  TradingDecimal,
  ValidationError,
} from '@trading/domain';
import { approx as approxImported, fcmp as fcmpImported } from './fast-compare';
import { ESTIMATE_MAX_ERROR, LazyDecimal } from './lazy-decimal';
import { OrderRateLimiter } from './order-rate-limiter';
import { RiskCheck, RiskContext, RiskDecision, RiskOrderRequest } from './risk-check.port';
import { parseRiskConfig, RiskConfig, RiskConfigInput } from './risk-config';
import {
  applyRiskEvent,
  INITIAL_RISK_STATE,
  RiskEvent,
  RiskState,
  TradingMode,
} from './risk-events';
import { RiskReasonCode as R } from './risk-reason';
import { parseRiskSnapshot, RiskSnapshot } from './risk-snapshot';

// Hot-path aliases: with CommonJS output every imported binding is a getter on the exporting
// module's (often dictionary-mode) exports object; reading them once here keeps `check` fast.
const DecimalClass = Decimal;
const ONE_DEC = ONE;
const QuantityClass = Quantity;
const PriceClass = Price;
const approx = approxImported;
const fcmp = fcmpImported;
const BUY = OrderSide.BUY;
const SELL = OrderSide.SELL;
const LIMIT = OrderType.LIMIT;
const STOP = OrderType.STOP;
const STOP_LIMIT = OrderType.STOP_LIMIT;
const MARKET = OrderType.MARKET;
const TRAILING_STOP = OrderType.TRAILING_STOP;
const ACTIVE = TradingMode.ACTIVE;
const REDUCING = TradingMode.REDUCING;
const HALTED = TradingMode.HALTED;

/**
 * Remembers the double of the last Decimal seen in one context field. Decimals are immutable, so
 * the same object always has the same value: start-of-day equity, position and multiplier usually
 * change far less often than orders are checked.
 */
class FloatOf {
  private obj: unknown = undefined;
  private f = NaN;
  /** The double of `x` (NaN unless `x` is a finite Decimal within range). */
  get(x: unknown): number {
    if (x !== this.obj) {
      this.obj = x;
      this.f = x instanceof DecimalClass ? approx(x) : NaN;
    }
    return this.f;
  }
}

/**
 * Tolerance of the consistency check of a {@link LazyDecimal} when its exact value is read:
 * |approx(exact) − value| must be ≤ this × scale. 10 × the promised ESTIMATE_MAX_ERROR (room for the
 * 1e-14 error of `approx`), and still 1000 × below FLOAT_MARGIN, so an estimate that passes could
 * not have changed a float decision.
 */
const ESTIMATE_TOLERANCE = 10 * ESTIMATE_MAX_ERROR;

/** A malformed context value found while reading it (→ INVALID_CONTEXT, not RISK_CHECK_FAILED). */
class ContextError extends Error {}

/**
 * One equity-like context value (`equity`, `peakEquity`), given as a Decimal or a
 * {@link LazyDecimal}, read once per check. `f` is its float (the copy of a Decimal, or the
 * estimate) and `s` the error scale to put into `fcmp` for it: |f| for a Decimal (its copy is within
 * 1e-14 relative), the estimate's own `scale` for a LazyDecimal (NOT |f|: offsetting terms make |f|
 * small while their errors remain). `exact()` gives the decimal, built at most once per check and
 * only when asked.
 */
class ContextValue {
  /** Float of the value (NaN when invalid). */
  f = NaN;
  /** Error scale of `f` (see class doc). */
  s = NaN;
  /** Float of the last Decimal given (same object, same float). */
  private readonly decimalF = new FloatOf();
  private lazy: LazyDecimal | null = null;
  private dec: Decimal | null = null;

  constructor(private readonly field: string) {}

  /** Reads `x` for this check; false unless it is a finite Decimal or a well-formed LazyDecimal. */
  read(x: unknown): boolean {
    if (x instanceof DecimalClass) {
      this.lazy = null;
      this.dec = x;
      this.f = this.decimalF.get(x);
      this.s = Math.abs(this.f);
      return this.s === this.s;
    }
    this.dec = null;
    this.lazy = null;
    this.f = NaN;
    this.s = NaN;
    if (x === null || typeof x !== 'object') return false;
    const l = x as LazyDecimal;
    const v = l.value;
    const sc = l.scale;
    // NaN fails `sc >= |v|`, ±Infinity fails `sc < Infinity`; numbers only (no coercion).
    if (
      typeof v !== 'number' ||
      typeof sc !== 'number' ||
      typeof l.exact !== 'function' ||
      !(sc >= Math.abs(v) && sc < Infinity)
    )
      return false;
    this.lazy = l;
    this.f = v;
    this.s = sc;
    return true;
  }

  /**
   * The exact decimal. For a LazyDecimal it is built on the first call of the check and checked
   * against the estimate (a finite Decimal within ESTIMATE_TOLERANCE × scale); ContextError if not.
   */
  exact(): Decimal {
    if (this.dec === null) {
      const d: unknown = (this.lazy as LazyDecimal).exact();
      const df = d instanceof DecimalClass ? approx(d) : NaN;
      if (!(Math.abs(df - this.f) <= ESTIMATE_TOLERANCE * this.s))
        throw new ContextError(
          `${this.field} estimate ${this.f} (error scale ${this.s}) does not match its exact value ${describeValue(String(d))}`,
        );
      this.dec = d as Decimal;
    }
    return this.dec;
  }

  /** Text for an INVALID_CONTEXT message (never builds the exact value). */
  describe(x: unknown): string {
    return this.lazy !== null ? `~${this.f} (error scale ${this.s})` : String(x);
  }
}

/** An explicit operator action (kill switch, resume). Recorded in the event for the audit trail. */
export interface OperatorCommand {
  /** Who (non-empty). */
  readonly operator: string;
  /** Why (non-empty). */
  readonly reason: string;
  /** When, UTC epoch ms. */
  readonly ts: number;
}

/** Receives every risk event (state changes) synchronously, e.g. to append it to the WAL. */
export type RiskEngineEvents = (event: RiskEvent) => void;

/** Options of a {@link RiskEngine}. */
export interface RiskEngineOptions {
  /** Listener for every emitted {@link RiskEvent} (persist them: they are the engine's state). */
  readonly onEvent?: RiskEngineEvents;
}

/** A limit precomputed once as exact Decimal plus its double (see fast-compare.ts). */
interface Limit {
  readonly d: Decimal;
  readonly f: number;
}

const limit = (d: Decimal | null): Limit | null => (d === null ? null : { d, f: approx(d) });

/** Largest accepted quantity/price magnitude (same guard as domain's MAX_ABS_DECIMAL). */
const MAX_VALUE = 1e18;
const HUNDRED = new TradingDecimal(100);
const APPROVED: RiskDecision = Object.freeze({ approved: true as const });

function reject(reason: R, message: string): RiskDecision {
  return { approved: false, reason, message };
}

const fx = (d: Decimal): string => d.toFixed();

function validateCommand(cmd: OperatorCommand): void {
  if (cmd === null || typeof cmd !== 'object')
    throw new ValidationError('command', cmd, 'must be { operator, reason, ts }');
  if (typeof cmd.operator !== 'string' || cmd.operator.trim() === '')
    throw new ValidationError('operator', cmd.operator, 'must be a non-empty string');
  if (typeof cmd.reason !== 'string' || cmd.reason.trim() === '')
    throw new ValidationError('reason', cmd.reason, 'must be a non-empty string');
  if (!Number.isSafeInteger(cmd.ts))
    throw new ValidationError('ts', cmd.ts, 'must be an integer epoch-millisecond timestamp');
}

/**
 * Pre-trade risk engine: validates untrusted order requests, applies every configured control and
 * owns the ACTIVE / REDUCING / HALTED trading state. `check` never throws and allocates nothing on
 * the approved path. State changes are {@link RiskEvent}s delivered to `onEvent` (for the WAL);
 * `toSnapshot` / `fromSnapshot` carry state and counters across restarts.
 *
 * Only the operator methods (`tripKillSwitch`, `resetKillSwitch`, `resumeTrading`) change state on
 * request; strategies only ever see the {@link RiskCheck} port, which has no way to do so.
 */
export class RiskEngine implements RiskCheck {
  /** The validated limits. */
  readonly config: RiskConfig;
  private state: RiskState = INITIAL_RISK_STATE;
  private readonly limiter: OrderRateLimiter;
  private readonly onEvent: RiskEngineEvents | undefined;

  private readonly maxOrderQty: Limit | null;
  private readonly maxOrderNotional: Limit | null;
  private readonly maxPosQty: Limit | null;
  private readonly maxPosNotional: Limit | null;
  /** maxPositionPctOfEquity / 100. */
  private readonly posFraction: Limit | null;
  /** 1 − collar and 1 + collar. */
  private readonly collarLo: Limit | null;
  private readonly collarHi: Limit | null;
  /** 1 − maxDrawdown: trips when equity ≤ peak × keep. */
  private readonly ddKeep: Limit | null;
  private readonly dailyLoss: Limit | null;
  private readonly posControls: boolean;
  private readonly needsReference: boolean;

  // Per-check scratch (no allocation on the approved path).
  private scratch: Decimal | null = null;
  private qf = 0;
  private qDec: Decimal | null = null;
  private pf = NaN;
  private pDec: Decimal | null = null;
  private lastF = NaN;
  private lastDec: Decimal | null = null;
  private readonly equityV = new ContextValue('equity');
  private readonly peakV = new ContextValue('peakEquity');
  private readonly positionF = new FloatOf();
  private readonly sodF = new FloatOf();
  private readonly multF = new FloatOf();

  constructor(config: RiskConfig, options: RiskEngineOptions = {}) {
    this.config = config;
    this.onEvent = options.onEvent;
    this.limiter = new OrderRateLimiter(config.maxOrdersPerSecond, config.timeZone);
    this.maxOrderQty = limit(config.maxOrderQuantity);
    this.maxOrderNotional = limit(config.maxOrderNotional);
    this.maxPosQty = limit(config.maxPositionQuantity);
    this.maxPosNotional = limit(config.maxPositionNotional);
    const pct = config.maxPositionPctOfEquity;
    this.posFraction = limit(pct && pct.div(HUNDRED));
    const collar = config.priceCollarPct && config.priceCollarPct.div(HUNDRED);
    this.collarLo = limit(collar && ONE.sub(collar));
    this.collarHi = limit(collar && ONE.add(collar));
    this.ddKeep = limit(config.maxDrawdownPct && ONE.sub(config.maxDrawdownPct.div(HUNDRED)));
    this.dailyLoss = limit(config.dailyLossLimit);
    this.posControls =
      this.maxPosQty !== null || this.maxPosNotional !== null || this.posFraction !== null;
    this.needsReference =
      this.maxOrderNotional !== null || this.maxPosNotional !== null || this.posFraction !== null;
  }

  /** Builds an engine from unvalidated limits (throws ConfigError). */
  static create(config: RiskConfigInput, options: RiskEngineOptions = {}): RiskEngine {
    return new RiskEngine(parseRiskConfig(config), options);
  }

  /**
   * Restores an engine from a persisted snapshot (validated: throws ValidationError on a bad one).
   * Replay later risk events with {@link applyEvent} and later submissions with {@link onOrderSubmitted}.
   */
  static fromSnapshot(
    snapshot: unknown,
    config: RiskConfig,
    options: RiskEngineOptions = {},
  ): RiskEngine {
    const s = parseRiskSnapshot(snapshot);
    const engine = new RiskEngine(config, options);
    engine.state = s.state;
    engine.limiter.restore(s.counters);
    return engine;
  }

  /**
   * Whether a configured control reads `equity` (drawdown, daily loss, position % of equity).
   * When false, `check` only validates the context's `equity`: any well-formed value gives the same
   * decision and message, so a caller whose equity is always well formed may pass a constant (e.g.
   * `ZERO`) instead of computing it. Fixed by the config. (The same holds for the other `reads*`.)
   * A subclass that overrides `check` to read more must override these too.
   */
  get readsEquity(): boolean {
    return this.ddKeep !== null || this.dailyLoss !== null || this.posFraction !== null;
  }

  /** Whether a configured control reads `peakEquity` (drawdown). See {@link readsEquity}. */
  get readsPeakEquity(): boolean {
    return this.ddKeep !== null;
  }

  /** Whether a configured control reads `startOfDayEquity` (daily loss). See {@link readsEquity}. */
  get readsStartOfDayEquity(): boolean {
    return this.dailyLoss !== null;
  }

  /** Current trading mode. */
  get mode(): TradingMode {
    return this.state.mode;
  }

  /** Current event-sourced state. */
  getState(): RiskState {
    return this.state;
  }

  /** Submissions counted in the current exchange day. */
  get ordersToday(): number {
    return this.limiter.dayCount;
  }

  /** JSON-serialisable snapshot of state and counters. */
  toSnapshot(): RiskSnapshot {
    return { version: 1, state: { ...this.state }, counters: this.limiter.toSnapshot() };
  }

  /** Applies a persisted event during recovery (no listener call). Throws StateError if it does not fit. */
  applyEvent(event: RiskEvent): void {
    this.state = applyRiskEvent(this.state, event);
  }

  /**
   * Counts a real submission (call it once the order was actually sent, not on approval: an approved
   * order may still be dropped downstream). Throws ValidationError for a non-integer timestamp.
   */
  onOrderSubmitted(ts: number): void {
    if (!Number.isSafeInteger(ts))
      throw new ValidationError('ts', ts, 'must be an integer epoch-millisecond timestamp');
    this.limiter.record(ts);
  }

  /** Operator: trips the kill switch by hand (→ HALTED, cancel all). No-op when already HALTED. */
  tripKillSwitch(cmd: OperatorCommand): RiskEvent[] {
    validateCommand(cmd);
    if (this.state.mode === HALTED) return [];
    return [
      this.emit({
        type: 'KillSwitchTripped',
        from: this.state.mode,
        reason: 'OPERATOR_HALT',
        message: `halted by ${cmd.operator}: ${cmd.reason}`,
        ts: cmd.ts,
        action: 'CANCEL_ALL',
        operator: cmd.operator,
      }),
    ];
  }

  /**
   * Operator: clears the kill switch (HALTED → ACTIVE). The only way out of HALTED: not a strategy,
   * not a restart, not a new day. If the drawdown is still beyond the limit the next check trips it
   * again, so re-baseline peak equity (or change the limit) first. Throws StateError unless HALTED.
   */
  resetKillSwitch(cmd: OperatorCommand): RiskEvent[] {
    validateCommand(cmd);
    if (this.state.mode !== HALTED)
      throw new StateError(`kill switch is not tripped (state ${this.state.mode})`);
    return [
      this.emit({
        type: 'KillSwitchReset',
        operator: cmd.operator,
        reason: cmd.reason,
        ts: cmd.ts,
      }),
    ];
  }

  /** Operator: leaves REDUCING before the next exchange day. Throws StateError unless REDUCING. */
  resumeTrading(cmd: OperatorCommand): RiskEvent[] {
    validateCommand(cmd);
    if (this.state.mode !== REDUCING)
      throw new StateError(`trading is not REDUCING (state ${this.state.mode})`);
    return [
      this.emit({
        type: 'RiskStateChanged',
        from: 'REDUCING',
        to: 'ACTIVE',
        reason: 'OPERATOR_RESUME',
        message: `resumed by ${cmd.operator}: ${cmd.reason}`,
        ts: cmd.ts,
        operator: cmd.operator,
      }),
    ];
  }

  /** {@inheritDoc RiskCheck.check} Any unexpected error fails closed as RISK_CHECK_FAILED. */
  check(request: RiskOrderRequest, ctx: RiskContext): RiskDecision {
    try {
      return this.evaluate(request, ctx);
    } catch (e) {
      if (e instanceof ContextError) return reject(R.INVALID_CONTEXT, e.message);
      return reject(
        R.RISK_CHECK_FAILED,
        `risk check failed closed: ${e instanceof Error ? e.message : describeValue(e)}`,
      );
    }
  }

  /**
   * Applies and publishes an event. Tightening transitions (→ REDUCING, → HALTED) take effect first,
   * so they hold even if the listener (WAL append) throws; relaxing ones (→ ACTIVE) are published
   * first and take effect only if that succeeded, so an unpersisted relaxation never happens.
   */
  private emit(event: RiskEvent): RiskEvent {
    const relaxing =
      event.type === 'KillSwitchReset' ||
      (event.type === 'RiskStateChanged' && event.to === ACTIVE);
    const next = applyRiskEvent(this.state, event);
    if (!relaxing) this.state = next;
    if (this.onEvent) this.onEvent(event);
    this.state = next;
    return event;
  }

  /**
   * Float of a strictly positive value ≤ 1e18 given as number, decimal text, Decimal, Quantity or
   * Price; NaN when invalid. The exact decimal is left in `scratch` (null for numbers: built lazily).
   */
  private readPositive(x: unknown): number {
    this.scratch = null;
    if (typeof x === 'number') return x > 0 && x <= MAX_VALUE ? x : NaN;
    let d: unknown = x;
    if (x instanceof QuantityClass || x instanceof PriceClass) d = x.value;
    else if (typeof x === 'string') d = parseText(x);
    if (!(d instanceof DecimalClass)) return NaN;
    const f = approx(d);
    this.scratch = d;
    return f > 0 && f <= MAX_VALUE ? f : NaN;
  }

  private q(): Decimal {
    return (this.qDec ??= new TradingDecimal(this.qf));
  }

  private ref(hasPrice: boolean): Decimal {
    return hasPrice
      ? (this.pDec ??= new TradingDecimal(this.pf))
      : (this.lastDec ??= new TradingDecimal(this.lastF));
  }

  private evaluate(r: RiskOrderRequest, ctx: RiskContext): RiskDecision {
    // 1. The request: untrusted.
    if (r === null || typeof r !== 'object')
      return reject(R.INVALID_REQUEST, `order request must be an object, got ${describeValue(r)}`);
    const inst = r.instrumentId;
    const side = r.side;
    const type = r.type;
    const ts = r.ts;
    if (typeof inst !== 'string' || inst.length === 0)
      return reject(
        R.INVALID_REQUEST,
        `instrumentId must be a non-empty string, got ${describeValue(inst)}`,
      );
    if (side !== BUY && side !== SELL)
      return reject(R.INVALID_REQUEST, `side must be BUY or SELL, got ${describeValue(side)}`);
    let needsPrice: boolean;
    switch (type) {
      case LIMIT:
      case STOP:
      case STOP_LIMIT:
        needsPrice = true;
        break;
      case MARKET:
      case TRAILING_STOP:
        needsPrice = false;
        break;
      default:
        return reject(
          R.INVALID_REQUEST,
          `type must be one of ${Object.values(OrderType).join(', ')}, got ${describeValue(type)}`,
        );
    }
    if (typeof r.strategyId !== 'string' || r.strategyId.length === 0)
      return reject(
        R.INVALID_REQUEST,
        `strategyId must be a non-empty string, got ${describeValue(r.strategyId)}`,
      );
    if (!Number.isSafeInteger(ts))
      return reject(
        R.INVALID_REQUEST,
        `ts must be an integer epoch-millisecond timestamp, got ${describeValue(ts)}`,
      );
    const qf = this.readPositive(r.quantity);
    if (Number.isNaN(qf))
      return reject(
        R.INVALID_QUANTITY,
        `quantity must be a number greater than 0 and at most 1e18, got ${describeValue(r.quantity)} (${inst})`,
      );
    this.qf = qf;
    this.qDec = this.scratch;
    const hasPrice = r.price !== undefined;
    this.pDec = null;
    this.pf = NaN;
    if (hasPrice) {
      const pf = this.readPositive(r.price);
      if (Number.isNaN(pf))
        return reject(
          R.INVALID_PRICE,
          `price must be a number greater than 0 and at most 1e18, got ${describeValue(r.price)} (${inst})`,
        );
      this.pf = pf;
      this.pDec = this.scratch;
    } else if (needsPrice) {
      return reject(R.INVALID_PRICE, `a ${type} order needs a price (${inst})`);
    }

    // 2. Kill switch: HALTED rejects everything.
    const st = this.state;
    if (st.mode === HALTED) {
      return reject(
        R.TRADING_HALTED,
        `trading is HALTED (${st.reason}: ${st.message}); only an operator reset clears it`,
      );
    }

    // 3. The context: from the engine, still checked (fail closed).
    if (ctx === null || typeof ctx !== 'object')
      return reject(R.INVALID_CONTEXT, `risk context must be an object, got ${describeValue(ctx)}`);
    // equity and peakEquity: a Decimal or a LazyDecimal (its exact value is read only through
    // `eq.exact()` / `pk.exact()`, i.e. where fcmp cannot decide or for a rejection message).
    const equity = ctx.equity;
    const pos = ctx.position;
    const sod = ctx.startOfDayEquity;
    const peak = ctx.peakEquity;
    const eq = this.equityV;
    const pk = this.peakV;
    const eqOk = eq.read(equity);
    const pkOk = pk.read(peak);
    const posf = this.positionF.get(pos);
    const sodf = this.sodF.get(sod);
    if (!eqOk || !pkOk || Number.isNaN(posf + sodf)) {
      return reject(
        R.INVALID_CONTEXT,
        `equity, position, startOfDayEquity and peakEquity must be finite decimals, got ${describeValue([eq.describe(equity), String(pos), String(sod), pk.describe(peak)])}`,
      );
    }
    const ef = eq.f;
    const es = eq.s;
    const open = ctx.openPositions;
    if (!Number.isSafeInteger(open) || open < 0)
      return reject(
        R.INVALID_CONTEXT,
        `openPositions must be a non-negative integer, got ${describeValue(open)}`,
      );
    const last = ctx.lastPrice;
    this.lastDec = null;
    this.lastF = NaN;
    if (last !== undefined) {
      const lf = this.readPositive(last);
      if (Number.isNaN(lf))
        return reject(
          R.INVALID_CONTEXT,
          `lastPrice must be a number greater than 0, got ${describeValue(last)} (${inst})`,
        );
      this.lastF = lf;
      this.lastDec = this.scratch;
    }
    const mult = ctx.multiplier ?? ONE_DEC;
    const mf = this.multF.get(mult);
    if (!(mf > 0))
      return reject(
        R.INVALID_CONTEXT,
        `multiplier must be a decimal greater than 0, got ${describeValue(String(mult))} (${inst})`,
      );

    // 4. Drawdown kill switch: at or beyond the limit → HALTED + cancel all.
    const dd = this.ddKeep;
    if (dd !== null) {
      // dd.f ≥ 0, so pk.s × dd.f is |floor| for a Decimal peak (as before) and the scaled error bound for an estimate.
      const floor = pk.f * dd.f;
      let c = fcmp(ef, floor, es + pk.s * dd.f);
      if (c === 0) c = eq.exact().cmp(pk.exact().mul(dd.d));
      if (c <= 0) {
        const e = eq.exact();
        const p = pk.exact();
        const drawdown = p.sub(e).div(p).mul(HUNDRED).toDecimalPlaces(4);
        const message = `drawdown ${fx(drawdown)}% (equity ${fx(e)}, peak ${fx(p)}) is at or beyond the limit ${fx(this.config.maxDrawdownPct as Decimal)}%: kill switch tripped, cancel all`;
        this.emit({
          type: 'KillSwitchTripped',
          from: st.mode,
          reason: R.MAX_DRAWDOWN,
          message,
          ts,
          action: 'CANCEL_ALL',
        });
        return reject(R.MAX_DRAWDOWN, message);
      }
    }

    // 5. A new exchange day ends REDUCING; then the daily loss limit (at or beyond → REDUCING).
    this.limiter.roll(ts);
    if (st.mode === REDUCING && (st.since as number) < this.limiter.dayStart) {
      this.emit({
        type: 'RiskStateChanged',
        from: 'REDUCING',
        to: 'ACTIVE',
        reason: 'NEW_TRADING_DAY',
        message: 'new exchange day: daily loss limit re-armed',
        ts,
      });
    }
    let justReduced = false;
    const dl = this.dailyLoss;
    if (dl !== null && this.state.mode === ACTIVE) {
      // loss = sod − equity ≥ limit  ⇔  sod ≥ equity + limit
      let c = fcmp(sodf, ef + dl.f, Math.abs(sodf) + es + dl.f);
      if (c === 0) c = sod.cmp(eq.exact().add(dl.d));
      if (c >= 0) {
        const e = eq.exact();
        const message = `daily loss ${fx(sod.sub(e))} (equity ${fx(e)} vs start of day ${fx(sod)}) is at or beyond the limit ${fx(dl.d)}: reducing only`;
        this.emit({
          type: 'RiskStateChanged',
          from: 'ACTIVE',
          to: 'REDUCING',
          reason: R.DAILY_LOSS_LIMIT,
          message,
          ts,
        });
        justReduced = true;
      }
    }

    // 6. Instrument allow / deny lists.
    const allowed = this.config.allowedInstruments;
    if (allowed !== null && !allowed.has(inst))
      return reject(
        R.INSTRUMENT_NOT_ALLOWED,
        `${inst} is not on the allow list (${allowed.size} instruments)`,
      );
    if (this.config.deniedInstruments.has(inst))
      return reject(R.INSTRUMENT_NOT_ALLOWED, `${inst} is on the deny list`);

    // 7. Trading hours.
    if (this.config.enforceTradingHours) {
      const hours = ctx.tradingHours;
      if (hours === undefined)
        return reject(
          R.INVALID_CONTEXT,
          'enforceTradingHours is on but the context has no tradingHours',
        );
      if (!hours.isOpen(ts))
        return reject(R.OUTSIDE_TRADING_HOURS, `market closed at ${toIsoUtc(ts)} (${inst})`);
    }

    // 8. Submission rates.
    const perDay = this.config.maxOrdersPerDay;
    if (perDay !== null && this.limiter.dayCount >= perDay) {
      return reject(
        R.MAX_ORDERS_PER_DAY,
        `${this.limiter.dayCount} orders already sent today; the limit is ${perDay} per day`,
      );
    }
    const perSecond = this.config.maxOrdersPerSecond;
    if (perSecond !== null && this.limiter.secondFull(ts)) {
      return reject(
        R.MAX_ORDERS_PER_SECOND,
        `${perSecond} orders already sent in the last second; the limit is ${perSecond} per second`,
      );
    }

    // 9. Fat finger.
    const mq = this.maxOrderQty;
    if (mq !== null) {
      let c = fcmp(qf, mq.f, qf + mq.f);
      if (c === 0) c = this.q().cmp(mq.d);
      if (c > 0)
        return reject(
          R.FAT_FINGER_QUANTITY,
          `quantity ${fx(this.q())} exceeds the max order quantity ${fx(mq.d)} (${inst})`,
        );
    }

    // 10. Price collar (limit prices only: LIMIT and STOP_LIMIT).
    const lastF = this.lastF;
    const lo = this.collarLo;
    if (lo !== null && hasPrice && (type === LIMIT || type === STOP_LIMIT)) {
      if (Number.isNaN(lastF))
        return reject(R.NO_REFERENCE_PRICE, `price collar needs a last price for ${inst}`);
      const hi = this.collarHi as Limit;
      const pf = this.pf;
      const lof = lastF * lo.f;
      const hif = lastF * hi.f;
      let cl = fcmp(pf, lof, pf + lof);
      if (cl === 0) cl = this.ref(true).cmp(this.ref(false).mul(lo.d));
      let ch = fcmp(pf, hif, pf + hif);
      if (ch === 0) ch = this.ref(true).cmp(this.ref(false).mul(hi.d));
      if (cl < 0 || ch > 0) {
        return reject(
          R.PRICE_COLLAR,
          `price ${fx(this.ref(true))} is outside ±${fx(this.config.priceCollarPct as Decimal)}% of last price ${fx(this.ref(false))} (allowed ${fx(this.ref(false).mul(lo.d))} to ${fx(this.ref(false).mul(hi.d))}) (${inst})`,
        );
      }
    }

    // Reference price for notionals: the order's price, else the last price.
    const refF = hasPrice ? this.pf : lastF;
    if (this.needsReference && Number.isNaN(refF))
      return reject(
        R.NO_REFERENCE_PRICE,
        `no order price and no last price to value the order in ${inst}`,
      );

    // 11. Notional per order.
    const mn = this.maxOrderNotional;
    if (mn !== null) {
      const n = qf * refF * mf;
      let c = fcmp(n, mn.f, n + mn.f);
      if (c === 0) c = this.q().mul(this.ref(hasPrice)).mul(mult).cmp(mn.d);
      if (c > 0) {
        return reject(
          R.MAX_NOTIONAL,
          `order notional ${fx(this.q().mul(this.ref(hasPrice)).mul(mult))} exceeds the max order notional ${fx(mn.d)} (${inst})`,
        );
      }
    }

    // 12. REDUCING: only orders on the opposite side of the position, no larger than it, pass.
    if (this.state.mode === REDUCING) {
      const opposite = side === BUY ? posf < 0 : posf > 0;
      let c = 1;
      if (opposite) {
        const a = Math.abs(posf);
        c = fcmp(qf, a, qf + a);
        if (c === 0) c = this.q().cmp(pos.abs());
      }
      if (c > 0) {
        return reject(
          justReduced ? R.DAILY_LOSS_LIMIT : R.REDUCING_ONLY,
          `${this.state.message}; ${side} ${fx(this.q())} would not reduce position ${fx(pos)} in ${inst}`,
        );
      }
      return APPROVED;
    }

    // 13. Position limits: only for orders that increase |position| (reducing orders always pass).
    if (this.posControls) {
      const absPos = Math.abs(posf);
      const postAbs = Math.abs(side === BUY ? posf + qf : posf - qf);
      const scale = absPos + qf;
      let inc = fcmp(postAbs, absPos, scale);
      if (inc === 0) inc = this.postAbs(pos, side).cmp(pos.abs());
      if (inc > 0) {
        const mp = this.maxPosQty;
        if (mp !== null) {
          let c = fcmp(postAbs, mp.f, scale + mp.f);
          if (c === 0) c = this.postAbs(pos, side).cmp(mp.d);
          if (c > 0)
            return reject(
              R.MAX_POSITION_ABS,
              `position would be ${fx(this.postAbs(pos, side))}, above the max position quantity ${fx(mp.d)} (${inst})`,
            );
        }
        const pn = postAbs * refF * mf;
        const pscale = scale * refF * mf;
        const mpn = this.maxPosNotional;
        if (mpn !== null) {
          let c = fcmp(pn, mpn.f, pscale + mpn.f);
          if (c === 0) c = this.postNotional(pos, side, hasPrice, mult).cmp(mpn.d);
          if (c > 0)
            return reject(
              R.MAX_POSITION_NOTIONAL,
              `position notional would be ${fx(this.postNotional(pos, side, hasPrice, mult))}, above the max position notional ${fx(mpn.d)} (${inst})`,
            );
        }
        const pct = this.posFraction;
        if (pct !== null) {
          // pct.f > 0, so es × pct.f is |cap| for a Decimal equity (as before) and the scaled error bound for an estimate.
          const cap = ef * pct.f;
          let c = fcmp(pn, cap, pscale + es * pct.f);
          if (c === 0) c = this.postNotional(pos, side, hasPrice, mult).cmp(eq.exact().mul(pct.d));
          if (c > 0) {
            const e = eq.exact();
            return reject(
              R.MAX_POSITION_PCT,
              `position notional would be ${fx(this.postNotional(pos, side, hasPrice, mult))}, above ${fx(this.config.maxPositionPctOfEquity as Decimal)}% of equity ${fx(e)} = ${fx(e.mul(pct.d))} (${inst})`,
            );
          }
        }
      }
    }

    // 14. Open positions: an order that opens a new position needs a free slot.
    const maxOpen = this.config.maxOpenPositions;
    if (maxOpen !== null && (ctx.opensNewPosition ?? posf === 0) && open >= maxOpen) {
      return reject(
        R.MAX_OPEN_POSITIONS,
        `${open} positions open; the limit is ${maxOpen}, so ${inst} cannot open a new one`,
      );
    }
    return APPROVED;
  }

  private postAbs(pos: Decimal, side: OrderSide): Decimal {
    return (side === BUY ? pos.add(this.q()) : pos.sub(this.q())).abs();
  }

  private postNotional(pos: Decimal, side: OrderSide, hasPrice: boolean, mult: Decimal): Decimal {
    return this.postAbs(pos, side).mul(this.ref(hasPrice)).mul(mult);
  }
}

/** Parses decimal text into a decimal, or null when it is not a finite decimal ≤ 1e18 in magnitude. */
function parseText(s: string): Decimal | null {
  try {
    return toDecimal(s);
  } catch {
    return null;
  }
}

import {
  assertMillis as assertMillisImported,
  isRememberedScaled as isRememberedScaledImported,
  CorruptionError,
  Currency,
  currency,
  DecimalInput,
  Instrument,
  InstrumentId,
  MAX_ABS_DECIMAL,
  Money,
  ONE,
  OrderSide,
  PositionSide,
  Price,
  Quantity,
  toDecimal,
  exchangeDay,
  TradingDecimal,
  USD,
  ValidationError,
  ZERO,
  assertZone,
} from '@trading/domain';
import { EquityTracker } from './equity-tracker';
import { Fx } from './fixed';
import {
  CashAdjustedEvent,
  CashAdjustmentReason,
  DayRolledEvent,
  EquityRecordedEvent,
  FillAppliedEvent,
  isDerivedEvent,
  PortfolioEvent,
  RecordedMark,
} from './portfolio.events';
import {
  PORTFOLIO_SNAPSHOT_VERSION,
  PortfolioSnapshot,
  PositionSnapshot,
} from './portfolio.snapshot';
import { OpenPositions, PositionState, PositionView, settlementOf } from './position';

/** A fill to book. `quantity` is the positive fill size; `side` gives the direction. */
export interface Fill {
  readonly instrumentId: InstrumentId | string;
  readonly side: OrderSide;
  readonly quantity: Quantity;
  readonly price: Price;
  /** Commission in the base currency (negative = rebate). */
  readonly commission: Money;
  /** When the fill happened (UTC epoch ms). */
  readonly ts: number;
  readonly tradeId?: string;
  readonly clientOrderId?: string;
}

/** Resolves an instrument id to its definition (undefined when unknown). */
export type InstrumentLookup = (id: InstrumentId) => Instrument | undefined;

/** Options of {@link Portfolio.applyFill}. */
export interface ApplyFillOptions {
  /**
   * Build the events (default true). With false the ledger changes exactly the same way and the
   * sequence numbers advance as if they had been built, but no event objects or texts are made
   * and an empty list is returned: for callers nobody listens to (the kernel, when no listener
   * wants portfolio events; the portfolio itself is rebuilt from order events on recovery).
   */
  readonly events?: boolean;
}

/** Construction options of a {@link Portfolio}. */
export interface PortfolioOptions {
  /** Cash at the start (a Money must be in the base currency). */
  readonly startingCash: Money | DecimalInput;
  /** Instrument definitions: a lookup function or a list. */
  readonly instruments: InstrumentLookup | Iterable<Instrument>;
  /** Account currency (default USD). Every instrument, commission and cash adjustment must use it. */
  readonly baseCurrency?: Currency | string;
  /**
   * Buying-power multiplier: 1 (default) is a cash account (buying power = cash); e.g. 2 (Reg T)
   * or 4 (intraday) gives buying power = equity × multiplier − gross exposure.
   */
  readonly marginMultiplier?: DecimalInput;
  /** Zone whose calendar date delimits trading days for daily P&L (default America/New_York). */
  readonly timeZone?: string;
}

/** Gross/net notional exposure (quantity × mark × multiplier, futures included). */
export interface Exposure {
  /** Σ |notional|. */
  readonly gross: Money;
  /** Σ signed notional. */
  readonly net: Money;
  /** Σ notional of long positions. */
  readonly long: Money;
  /** Σ |notional| of short positions. */
  readonly short: Money;
}

/** Drawdown as of the last recorded equity point. */
export interface Drawdown {
  /** Highest recorded equity (shifted by deposits/withdrawals), null before the first point. */
  readonly peak: Money | null;
  /** peak − last recorded equity (≥ 0). */
  readonly amount: Money;
  /** amount / peak × 100 (0 when the peak is not positive). */
  readonly percent: TradingDecimal;
  /** Largest `amount` seen at any recorded point. */
  readonly maxAmount: Money;
  /** Largest `percent` seen at any recorded point (may come from a different point than maxAmount). */
  readonly maxPercent: TradingDecimal;
}

/**
 * Float estimate of equity with its error scale (see {@link Portfolio.equityEstimate}):
 * |value − equity()| ≤ {@link EQUITY_ESTIMATE_MAX_ERROR} × scale, and scale ≥ |value|.
 */
export interface EquityEstimate {
  /** cash + Σ position values, summed in float64. */
  readonly value: number;
  /** |cash| + Σ |terms| (NOT |value|: cash and positions may offset each other). */
  readonly scale: number;
}

/** Error bound of {@link Portfolio.equityEstimate} relative to its scale (= risk's ESTIMATE_MAX_ERROR). */
export const EQUITY_ESTIMATE_MAX_ERROR = 1e-13;
/** Unit roundoff of float64. */
const U = 2 ** -53;

/** One recorded equity point. */
export interface EquityPoint {
  readonly ts: number;
  readonly equity: Money;
}

// Module-local aliases: imported bindings compile to property reads through re-export getters,
// which cost measurably on the applyFill/mark hot paths.
const QuantityClass = Quantity;
const PriceClass = Price;
const MoneyClass = Money;
const assertMillis = assertMillisImported;
const isRememberedScaled = isRememberedScaledImported;

// Slots of Portfolio.moneyCache.
const CASH = 0;
const PEAK = 1;
const DAY_START = 2;

/** Smallest number of decimal places kept when a partial close splits the book cost. */
const MIN_COST_SCALE = 12;
const MAX_MARK = MAX_ABS_DECIMAL.toNumber();

/**
 * Exact (decimal) accounting ledger of one account in one base currency: positions, cash,
 * realised/unrealised P&L, commissions, equity, drawdown and daily P&L. Event-sourced: every
 * state change returns {@link PortfolioEvent}s, and {@link Portfolio.replay} rebuilds the state
 * from them. Marks are stored as plain numbers and valued lazily; see README for the rules.
 */
export class Portfolio {
  /** Account currency. */
  readonly baseCurrency: Currency;
  /** Zone of the trading-day boundaries. */
  readonly timeZone: string;
  /** Buying-power multiplier (1 = cash account). */
  readonly marginMultiplier: TradingDecimal;
  private readonly lookup: InstrumentLookup;
  private readonly startingCashDec: TradingDecimal;
  private readonly byId = new Map<string, PositionState>();
  /** The open positions, in the order they opened (equity sums them in this order). */
  private readonly openPositions = new OpenPositions();
  /** Cash balance (fixed point; its decimal is built when read). */
  private readonly cashFx = new Fx();
  /** Double of the cash balance, when `cashFStale` is false. */
  private cashF = 0;
  /**
   * `cashF` is out of date. Converted on the first estimate after a change (a cash with more than
   * 16 digits, common after partial closes, needs a text conversion, which a fill should not pay
   * when no estimate follows).
   */
  private cashFStale = true;
  /** The scale of the last equity estimate (see {@link equityEstimateScale}). */
  private estimateScale = 0;
  // Scratch cells of applyFill (the fill's quantity, price, commission, notional; temporaries).
  private readonly fQty = new Fx();
  private readonly fPx = new Fx();
  private readonly fComm = new Fx();
  private readonly fNotional = new Fx();
  private readonly fRealised = new Fx();
  private readonly fRest = new Fx();
  private readonly fTmp = new Fx();
  private readonly fRemoved = new Fx();
  private netDepositsDec: TradingDecimal = ZERO;
  private otherAdjDec: TradingDecimal = ZERO;
  private readonly tracker: EquityTracker;
  /** The last Money built by {@link moneyCached} per slot (CASH, PEAK, DAY_START). */
  private readonly moneyCache: (Money | null)[] = [null, null, null];
  private seqNo = 0;
  // Cache of the exchange-local day containing the last looked-up timestamp: [from, to).
  private dayFrom = NaN;
  private dayTo = NaN;
  private dayText = '';

  constructor(options: PortfolioOptions) {
    this.baseCurrency = currency(
      options.baseCurrency ??
        (options.startingCash instanceof Money ? options.startingCash.currency : USD),
      'baseCurrency',
    );
    this.timeZone = assertZone(options.timeZone ?? 'America/New_York');
    this.marginMultiplier = toDecimal(options.marginMultiplier ?? ONE, 'marginMultiplier');
    if (this.marginMultiplier.lt(1))
      throw new ValidationError('marginMultiplier', options.marginMultiplier, 'must be at least 1');
    this.lookup = toLookup(options.instruments);
    this.startingCashDec = this.moneyIn(options.startingCash, 'startingCash');
    this.cashFx.setDec(this.startingCashDec);
    this.tracker = new EquityTracker(this.startingCashDec);
  }

  /** Rebuilds a portfolio from `events` (e.g. the whole WAL) on top of fresh `options`. */
  static replay(options: PortfolioOptions, events: Iterable<PortfolioEvent>): Portfolio {
    return new Portfolio(options).replay(events);
  }

  // ---------------------------------------------------------------- commands

  /**
   * Books a fill: updates the position (average-cost method; a fill through zero closes the old
   * position, realising its P&L, and opens the remainder at the fill price), cash and commissions.
   * Returns `FillApplied` followed by the derived position event(s) (none with `events: false`).
   */
  applyFill(fill: Fill, options?: ApplyFillOptions): PortfolioEvent[] {
    const emit = options?.events !== false;
    const ts = assertMillis(fill.ts, 'fill.ts');
    const side = fill.side;
    if (side !== 'BUY' && side !== 'SELL')
      throw new ValidationError('fill.side', side, 'must be one of BUY, SELL');
    if (!(fill.quantity instanceof QuantityClass) || !fill.quantity.isPositive()) {
      throw new ValidationError(
        'fill.quantity',
        fill.quantity?.toString(),
        'must be a positive Quantity',
      );
    }
    if (!(fill.price instanceof PriceClass))
      throw new ValidationError('fill.price', fill.price, 'must be a Price');
    const commission = this.moneyOf(fill.commission, 'fill.commission');
    // (value objects built with the unchecked fromDecimal could carry NaN or ±Infinity)
    if (!fill.quantity.value.isFinite())
      throw new ValidationError('fill.quantity', fill.quantity.toString(), 'must be finite');
    // (a price registered with rememberScaled is finite: not read here, see there)
    if (!isRememberedScaled(fill.price.value) && !fill.price.value.isFinite())
      throw new ValidationError('fill.price', fill.price.toString(), 'must be finite');
    if (!commission.isFinite())
      throw new ValidationError('fill.commission', commission.toString(), 'must be finite');
    const p = this.state(fill.instrumentId, 'fill.instrumentId');

    // Integer arithmetic on fixed-point cells (fixed.ts): each step below is the decimal.js
    // operation named in its comment, with the same result (rounding included).
    const price = fill.price.value;
    const buy = side === 'BUY';
    const qa = this.fQty;
    qa.setDec(fill.quantity.value);
    const px = this.fPx;
    px.setDec(price);
    const comm = this.fComm;
    comm.setDec(commission);
    const q = p.q;
    const q0Neg = q.isNeg();
    const qtyText = emit ? qa.text() : '';
    const priceText = emit ? px.text() : '';
    // |fill notional| = quantity × price × multiplier (the multiplication by 1 is skipped).
    const notional = this.fNotional;
    notional.setMul(qa, px);
    if (!p.multOne) notional.setMul(notional, p.mult);
    const events: PortfolioEvent[] = [];
    const realised = this.fRealised;
    realised.setZero();
    const seq = ++this.seqNo;
    const fillEvent: { -readonly [K in keyof FillAppliedEvent]: FillAppliedEvent[K] } | null = emit
      ? {
          seq,
          ts,
          type: 'FillApplied',
          instrumentId: p.id,
          side,
          quantity: qtyText,
          price: priceText,
          commission: comm.isZero() ? '0' : comm.text(),
          realisedPnl: '0',
          cashAfter: '',
        }
      : null;
    if (fillEvent !== null) {
      if (fill.tradeId !== undefined) fillEvent.tradeId = fill.tradeId;
      if (fill.clientOrderId !== undefined) fillEvent.clientOrderId = fill.clientOrderId;
      events.push(fillEvent);
    }

    if (q.isZero()) {
      // Open from flat: qty = ±qa, book = ±notional, avg = price.
      if (buy) {
        q.set(qa);
        p.bk.set(notional);
      } else {
        q.setNeg(qa);
        p.bk.setNeg(notional);
      }
      p.av.set(px);
      this.openPositions.add(p);
      const seqOpened = ++this.seqNo;
      if (emit)
        events.push({
          seq: seqOpened,
          ts,
          type: 'PositionOpened',
          instrumentId: p.id,
          side: buy ? 'LONG' : 'SHORT',
          quantity: buy ? qtyText : '-' + qtyText,
          avgPrice: priceText,
        });
    } else if (q0Neg !== buy) {
      // Add in the same direction: the average entry price moves.
      // qty = q0 ± qa; book = book ± notional; avg = book / qty [/ (qty × multiplier)]
      if (buy) {
        q.setAdd(q, qa);
        p.bk.setAdd(p.bk, notional);
      } else {
        q.setSub(q, qa);
        p.bk.setSub(p.bk, notional);
      }
      if (p.multOne) p.av.setDiv(p.bk, q);
      else {
        const t = this.fTmp;
        t.setMul(q, p.mult);
        p.av.setDiv(p.bk, t);
      }
      const seqChanged = ++this.seqNo;
      if (emit) events.push(this.changedEvent(p, ts, seqChanged));
    } else {
      const rest = this.fRest; // q0 ± qa
      if (buy) rest.setAdd(q, qa);
      else rest.setSub(q, qa);
      if (!rest.isZero() && rest.isNeg() === q0Neg) {
        // Partial close at the unchanged average price; the removed cost is kept to a bounded scale.
        // removed = closed × avg [× multiplier], closed = ∓qa signed like q0; rounded half-even to
        // max(12, decimals of book) places when it has more
        const removed = this.fRemoved;
        const closed = this.fTmp;
        if (buy) closed.setNeg(qa);
        else closed.set(qa);
        removed.setMul(closed, p.av);
        if (!p.multOne) removed.setMul(removed, p.mult);
        // (a scale that is already small enough needs no trimming: dp ≤ s; rounding a value that
        // has no more decimals than asked returns it unchanged)
        const bk = p.bk;
        const scale = bk.s <= MIN_COST_SCALE ? MIN_COST_SCALE : Math.max(MIN_COST_SCALE, bk.dp());
        if (removed.s > scale) removed.setRoundDp(removed, scale);
        // realised = (−notional or notional) − removed; book −= removed; realised total += it
        if (buy) {
          const negNotional = this.fTmp;
          negNotional.setNeg(notional);
          realised.setSub(negNotional, removed);
        } else realised.setSub(notional, removed);
        p.bk.setSub(p.bk, removed);
        q.set(rest);
        p.rl.setAdd(p.rl, realised);
        const seqChanged = ++this.seqNo;
        if (emit) events.push(this.changedEvent(p, ts, seqChanged));
      } else {
        // Full close, possibly flipping through zero: the remainder opens at the fill price.
        const wasSide = q0Neg ? 'SHORT' : 'LONG';
        // closeValue = ∓notional when flat after, else q0 × price [× multiplier]
        const closeValue = this.fTmp;
        if (rest.isZero()) {
          if (buy) closeValue.setNeg(notional);
          else closeValue.set(notional);
        } else {
          closeValue.setMul(q, px);
          if (!p.multOne) closeValue.setMul(closeValue, p.mult);
        }
        realised.setSub(closeValue, p.bk);
        p.rl.setAdd(p.rl, realised);
        q.setZero();
        p.bk.setZero();
        p.av.setZero();
        this.openPositions.delete(p);
        const seqClosed = ++this.seqNo;
        if (emit)
          events.push({
            seq: seqClosed,
            ts,
            type: 'PositionClosed',
            instrumentId: p.id,
            side: wasSide,
            realisedPnl: p.rl.text(),
          });
        if (!rest.isZero()) {
          // qty = rest; book = rest × price [× multiplier]; avg = price
          q.set(rest);
          p.bk.setMul(rest, px);
          if (!p.multOne) p.bk.setMul(p.bk, p.mult);
          p.av.set(px);
          this.openPositions.add(p);
          const seqOpened = ++this.seqNo;
          if (emit)
            events.push({
              seq: seqOpened,
              ts,
              type: 'PositionOpened',
              instrumentId: p.id,
              side: rest.isNeg() ? 'SHORT' : 'LONG',
              quantity: rest.text(),
              avgPrice: priceText,
            });
        }
      }
      if (fillEvent !== null) fillEvent.realisedPnl = realised.text();
    }
    p.mvCache = null;
    p.invalidateFloats();
    if (!p.marked) p.setMarkDecimal(price, ts);

    // cash ∓= notional (FULL_NOTIONAL) or += realised (PNL_ONLY, when not zero); −= commission
    const cash = this.cashFx;
    if (!p.pnlOnly) {
      if (buy) cash.setSub(cash, notional);
      else cash.setAdd(cash, notional);
    } else if (!realised.isZero()) cash.setAdd(cash, realised);
    if (!comm.isZero()) {
      cash.setSub(cash, comm);
      p.cm.setAdd(p.cm, comm);
    }
    this.cashFStale = true;
    if (fillEvent !== null) fillEvent.cashAfter = cash.text();
    return events;
  }

  /**
   * Moves cash outside of trading. `amount` is signed (added to cash): DEPOSIT must be positive,
   * WITHDRAWAL negative; FEE, INTEREST and ADJUSTMENT may have either sign and count as P&L.
   */
  adjustCash(
    amount: Money | DecimalInput,
    reason: CashAdjustmentReason,
    ts: number,
    note?: string,
  ): PortfolioEvent[] {
    assertMillis(ts, 'ts');
    const a = this.moneyIn(amount, 'amount');
    if (reason === 'DEPOSIT' || reason === 'WITHDRAWAL') {
      if (reason === 'DEPOSIT' ? !a.gt(0) : !a.lt(0)) {
        throw new ValidationError(
          'amount',
          a.toFixed(),
          reason === 'DEPOSIT'
            ? 'must be positive for a DEPOSIT'
            : 'must be negative for a WITHDRAWAL',
        );
      }
      this.netDepositsDec = this.netDepositsDec.add(a);
      this.tracker.externalFlow(a);
    } else if (reason === 'FEE' || reason === 'INTEREST' || reason === 'ADJUSTMENT') {
      this.otherAdjDec = this.otherAdjDec.add(a);
    } else {
      throw new ValidationError(
        'reason',
        reason,
        'must be one of DEPOSIT, WITHDRAWAL, FEE, INTEREST, ADJUSTMENT',
      );
    }
    const cash = this.cashFx;
    const t = this.fTmp;
    t.setDec(a);
    cash.setAdd(cash, t);
    this.cashFStale = true;
    const e: CashAdjustedEvent = {
      seq: ++this.seqNo,
      ts,
      type: 'CashAdjusted',
      amount: a.toFixed(),
      reason,
      ...(note !== undefined ? { note } : {}),
      cashAfter: cash.text(),
    };
    return [e];
  }

  /** Deposits a positive amount. */
  deposit(amount: Money | DecimalInput, ts: number, note?: string): PortfolioEvent[] {
    return this.adjustCash(amount, 'DEPOSIT', ts, note);
  }

  /** Withdraws a positive amount. */
  withdraw(amount: Money | DecimalInput, ts: number, note?: string): PortfolioEvent[] {
    return this.adjustCash(this.moneyIn(amount, 'amount').neg(), 'WITHDRAWAL', ts, note);
  }

  /**
   * Marks an instrument to market (hot path: called per bar/quote). A number is stored as is
   * (exact decimal for ≤ 15 significant digits, see domain market-data) and only converted to a
   * decimal when P&L or equity is asked for. Not an event by itself: the marks are written into
   * the next `EquityRecorded` event.
   */
  mark(instrumentId: InstrumentId | string, price: number | Price, ts: number): void {
    if (!Number.isSafeInteger(ts))
      throw new ValidationError('ts', ts, 'must be an integer epoch-millisecond timestamp');
    let p = this.byId.get(instrumentId);
    if (p === undefined) p = this.state(instrumentId, 'instrumentId');
    if (typeof price === 'number') {
      markWithNumber(p, price, ts);
    } else if (price instanceof PriceClass) {
      p.setMarkDecimal(price.value, ts);
    } else {
      throw new ValidationError('price', price, 'must be a number or a Price');
    }
  }

  /**
   * {@link mark} bound to one instrument's position, for a per-bar caller (the kernel keeps one per
   * instrument and so skips the lookup by id). Same validation and effect as `mark(id, price, ts)`
   * with a number. Throws like `mark` for an unknown instrument.
   */
  markerFor(instrumentId: InstrumentId | string): (price: number, ts: number) => void {
    const p = this.state(instrumentId, 'instrumentId');
    return (price, ts) => {
      if (typeof price !== 'number') this.mark(instrumentId, price, ts);
      else {
        if (!Number.isSafeInteger(ts))
          throw new ValidationError('ts', ts, 'must be an integer epoch-millisecond timestamp');
        markWithNumber(p, price, ts);
      }
    };
  }

  /**
   * Appends an equity point at `ts` (call at the engine's sampling cadence, e.g. each bar close
   * or daily), updating peak and drawdown. On the first point of a new exchange-local day it
   * first rolls the day (the new day's P&L baseline is the last equity recorded the day before).
   * Returns `[DayRolled]?, EquityRecorded`.
   */
  recordEquity(ts: number): PortfolioEvent[] {
    assertMillis(ts, 'ts');
    const t = this.tracker;
    const n = t.times.length;
    if (n > 0 && ts < t.times[n - 1])
      throw new ValidationError(
        'ts',
        ts,
        `must not be before the last recorded point (${t.times[n - 1]})`,
      );
    const events: PortfolioEvent[] = [];
    const date = this.dateOf(ts);
    if (date !== t.day) {
      const opening = t.day === null ? t.dayStart : t.nextDayBaseline();
      const rolled: DayRolledEvent = {
        seq: ++this.seqNo,
        ts,
        type: 'DayRolled',
        date,
        previousDate: t.day,
        openingEquity: opening.toFixed(),
      };
      t.roll(date, opening);
      events.push(rolled);
    }
    const marks: Record<string, RecordedMark> = {};
    for (const p of this.byId.values()) {
      if (p.markDirty) {
        marks[p.id] = {
          price: p.markDec !== null ? p.markDec.toFixed() : String(p.markNum),
          ts: p.markTs,
        };
        p.markDirty = false;
      }
    }
    const equity = this.equityDec();
    t.record(ts, equity);
    const rec: EquityRecordedEvent = {
      seq: ++this.seqNo,
      ts,
      type: 'EquityRecorded',
      equity: equity.toFixed(),
      marks,
    };
    events.push(rec);
    return events;
  }

  /**
   * Re-applies events (e.g. the WAL after a snapshot). Events with `seq` at or below the current
   * one are skipped (idempotent); a gap, a derived event without its fill, or a recomputed value
   * that differs from the logged one throws CorruptionError. Returns `this`.
   */
  replay(events: Iterable<PortfolioEvent>): this {
    for (const e of events) {
      if (e.seq <= this.seqNo) continue;
      if (e.seq !== this.seqNo + 1)
        throw new CorruptionError(
          `portfolio event gap: expected seq ${this.seqNo + 1}, got ${e.seq}`,
          { expected: this.seqNo + 1, got: e.seq },
        );
      if (isDerivedEvent(e))
        throw new CorruptionError(
          `portfolio event ${e.seq} (${e.type}) is not preceded by its FillApplied`,
          { seq: e.seq },
        );
      switch (e.type) {
        case 'FillApplied': {
          const out = this.applyFill({
            instrumentId: e.instrumentId,
            side: e.side,
            quantity: Quantity.of(e.quantity, 'event.quantity'),
            price: Price.of(e.price, 'event.price'),
            commission: Money.of(e.commission, this.baseCurrency, 'event.commission'),
            ts: e.ts,
            ...(e.tradeId !== undefined ? { tradeId: e.tradeId } : {}),
            ...(e.clientOrderId !== undefined ? { clientOrderId: e.clientOrderId } : {}),
          });
          const f = out[0] as FillAppliedEvent;
          if (f.cashAfter !== e.cashAfter || f.realisedPnl !== e.realisedPnl)
            mismatch(e, `cash ${f.cashAfter} / realised ${f.realisedPnl}`);
          break;
        }
        case 'CashAdjusted': {
          const out = this.adjustCash(e.amount, e.reason, e.ts, e.note)[0] as CashAdjustedEvent;
          if (out.cashAfter !== e.cashAfter) mismatch(e, `cash ${out.cashAfter}`);
          break;
        }
        case 'DayRolled':
          this.seqNo = e.seq;
          this.tracker.roll(e.date, toDecimal(e.openingEquity, 'event.openingEquity'));
          break;
        case 'EquityRecorded': {
          for (const [id, m] of Object.entries(e.marks))
            this.state(id, 'event.marks').setMarkDecimal(
              toDecimal(m.price, `event.marks.${id}`),
              assertMillis(m.ts, `event.marks.${id}.ts`),
            );
          const out = this.recordEquity(e.ts);
          const rec = out[out.length - 1] as EquityRecordedEvent;
          if (out.length !== 1 || rec.equity !== e.equity)
            mismatch(e, `equity ${rec.equity} (${out.length} events)`);
          break;
        }
        default:
          throw new CorruptionError(
            `unknown portfolio event type ${String((e as { type: unknown }).type)}`,
            { seq: (e as PortfolioEvent).seq },
          );
      }
    }
    return this;
  }

  // ---------------------------------------------------------------- reads

  /** Sequence number of the last event produced or replayed. */
  get seq(): number {
    return this.seqNo;
  }

  /** Cash at construction. */
  startingCash(): Money {
    return this.money(this.startingCashDec);
  }

  /** Cash balance. */
  cash(): Money {
    return this.moneyCached(this.cashFx.dec(), CASH);
  }

  /**
   * Equity: cash + market value of FULL_NOTIONAL positions + unrealised P&L of PNL_ONLY
   * (futures) positions, at the last marks. Computed on demand.
   */
  equity(): Money {
    return this.money(this.equityDec());
  }

  /**
   * Equity as a float64 estimate with an error bound, without any decimal arithmetic (the hot
   * path of the risk context: the exact {@link equity} is needed only near a risk limit).
   *
   * value = cash_f + Σ qty_f × mark_f × mult_f (FULL_NOTIONAL) + Σ (qty_f × mark_f × mult_f − book_f)
   * (PNL_ONLY), over the open positions, from float copies of the exact values (marked stale at
   * every change — fills, cash adjustments, marks, restores — and refreshed here, from the
   * fixed-point cells); scale = |cash_f| + Σ |each product| (+ |book_f|).
   *
   * Error: each copy is the correctly rounded double of its decimal (a number mark IS the double
   * whose decimal is the mark), so within u = 2⁻⁵³ relative. A FULL_NOTIONAL term (3 copies, 2
   * products) is within 5u of its exact value, a PNL_ONLY term within 6u × (|mv| + |book|); each of
   * the n additions of open positions adds at most u × (partial |sum| ≤ scale). So
   * |value − equity| ≤ (n + 7) × u × scale ≤ 1e-13 × scale ({@link EQUITY_ESTIMATE_MAX_ERROR}) for
   * n ≤ 893 open positions; beyond that the scale is enlarged to keep the bound. (The exact
   * equity's own 40-digit rounding, ~1e-39 relative, is negligible.) scale ≥ |value| because both
   * sums are rounded the same way over |terms| ≥ |term|.
   */
  equityEstimate(): EquityEstimate {
    const value = this.equityEstimateValue();
    return { value, scale: this.estimateScale };
  }

  /**
   * {@link equityEstimate} without its result object (a per-order caller such as the kernel's risk
   * context): computes the estimate, returns its `value` and keeps its `scale` for
   * {@link equityEstimateScale}. The same numbers as `equityEstimate()`.
   */
  equityEstimateValue(): number {
    if (this.cashFStale) {
      this.cashFStale = false;
      this.cashF = this.cashFx.toNumber();
    }
    let value = this.cashF;
    let scale = Math.abs(value);
    for (let p = this.openPositions.head; p !== null; p = p.nextOpen) {
      p.floats();
      const mv = p.multOne ? p.qtyF * p.markF : p.qtyF * p.markF * p.multF;
      if (p.pnlOnly) {
        value += mv - p.bookF;
        scale += Math.abs(mv) + Math.abs(p.bookF);
      } else {
        value += mv;
        scale += Math.abs(mv);
      }
    }
    const k = (this.openPositions.size + 7) * U;
    if (k > EQUITY_ESTIMATE_MAX_ERROR) scale *= k / EQUITY_ESTIMATE_MAX_ERROR;
    this.estimateScale = scale;
    return value;
  }

  /**
   * The `scale` of the estimate the last {@link equityEstimateValue} (or {@link equityEstimate})
   * call computed (0 before the first): read it right after that call, before the portfolio
   * changes.
   */
  get equityEstimateScale(): number {
    return this.estimateScale;
  }

  /** Alias of {@link equity}. */
  markToMarketEquity(): Money {
    return this.equity();
  }

  /** Lifetime realised P&L over all instruments (gross of commissions). */
  realisedPnl(): Money {
    let r = ZERO;
    for (const p of this.byId.values()) if (!p.rl.isZero()) r = r.add(p.realised);
    return this.money(r);
  }

  /** Unrealised P&L of the open positions at the last marks. */
  unrealisedPnl(): Money {
    let u = ZERO;
    for (let p = this.openPositions.head; p !== null; p = p.nextOpen) u = u.add(p.unrealised());
    return this.money(u);
  }

  /** Total commissions paid (rebates reduce it). */
  totalCommissions(): Money {
    let c = ZERO;
    for (const p of this.byId.values()) if (!p.cm.isZero()) c = c.add(p.commissions);
    return this.money(c);
  }

  /** Deposits minus withdrawals since the start. */
  netDeposits(): Money {
    return this.money(this.netDepositsDec);
  }

  /** Net fees, interest and adjustments booked via {@link adjustCash} (P&L, not external flows). */
  otherCashAdjustments(): Money {
    return this.money(this.otherAdjDec);
  }

  /**
   * Cash account (marginMultiplier 1): the cash balance. Margin account: equity × marginMultiplier
   * − gross exposure. May be negative (overdrawn / over-exposed).
   */
  buyingPower(): Money {
    if (this.marginMultiplier.eq(1)) return this.cash();
    return this.money(this.equityDec().mul(this.marginMultiplier).sub(this.exposureDec().gross));
  }

  /** Gross/net/long/short notional of the open positions at the last marks. */
  exposure(): Exposure {
    const e = this.exposureDec();
    return {
      gross: this.money(e.gross),
      net: this.money(e.net),
      long: this.money(e.long),
      short: this.money(e.short),
    };
  }

  /** The position in one instrument (a FLAT view when never traded). Throws for unknown instruments. */
  position(instrumentId: InstrumentId | string): PositionView {
    const p = this.byId.get(instrumentId);
    if (p !== undefined) return this.view(p);
    // Never filled nor marked: a flat view without adding the instrument to the state (reads are pure).
    const probe = this.state(instrumentId, 'instrumentId');
    this.byId.delete(instrumentId);
    return this.view(probe);
  }

  /**
   * Signed quantity and average entry price of one instrument, without computing P&L (hot path:
   * the kernel asks this for every order and strategies for every signal).
   */
  positionSummary(instrumentId: InstrumentId | string): {
    readonly quantity: TradingDecimal;
    readonly avgPrice: TradingDecimal;
    readonly side: PositionSide;
  } {
    const p = this.byId.get(instrumentId) ?? this.state(instrumentId, 'instrumentId');
    return { quantity: p.qty, avgPrice: p.avg, side: p.side() };
  }

  /**
   * `positionSummary(instrumentId).quantity` without the summary object and the average price's
   * decimal (the kernel's risk context needs only the quantity, on every order).
   */
  positionQuantity(instrumentId: InstrumentId | string): TradingDecimal {
    const p = this.byId.get(instrumentId) ?? this.state(instrumentId, 'instrumentId');
    return p.qty;
  }

  /** Views of the open positions, sorted by instrument id. */
  positions(): PositionView[] {
    return this.openPositions
      .toArray()
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((p) => this.view(p));
  }

  /** Number of non-flat positions. */
  openPositionCount(): number {
    return this.openPositions.size;
  }

  /** Drawdown as of the last recorded equity point. */
  drawdown(): Drawdown {
    const t = this.tracker;
    return {
      peak: t.peak === null ? null : this.money(t.peak),
      amount: this.money(t.drawdown),
      percent: t.drawdownPct,
      maxAmount: this.money(t.maxDrawdown),
      maxPercent: t.maxDrawdownPct,
    };
  }

  /** Highest recorded equity (shifted by deposits/withdrawals), or null before the first point. */
  peakEquity(): Money | null {
    return this.tracker.peak === null ? null : this.moneyCached(this.tracker.peak, PEAK);
  }

  /** Largest drawdown seen at a recorded point. */
  maxDrawdown(): Money {
    return this.money(this.tracker.maxDrawdown);
  }

  /** The recorded equity curve. */
  equityCurve(): EquityPoint[] {
    const t = this.tracker;
    return t.times.map((ts, i) => ({ ts, equity: this.money(t.values[i]) }));
  }

  /**
   * Today's P&L at `ts`: current equity − the equity the exchange-local day (timeZone) started
   * from. The baseline is the last equity recorded on the previous day (its close), or the
   * starting equity before anything was recorded; deposits/withdrawals shift it (not P&L).
   * Pure: a `ts` on a day not yet rolled by {@link recordEquity} uses the baseline that roll would set.
   */
  dailyPnl(ts: number): Money {
    assertMillis(ts, 'ts');
    const t = this.tracker;
    const date = this.dateOf(ts);
    if (t.day !== null && date < t.day)
      throw new ValidationError('ts', ts, `is on ${date}, before the current trading day ${t.day}`);
    const base = t.day === null ? t.dayStart : date === t.day ? t.dayStart : t.nextDayBaseline();
    return this.money(this.equityDec().sub(base));
  }

  /** The current exchange-local trading day (null before the first recorded point). */
  currentDay(): string | null {
    return this.tracker.day;
  }

  /** Equity the current trading day's P&L is measured from. */
  dayStartEquity(): Money {
    return this.moneyCached(this.tracker.dayStart, DAY_START);
  }

  // ---------------------------------------------------------------- snapshots

  /** The whole state as plain JSON (decimals as strings). */
  toSnapshot(): PortfolioSnapshot {
    const t = this.tracker;
    const positions: PositionSnapshot[] = [...this.byId.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((p) => ({
        instrumentId: p.id,
        quantity: p.q.text(),
        bookCost: p.bk.text(),
        avgPrice: p.av.text(),
        realisedPnl: p.rl.text(),
        commissions: p.cm.text(),
        mark: p.marked ? (p.markPrice() as TradingDecimal).toFixed() : null,
        markTs: p.marked ? p.markTs : null,
        markDirty: p.markDirty,
      }));
    return {
      version: PORTFOLIO_SNAPSHOT_VERSION,
      seq: this.seqNo,
      baseCurrency: this.baseCurrency,
      timeZone: this.timeZone,
      marginMultiplier: this.marginMultiplier.toFixed(),
      startingCash: this.startingCashDec.toFixed(),
      cash: this.cashFx.text(),
      netDeposits: this.netDepositsDec.toFixed(),
      otherAdjustments: this.otherAdjDec.toFixed(),
      positions,
      equity: {
        curve: t.times.map((ts, i) => [ts, t.values[i].toFixed()] as const),
        peak: t.peak === null ? null : t.peak.toFixed(),
        drawdown: t.drawdown.toFixed(),
        drawdownPercent: t.drawdownPct.toFixed(),
        maxDrawdown: t.maxDrawdown.toFixed(),
        maxDrawdownPercent: t.maxDrawdownPct.toFixed(),
        day: t.day,
        dayStartEquity: t.dayStart.toFixed(),
        lastRecordedEquity: t.lastRecorded === null ? null : t.lastRecorded.toFixed(),
      },
    };
  }

  /** Restores a portfolio from {@link toSnapshot} output; `instruments` must know every position. */
  static fromSnapshot(
    snapshot: PortfolioSnapshot,
    instruments: InstrumentLookup | Iterable<Instrument>,
  ): Portfolio {
    if (
      snapshot === null ||
      typeof snapshot !== 'object' ||
      snapshot.version !== PORTFOLIO_SNAPSHOT_VERSION
    ) {
      throw new ValidationError(
        'snapshot.version',
        (snapshot as { version?: unknown } | null)?.version,
        `must be ${PORTFOLIO_SNAPSHOT_VERSION}`,
      );
    }
    const s = snapshot;
    if (!Number.isSafeInteger(s.seq) || s.seq < 0)
      throw new ValidationError('snapshot.seq', s.seq, 'must be a non-negative integer');
    const pf = new Portfolio({
      startingCash: s.startingCash,
      instruments,
      baseCurrency: s.baseCurrency,
      timeZone: s.timeZone,
      marginMultiplier: s.marginMultiplier,
    });
    pf.seqNo = s.seq;
    pf.cashFx.setDec(toDecimal(s.cash, 'snapshot.cash'));
    pf.netDepositsDec = toDecimal(s.netDeposits, 'snapshot.netDeposits');
    pf.otherAdjDec = toDecimal(s.otherAdjustments, 'snapshot.otherAdjustments');
    for (const [i, ps] of s.positions.entries()) {
      const f = `snapshot.positions[${i}]`;
      const p = pf.state(ps.instrumentId, `${f}.instrumentId`);
      p.qty = toDecimal(ps.quantity, `${f}.quantity`);
      p.book = toDecimal(ps.bookCost, `${f}.bookCost`);
      p.invalidateFloats();
      p.avg = toDecimal(ps.avgPrice, `${f}.avgPrice`);
      p.realised = toDecimal(ps.realisedPnl, `${f}.realisedPnl`);
      p.commissions = toDecimal(ps.commissions, `${f}.commissions`);
      if (ps.mark !== null) p.setMarkDecimal(toDecimal(ps.mark, `${f}.mark`), ps.markTs ?? NaN);
      p.markDirty = ps.markDirty;
      if (!p.q.isZero()) {
        if (!p.marked)
          throw new ValidationError(`${f}.mark`, null, 'must be set for an open position');
        pf.openPositions.add(p);
      }
    }
    const e = s.equity;
    const t = pf.tracker;
    for (const [ts, v] of e.curve) {
      t.times.push(ts);
      t.values.push(toDecimal(v, 'snapshot.equity.curve'));
    }
    t.peak = e.peak === null ? null : toDecimal(e.peak, 'snapshot.equity.peak');
    t.drawdown = toDecimal(e.drawdown, 'snapshot.equity.drawdown');
    t.drawdownPct = toDecimal(e.drawdownPercent, 'snapshot.equity.drawdownPercent');
    t.maxDrawdown = toDecimal(e.maxDrawdown, 'snapshot.equity.maxDrawdown');
    t.maxDrawdownPct = toDecimal(e.maxDrawdownPercent, 'snapshot.equity.maxDrawdownPercent');
    t.day = e.day;
    t.dayStart = toDecimal(e.dayStartEquity, 'snapshot.equity.dayStartEquity');
    t.lastRecorded =
      e.lastRecordedEquity === null
        ? null
        : toDecimal(e.lastRecordedEquity, 'snapshot.equity.lastRecordedEquity');
    return pf;
  }

  // ---------------------------------------------------------------- internals

  private equityDec(): TradingDecimal {
    let e = this.cashFx.dec();
    for (let p = this.openPositions.head; p !== null; p = p.nextOpen)
      e = e.add(p.pnlOnly ? p.unrealised() : p.marketValue());
    return e;
  }

  private exposureDec(): {
    gross: TradingDecimal;
    net: TradingDecimal;
    long: TradingDecimal;
    short: TradingDecimal;
  } {
    let long = ZERO;
    let short = ZERO;
    for (let p = this.openPositions.head; p !== null; p = p.nextOpen) {
      const v = p.marketValue();
      if (v.isNegative()) short = short.sub(v);
      else long = long.add(v);
    }
    return { gross: long.add(short), net: long.sub(short), long, short };
  }

  private view(p: PositionState): PositionView {
    const mark = p.markPrice();
    return {
      instrumentId: p.id,
      quantity: Quantity.fromDecimal(p.qty),
      avgPrice: Price.fromDecimal(p.avg),
      side: p.side(),
      realisedPnl: this.money(p.realised),
      unrealisedPnl: this.money(p.unrealised()),
      marketValue: this.money(p.marketValue()),
      costBasis: this.money(p.book),
      commissions: this.money(p.commissions),
      lastPrice: mark === null ? null : Price.fromDecimal(mark),
      lastPriceTs: p.marked ? p.markTs : null,
      settlement: settlementOf(p.instrument),
    };
  }

  private state(id: string, field: string): PositionState {
    const existing = this.byId.get(id);
    if (existing !== undefined) return existing;
    const inst = typeof id === 'string' ? this.lookup(id as InstrumentId) : undefined;
    if (inst === undefined) throw new ValidationError(field, id, 'must be a known instrument id');
    if (inst.currency !== this.baseCurrency) {
      throw new ValidationError(
        field,
        id,
        `must be quoted in the base currency ${this.baseCurrency} (instrument currency is ${inst.currency}; FX conversion is not supported)`,
      );
    }
    const p = new PositionState(inst);
    this.byId.set(id, p);
    return p;
  }

  private dateOf(ts: number): string {
    if (ts >= this.dayFrom && ts < this.dayTo) return this.dayText;
    const day = exchangeDay(ts, this.timeZone);
    this.dayFrom = day.start;
    this.dayTo = day.end;
    this.dayText = day.date;
    return this.dayText;
  }

  private money(d: TradingDecimal): Money {
    return MoneyClass.fromDecimal(d, this.baseCurrency);
  }

  /**
   * `money(d)`, the same instance again while `d` is the same decimal (Money is immutable): for
   * reads asked on every order (the risk context's peak and day-start equity) whose value rarely
   * changes. `slot` is one of CASH, PEAK, DAY_START.
   */
  private moneyCached(d: TradingDecimal, slot: number): Money {
    const m = this.moneyCache[slot];
    if (m !== null && m.amount === d) return m;
    return (this.moneyCache[slot] = this.money(d));
  }

  /** Money in the base currency → decimal (rejects other currencies and non-Money). */
  private moneyOf(m: Money, field: string): TradingDecimal {
    if (!(m instanceof MoneyClass))
      throw new ValidationError(field, m, `must be Money in ${this.baseCurrency}`);
    if (m.currency !== this.baseCurrency)
      throw new ValidationError(
        `${field}.currency`,
        m.currency,
        `must be the base currency ${this.baseCurrency}`,
      );
    return m.amount;
  }

  /** Money (base currency) or a plain decimal → decimal. */
  private moneyIn(v: Money | DecimalInput, field: string): TradingDecimal {
    return v instanceof Money ? this.moneyOf(v, field) : toDecimal(v, field);
  }

  private changedEvent(p: PositionState, ts: number, seq: number): PortfolioEvent {
    return {
      seq,
      ts,
      type: 'PositionChanged',
      instrumentId: p.id,
      side: p.q.isNeg() ? 'SHORT' : 'LONG',
      quantity: p.q.text(),
      avgPrice: p.av.text(),
      realisedPnl: p.realisedText(),
    };
  }
}

function mismatch(e: PortfolioEvent, got: string): never {
  throw new CorruptionError(
    `portfolio event ${e.seq} (${e.type}) does not replay to the logged state: got ${got}`,
    { seq: e.seq, type: e.type },
  );
}

function toLookup(instruments: InstrumentLookup | Iterable<Instrument>): InstrumentLookup {
  if (typeof instruments === 'function') return instruments;
  if (
    instruments === null ||
    typeof instruments !== 'object' ||
    !(Symbol.iterator in instruments)
  ) {
    throw new ValidationError(
      'instruments',
      instruments,
      'must be a lookup function or a list of Instrument',
    );
  }
  const map = new Map<string, Instrument>();
  for (const i of instruments) {
    if (!(i instanceof Instrument))
      throw new ValidationError('instruments', i, 'must contain only Instrument values');
    map.set(i.id, i);
  }
  return (id) => map.get(id);
}

/** Sets a position's mark from a number (validated here; `ts` validated by the caller). */
function markWithNumber(p: PositionState, price: number, ts: number): void {
  if (price !== p.markNum) {
    if (!(price <= MAX_MARK && price >= -MAX_MARK))
      throw new ValidationError('price', price, 'must be a finite number within ±1e18');
    p.markNum = price;
    p.markF = price;
    p.markDec = null;
    p.mvCache = null;
    p.marked = true;
  }
  p.markDirty = true;
  p.markTs = ts;
}

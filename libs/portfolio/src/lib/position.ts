import {
  decimalOfNumber,
  Instrument,
  InstrumentId,
  Money,
  PositionSide,
  Price,
  Quantity,
  TradingDecimal,
  ZERO,
  toNumberExact,
} from '@trading/domain';
import { Fx } from './fixed';

/**
 * How a fill moves cash.
 * - `FULL_NOTIONAL` (shares, ETFs, crypto, options premium): the full notional
 *   price × quantity × multiplier is exchanged; the position's market value is part of equity.
 * - `PNL_ONLY` (futures, `Instrument.assetClass === 'FUTURE'`): no notional changes hands; cash
 *   moves by realised P&L and commissions only; the open position contributes only its
 *   unrealised P&L to equity (no daily variation-margin sweep: see README).
 */
export type SettlementStyle = 'FULL_NOTIONAL' | 'PNL_ONLY';

/** The settlement style the portfolio uses for `instrument` (FUTURE → PNL_ONLY). */
export function settlementOf(instrument: Instrument): SettlementStyle {
  return instrument.assetClass === 'FUTURE' ? 'PNL_ONLY' : 'FULL_NOTIONAL';
}

/** Read-only view of one instrument's position. Money is in the portfolio's base currency. */
export interface PositionView {
  readonly instrumentId: InstrumentId;
  /** Signed quantity: long > 0, short < 0, 0 when flat. */
  readonly quantity: Quantity;
  /** Average entry price of the open quantity (0 when flat). */
  readonly avgPrice: Price;
  /** LONG, SHORT or FLAT. */
  readonly side: PositionSide;
  /** Lifetime realised P&L of this instrument (gross of commissions). */
  readonly realisedPnl: Money;
  /** (mark − avgPrice) × quantity × multiplier (0 when flat). */
  readonly unrealisedPnl: Money;
  /** quantity × mark × multiplier (signed notional; for futures this is exposure, not cash). */
  readonly marketValue: Money;
  /**
   * Ledger entry cost of the open quantity (signed, multiplier included): avgPrice × quantity ×
   * multiplier, up to the 12-decimal rounding of partial closes (see README).
   */
  readonly costBasis: Money;
  /** Lifetime commissions paid on this instrument. */
  readonly commissions: Money;
  /** Last mark (null when the instrument was never marked nor filled). */
  readonly lastPrice: Price | null;
  /** Timestamp of the last mark (null when never marked). */
  readonly lastPriceTs: number | null;
  /** How fills in this instrument move cash. */
  readonly settlement: SettlementStyle;
}

/**
 * Mutable per-instrument ledger state (internal). The open position is kept as signed quantity
 * and signed book cost (Σ signed qty × price × multiplier of the open lots, in money), never as a
 * rounded average price, so cash + book stays exactly consistent; the average price is derived.
 *
 * The ledger values live in {@link Fx} cells (exact fixed point, see fixed.ts): a fill updates
 * them with integer arithmetic, and their decimals (`qty`, `book`, …) are built only when read.
 */
export class PositionState {
  readonly instrument: Instrument;
  readonly id: InstrumentId;
  readonly multiplier: TradingDecimal;
  /** `multiplier` as a fixed-point cell. */
  readonly mult = new Fx();
  readonly pnlOnly: boolean;
  /** Multiplier is exactly 1 (skip the multiplication). */
  readonly multOne: boolean;
  /** Signed quantity. */
  readonly q = new Fx();
  /** Signed book cost. */
  readonly bk = new Fx();
  /** Average entry price: set on open/flip, recomputed on adds, unchanged on partial closes. */
  readonly av = new Fx();
  /** Lifetime realised P&L. */
  readonly rl = new Fx();
  /** Lifetime commissions. */
  readonly cm = new Fx();
  /** Last mark as a number (NaN when the mark came as a decimal or never came). */
  markNum = NaN;
  /** Decimal of the last mark; null when not yet converted from `markNum` (lazy). */
  markDec: TradingDecimal | null = null;
  markTs = NaN;
  /** True once any mark (or a fill standing in for one) was seen. */
  marked = false;
  /** Mark changed since the last recorded equity point. */
  markDirty = false;
  /** Cached qty × mark × multiplier; null when stale. */
  mvCache: TradingDecimal | null = null;
  // Float copies for Portfolio.equityEstimate (each the correctly rounded double of its value,
  // relative error ≤ 2⁻⁵³): refreshed by floats() after a change (see invalidateFloats, setMarkDecimal,
  // mark).
  /** `qtyF` and `bookF` are out of date (refresh with {@link floats}). */
  private floatsStale = false;
  /** Double of `qty`. */
  qtyF = 0;
  /** Double of `book` for PNL_ONLY positions (the only ones whose equity term uses it); 0 for the others. */
  bookF = 0;
  /** Double of `multiplier`. */
  readonly multF: number;
  /**
   * Double of the last mark: the mark number itself (its decimal is `decimalOfNumber(markNum)`,
   * within 2⁻⁵³ relative of it), or the double of a decimal mark. NaN before any mark.
   */
  markF = NaN;
  // Links of the portfolio's list of open positions (see OpenPositions).
  /** In the open list. */
  isOpen = false;
  /** The next open position (opened later), or null. */
  nextOpen: PositionState | null = null;
  /** The previous open position (opened earlier), or null. */
  prevOpen: PositionState | null = null;

  constructor(instrument: Instrument) {
    this.instrument = instrument;
    this.id = instrument.id;
    this.multiplier = instrument.multiplier;
    this.mult.setDec(this.multiplier);
    this.pnlOnly = settlementOf(instrument) === 'PNL_ONLY';
    this.multOne = instrument.unitMultiplier;
    this.multF = toNumberExact(this.multiplier);
  }

  /** Signed quantity (long > 0, short < 0, 0 when flat). */
  get qty(): TradingDecimal {
    return this.q.dec();
  }
  set qty(v: TradingDecimal) {
    this.q.setDec(v);
    this.floatsStale = true;
  }

  /** Signed book cost of the open quantity. */
  get book(): TradingDecimal {
    return this.bk.dec();
  }
  set book(v: TradingDecimal) {
    this.bk.setDec(v);
    this.floatsStale = true;
  }

  /** Average entry price (0 when flat). */
  get avg(): TradingDecimal {
    return this.av.dec();
  }
  set avg(v: TradingDecimal) {
    this.av.setDec(v);
  }

  /** Lifetime realised P&L (gross of commissions). */
  get realised(): TradingDecimal {
    return this.rl.dec();
  }
  set realised(v: TradingDecimal) {
    this.rl.setDec(v);
  }

  /** Lifetime commissions. */
  get commissions(): TradingDecimal {
    return this.cm.dec();
  }
  set commissions(v: TradingDecimal) {
    this.cm.setDec(v);
  }

  /** Marks the float copies of `qty` and (PNL_ONLY) `book` out of date (call after changing either). */
  invalidateFloats(): void {
    this.floatsStale = true;
  }

  /** Brings `qtyF` and `bookF` up to date (cheap unless a value has more than 16 digits). */
  floats(): void {
    if (this.floatsStale) {
      this.floatsStale = false;
      this.qtyF = this.q.toNumber();
      if (this.pnlOnly) this.bookF = this.bk.toNumber();
    }
  }

  /** `realised.toFixed()` (cached while the realised P&L does not change). */
  realisedText(): string {
    return this.rl.text();
  }

  /** The last mark as a decimal (converted lazily, once per distinct mark). */
  markPrice(): TradingDecimal | null {
    if (this.markDec === null && this.marked) this.markDec = decimalOfNumber(this.markNum);
    return this.markDec;
  }

  /** Sets the mark to an exact decimal. */
  setMarkDecimal(price: TradingDecimal, ts: number): void {
    this.markNum = NaN;
    this.markDec = price;
    this.markF = toNumberExact(price);
    this.markTs = ts;
    this.marked = true;
    this.markDirty = true;
    this.mvCache = null;
  }

  /** qty × mark × multiplier (0 when flat). */
  marketValue(): TradingDecimal {
    if (this.q.isZero()) return ZERO;
    if (this.mvCache === null) {
      const m = this.markPrice();
      // An open position always has a mark: a fill stands in for one when none was seen.
      const v = this.qty.mul(m as TradingDecimal);
      this.mvCache = this.multOne ? v : v.mul(this.multiplier);
    }
    return this.mvCache;
  }

  /** marketValue − book. */
  unrealised(): TradingDecimal {
    return this.q.isZero() ? ZERO : this.marketValue().sub(this.book);
  }

  side(): PositionSide {
    return this.q.isZero()
      ? PositionSide.FLAT
      : this.q.isNeg()
        ? PositionSide.SHORT
        : PositionSide.LONG;
  }
}

/**
 * The open positions in the order they (last) opened — a `Set`'s insertion order — as a list
 * linked through the positions themselves: opening and closing a position allocates nothing (a
 * `Set` that has entries added and deleted over and over keeps growing and rehashing its table).
 * Iterate with `for (let p = list.head; p !== null; p = p.nextOpen)` while the list is unchanged.
 */
export class OpenPositions {
  /** The position opened first, or null when none is open. */
  head: PositionState | null = null;
  /** The position opened last, or null when none is open. */
  private tail: PositionState | null = null;
  /** Number of open positions. */
  size = 0;

  /** Appends `p` (no change when it is already in the list, as `Set.add`). */
  add(p: PositionState): void {
    if (p.isOpen) return;
    p.isOpen = true;
    p.prevOpen = this.tail;
    p.nextOpen = null;
    if (this.tail === null) this.head = p;
    else this.tail.nextOpen = p;
    this.tail = p;
    this.size++;
  }

  /** Removes `p` (no change when it is not in the list, as `Set.delete`). */
  delete(p: PositionState): void {
    if (!p.isOpen) return;
    p.isOpen = false;
    const prev = p.prevOpen;
    const next = p.nextOpen;
    if (prev === null) this.head = next;
    else prev.nextOpen = next;
    if (next === null) this.tail = prev;
    else next.prevOpen = prev;
    p.prevOpen = null;
    p.nextOpen = null;
    this.size--;
  }

  /** The positions in list order (a new array). */
  toArray(): PositionState[] {
    const out: PositionState[] = [];
    for (let p = this.head; p !== null; p = p.nextOpen) out.push(p);
    return out;
  }
}

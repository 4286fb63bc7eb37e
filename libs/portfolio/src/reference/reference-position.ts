/**
 * TEST ONLY: the all-decimal.js ledger as it was before the fixed-point cells (ADR 0005
 * milestone 3), kept verbatim (class renamed) as the reference model of the differential property
 * test `portfolio.differential.property.spec.ts`. Not part of the lib's build nor its coverage.
 */
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
 */
export class PositionState {
  readonly instrument: Instrument;
  readonly id: InstrumentId;
  readonly multiplier: TradingDecimal;
  readonly pnlOnly: boolean;
  /** Multiplier is exactly 1 (skip the multiplication). */
  readonly multOne: boolean;
  qty: TradingDecimal = ZERO;
  book: TradingDecimal = ZERO;
  /** Average entry price: set on open/flip, recomputed on adds, unchanged on partial closes. */
  avg: TradingDecimal = ZERO;
  realised: TradingDecimal = ZERO;
  private realisedCache: TradingDecimal = ZERO;
  private realisedCacheText = '0';
  commissions: TradingDecimal = ZERO;
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
  // Float copies for Portfolio.equityEstimate (each the correctly rounded double of its decimal,
  // relative error ≤ 2⁻⁵³): set wherever the decimal is (see syncFloats, setMarkDecimal, mark).
  /** Double of `qty`. */
  qtyF = 0;
  /**
   * Double of `book` for PNL_ONLY positions (the only ones whose equity term uses it); 0 for the
   * others, whose book cost often carries a dozen decimals after partial closes and would need the
   * slow text conversion on every fill.
   */
  bookF = 0;
  /** Double of `multiplier`. */
  readonly multF: number;
  /**
   * Double of the last mark: the mark number itself (its decimal is `decimalOfNumber(markNum)`,
   * within 2⁻⁵³ relative of it), or the double of a decimal mark. NaN before any mark.
   */
  markF = NaN;

  constructor(instrument: Instrument) {
    this.instrument = instrument;
    this.id = instrument.id;
    this.multiplier = instrument.multiplier;
    this.pnlOnly = settlementOf(instrument) === 'PNL_ONLY';
    this.multOne = instrument.unitMultiplier;
    this.multF = toNumberExact(this.multiplier);
  }

  /** Refreshes the float copies of `qty` and (PNL_ONLY) `book` (call after changing either). */
  syncFloats(): void {
    this.qtyF = toNumberExact(this.qty);
    if (this.pnlOnly) this.bookF = toNumberExact(this.book);
  }

  /** `realised.toFixed()`, cached while the realised P&L does not change. */
  realisedText(): string {
    if (this.realised !== this.realisedCache) {
      this.realisedCache = this.realised;
      this.realisedCacheText = this.realised.toFixed();
    }
    return this.realisedCacheText;
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
    if (this.qty.isZero()) return ZERO;
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
    return this.qty.isZero() ? ZERO : this.marketValue().sub(this.book);
  }

  side(): PositionSide {
    return this.qty.isZero()
      ? PositionSide.FLAT
      : this.qty.isNegative()
        ? PositionSide.SHORT
        : PositionSide.LONG;
  }
}

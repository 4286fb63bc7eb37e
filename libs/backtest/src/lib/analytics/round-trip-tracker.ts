import {
  Decimal,
  InstrumentId,
  OrderSide,
  POW10 as POW10_IMPORTED,
  Scaled,
  scaledInt as scaledIntImported,
  toDecimal,
  toNumberExact as toNumberExactImported,
  TradingDecimal,
  ValidationError,
} from '@trading/domain';
import { FillRecord, RoundTripTrade, TradeDirection } from './analytics.types';
import { quotientNumber } from './exact-decimal';

// Module-local aliases: an import from another lib is read through a re-export getter on every
// use (CommonJS output), and these run several times per fill.
const toDec = toDecimal;
const BUY = OrderSide.BUY;
const SELL = OrderSide.SELL;
const POW10 = POW10_IMPORTED;
const scaledInt = scaledIntImported;
const toNumberExact = toNumberExactImported;

/** An open (not yet closed) FIFO lot, as reported by {@link RoundTripTracker.openTrades}. */
export interface OpenTrade {
  readonly instrumentId: InstrumentId;
  readonly direction: TradeDirection;
  readonly entryTs: number;
  /** Remaining open quantity (> 0). */
  readonly quantity: Decimal;
  readonly entryPrice: Decimal;
  readonly multiplier: Decimal;
  /** Entry commission attributed to the remaining quantity. */
  readonly commission: Decimal;
  /** Excursions so far, price units per unit (see {@link RoundTripTrade}). */
  readonly mae: number;
  readonly mfe: number;
  readonly barsHeld: number;
  readonly entryClientOrderId: string;
}

interface Lot {
  instrumentId: InstrumentId;
  direction: TradeDirection;
  entryTs: number;
  quantity: Decimal;
  entryPrice: Decimal;
  entryPriceNum: number;
  multiplier: Decimal;
  /** The multiplier is exactly 1 (its multiplications are skipped: same values, less work). */
  multOne: boolean;
  /** Entry commission not yet attributed to a closed trade. */
  commission: Decimal;
  /** Bars of the instrument counted before this lot's first bar (those closing at or before entryTs). */
  barsBefore: number;
  entryClientOrderId: string;
}

/**
 * Per-instrument bar extremes for lazy MAE/MFE: monotonic deques of (ts, value) so the highest
 * high / lowest low over the bars closing after any lot's entry is a binary search, and a bar costs
 * O(1) amortised however many lots are open (pyramiding strategies open one lot per fill).
 */
class Extremes {
  count = 0;
  lastTs = -Infinity;
  private hiTs: number[] = [];
  private hiV: number[] = [];
  private hiHead = 0;
  private loTs: number[] = [];
  private loV: number[] = [];
  private loHead = 0;

  push(ts: number, high: number, low: number): void {
    this.count++;
    this.lastTs = ts;
    while (this.hiTs.length > this.hiHead && this.hiV[this.hiV.length - 1] <= high) {
      this.hiTs.pop();
      this.hiV.pop();
    }
    this.hiTs.push(ts);
    this.hiV.push(high);
    while (this.loTs.length > this.loHead && this.loV[this.loV.length - 1] >= low) {
      this.loTs.pop();
      this.loV.pop();
    }
    this.loTs.push(ts);
    this.loV.push(low);
  }

  /** Highest high of the bars with ts > after (−Infinity when none). */
  maxAfter(after: number): number {
    const i = firstAfter(this.hiTs, this.hiHead, after);
    return i < this.hiTs.length ? this.hiV[i] : -Infinity;
  }

  /** Lowest low of the bars with ts > after (+Infinity when none). */
  minAfter(after: number): number {
    const i = firstAfter(this.loTs, this.loHead, after);
    return i < this.loTs.length ? this.loV[i] : Infinity;
  }

  /** Forgets bars closing at or before `ts` (no open lot needs them). */
  dropThrough(ts: number): void {
    this.hiHead = firstAfter(this.hiTs, this.hiHead, ts);
    this.loHead = firstAfter(this.loTs, this.loHead, ts);
    if (this.hiHead > 1024 && this.hiHead * 2 > this.hiTs.length) {
      this.hiTs = this.hiTs.slice(this.hiHead);
      this.hiV = this.hiV.slice(this.hiHead);
      this.hiHead = 0;
    }
    if (this.loHead > 1024 && this.loHead * 2 > this.loTs.length) {
      this.loTs = this.loTs.slice(this.loHead);
      this.loV = this.loV.slice(this.loHead);
      this.loHead = 0;
    }
  }
}

/** First index ≥ from with ts[i] > x (ts ascending). */
function firstAfter(ts: number[], from: number, x: number): number {
  let lo = from;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const ONE = new TradingDecimal(1);
const ZERO = new TradingDecimal(0);
/** The multiplier 1 as a scaled integer (never written). */
const UNIT: Readonly<Scaled> = { n: 1, scale: 0 };
/** Decimal places of a pro-rata commission share (see {@link RoundTripTracker}). */
const COMMISSION_SHARE_SCALE = 12;

/**
 * Builds round-trip trades online from fills, FIFO per instrument (LEAN "fill to fill" grouping).
 *
 * - A fill in the direction of the open position (or from flat) opens a new lot.
 * - An opposite fill closes open lots oldest first; each (lot, closing fill) pair becomes one
 *   {@link RoundTripTrade}, so a partial close splits a lot into a closed trade and a smaller open lot.
 * - An opposite fill larger than the open position closes everything and opens a lot in the new
 *   direction with the remainder (a flip).
 * - Commissions are attributed pro rata by quantity: a fill's commission is spread over the
 *   quantities it opened/closed. Each share is rounded half-even to 12 decimal places and the last
 *   piece takes the exact remainder, so the shares always add up to the fill's commission (an
 *   unrounded share such as 4.35 × 8 / 37 would carry 40 significant digits, and the remainder
 *   would then be rounded too).
 * - {@link onBar} updates the excursions (MAE/MFE) and `barsHeld` of open lots of that instrument
 *   with bars that close strictly after the lot's entry time. Excursions use float64 numbers
 *   (analytics only); P&L is exact decimal.
 *
 * Fills are expected de-duplicated and in time order (the order-lifecycle lib de-duplicates by
 * execution id).
 */
export class RoundTripTracker {
  private readonly lots = new Map<InstrumentId, Lot[]>();
  private readonly closed: RoundTripTrade[] = [];
  private readonly extremes = new Map<InstrumentId, Extremes>();
  // scratch integers of closeLot's exact float shortcuts
  private readonly sNet: Scaled = { n: 0, scale: 0 };
  private readonly sEntry: Scaled = { n: 0, scale: 0 };
  private readonly sQty: Scaled = { n: 0, scale: 0 };
  private readonly sMult: Scaled = { n: 0, scale: 0 };

  private ext(id: InstrumentId): Extremes {
    let e = this.extremes.get(id);
    if (e === undefined) {
      e = new Extremes();
      this.extremes.set(id, e);
    }
    return e;
  }

  /** Bars of the lot's instrument closing after its entry. */
  private barsHeld(lot: Lot): number {
    const e = this.ext(lot.instrumentId);
    // bars counted before the lot plus any bar closing exactly at entryTs seen after the fill
    return Math.max(0, e.count - lot.barsBefore);
  }

  private excursionsOf(lot: Lot, lastPrice: number): { mae: number; mfe: number } {
    const e = this.ext(lot.instrumentId);
    const high = Math.max(lot.entryPriceNum, e.maxAfter(lot.entryTs), lastPrice);
    const low = Math.min(lot.entryPriceNum, e.minAfter(lot.entryTs), lastPrice);
    const up = Math.max(0, high - lot.entryPriceNum);
    const down = Math.max(0, lot.entryPriceNum - low);
    return lot.direction === 'LONG' ? { mae: down, mfe: up } : { mae: up, mfe: down };
  }

  /**
   * Feeds one fill. `multiplier` defaults to `fill.multiplier`, else 1. A lot keeps the multiplier
   * it was opened with.
   */
  onFill(fill: FillRecord, multiplier?: Decimal): void {
    const quantity = toDec(fill.quantity, 'fill.quantity');
    // isZero/isNegative read fields; lte(0) would build a decimal of 0 on every call
    if (quantity.isZero() || quantity.isNegative())
      throw new ValidationError('fill.quantity', quantity.toFixed(), 'must be greater than 0');
    const price = toDec(fill.price, 'fill.price');
    let fillCommission = toDec(fill.commission, 'fill.commission');
    if (fill.side !== BUY && fill.side !== SELL)
      throw new ValidationError('fill.side', fill.side, 'must be BUY or SELL');
    const mult = toDec(multiplier ?? fill.multiplier ?? ONE, 'multiplier');
    const direction: TradeDirection = fill.side === BUY ? 'LONG' : 'SHORT';
    const priceNum = toNumberExact(price);
    const queue = this.lots.get(fill.instrumentId) ?? [];
    let remaining = quantity;

    while (
      !remaining.isZero() &&
      !remaining.isNegative() &&
      queue.length > 0 &&
      queue[0].direction !== direction
    ) {
      const lot = queue[0];
      const qty = lot.quantity.lte(remaining) ? lot.quantity : remaining;
      // Pro-rata commission; the last piece takes the remainder so totals stay exact.
      const entryCommission = take(lot.commission, qty, lot.quantity);
      const exitCommission = take(fillCommission, qty, remaining);
      if (!entryCommission.isZero()) lot.commission = lot.commission.sub(entryCommission);
      if (!exitCommission.isZero()) fillCommission = fillCommission.sub(exitCommission);
      this.closed.push(
        this.closeLot(
          lot,
          qty,
          fill.ts,
          price,
          priceNum,
          fill.clientOrderId,
          // Zero stays the shared zero instance: long runs keep every trade in memory.
          exitCommission.isZero() ? entryCommission : entryCommission.add(exitCommission),
        ),
      );
      // A whole lot or the whole rest closes in most fills: the difference is the shared zero.
      lot.quantity = qty === lot.quantity ? ZERO : lot.quantity.sub(qty);
      remaining = qty === remaining ? ZERO : remaining.sub(qty);
      if (lot.quantity.isZero()) queue.shift();
    }
    if (!remaining.isZero() && !remaining.isNegative()) {
      queue.push({
        instrumentId: fill.instrumentId,
        direction,
        entryTs: fill.ts,
        quantity: remaining,
        entryPrice: price,
        entryPriceNum: priceNum,
        multiplier: mult,
        multOne: mult.eq(ONE),
        commission: fillCommission,
        barsBefore: this.ext(fill.instrumentId).count,
        entryClientOrderId: fill.clientOrderId,
      });
    }
    if (queue.length > 0) {
      this.lots.set(fill.instrumentId, queue);
      this.ext(fill.instrumentId).dropThrough(queue[0].entryTs);
    } else this.lots.delete(fill.instrumentId);
  }

  /** Updates the excursions of open lots of `instrumentId` with a bar closing at `ts`. */
  onBar(instrumentId: InstrumentId, ts: number, high: number, low: number): void {
    const queue = this.lots.get(instrumentId);
    if (!queue) return;
    const e = this.ext(instrumentId);
    e.push(ts, high, low);
    // a bar closing exactly at a lot's entry time (the fill's own bar) does not count for it
    for (let i = queue.length - 1; i >= 0 && queue[i].entryTs >= ts; i--)
      if (queue[i].entryTs === ts) queue[i].barsBefore++;
  }

  /** Closed round trips in the order they were closed. */
  trades(): readonly RoundTripTrade[] {
    return this.closed;
  }

  /** Open lots, per instrument in FIFO order, instruments in order of first appearance. */
  openTrades(): OpenTrade[] {
    const out: OpenTrade[] = [];
    for (const queue of this.lots.values()) {
      for (const lot of queue) {
        const { mae, mfe } = this.excursionsOf(lot, lot.entryPriceNum);
        out.push({
          instrumentId: lot.instrumentId,
          direction: lot.direction,
          entryTs: lot.entryTs,
          quantity: lot.quantity,
          entryPrice: lot.entryPrice,
          multiplier: lot.multiplier,
          commission: lot.commission,
          mae,
          mfe,
          barsHeld: this.barsHeld(lot),
          entryClientOrderId: lot.entryClientOrderId,
        });
      }
    }
    return out;
  }

  private closeLot(
    lot: Lot,
    qty: Decimal,
    exitTs: number,
    exitPrice: Decimal,
    exitPriceNum: number,
    exitClientOrderId: string,
    commission: Decimal,
  ): RoundTripTrade {
    // (exit − entry) × qty × multiplier × (+1 long, −1 short); a multiplier of 1 is skipped.
    let gross = exitPrice.sub(lot.entryPrice).mul(qty);
    if (!lot.multOne) gross = gross.mul(lot.multiplier);
    const grossPnl = lot.direction === 'LONG' ? gross : gross.neg();
    const netPnl = commission.isZero() ? grossPnl : grossPnl.sub(commission);
    const { mae, mfe } = this.excursionsOf(lot, exitPriceNum);
    let scale = NaN;
    let returnPct = NaN;
    // Exact shortcut: with entry price, quantity and multiplier small scaled integers, the
    // notional entry × qty × mult is their integer product, and `scale` and `returnPct` are one
    // IEEE division each (the same doubles decimal.js gives; see exact-decimal.ts).
    const e = this.sEntry;
    const q = this.sQty;
    const m = lot.multOne ? UNIT : this.sMult;
    if (
      scaledInt(lot.entryPrice, e) &&
      scaledInt(qty, q) &&
      (lot.multOne || scaledInt(lot.multiplier, m))
    ) {
      const qm = q.n * m.n;
      const qmScale = q.scale + m.scale;
      if (Number.isSafeInteger(qm) && qmScale < POW10.length) {
        scale = qm / POW10[qmScale];
        const notional = Math.abs(e.n * qm);
        if (notional === 0) returnPct = 0;
        else if (Number.isSafeInteger(notional) && scaledInt(netPnl, this.sNet))
          returnPct = quotientNumber(this.sNet.n, this.sNet.scale, notional, e.scale + qmScale);
      }
    }
    if (Number.isNaN(scale)) scale = (lot.multOne ? qty : qty.mul(lot.multiplier)).toNumber();
    if (Number.isNaN(returnPct)) {
      let notional = lot.entryPrice.mul(qty);
      if (!lot.multOne) notional = notional.mul(lot.multiplier);
      if (notional.isNegative()) notional = notional.abs();
      returnPct = notional.isZero() ? 0 : netPnl.div(notional).toNumber();
    }
    return {
      instrumentId: lot.instrumentId,
      direction: lot.direction,
      entryTs: lot.entryTs,
      exitTs,
      quantity: qty,
      entryPrice: lot.entryPrice,
      exitPrice,
      multiplier: lot.multiplier,
      grossPnl,
      commission,
      netPnl,
      returnPct,
      mae,
      mfe,
      maeValue: mae * scale,
      mfeValue: mfe * scale,
      barsHeld: this.barsHeld(lot),
      entryClientOrderId: lot.entryClientOrderId,
      exitClientOrderId,
    };
  }
}

/** The share of `amount` belonging to `part` of `whole` (all of it when `part` is the whole). */
function take(amount: Decimal, part: Decimal, whole: Decimal): Decimal {
  if (amount.isZero() || part === whole || part.eq(whole)) return amount;
  return amount
    .mul(part)
    .div(whole)
    .toDecimalPlaces(COMMISSION_SHARE_SCALE, Decimal.ROUND_HALF_EVEN);
}

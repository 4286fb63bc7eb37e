import {
  compareDecimals,
  Decimal,
  decimalOfScaled as decimalOfScaledImported,
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
const cmpDec = compareDecimals;
const BUY = OrderSide.BUY;
const SELL = OrderSide.SELL;
const POW10 = POW10_IMPORTED;
const scaledInt = scaledIntImported;
const toNumberExact = toNumberExactImported;
const decimalOfScaled = decimalOfScaledImported;

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
  /**
   * Highest high / lowest low of this lot's block: the bars closing after its entry that arrived
   * while it was the newest lot with an earlier entry (see {@link OpenLots}); ∓Infinity when none.
   */
  blockHigh: number;
  blockLow: number;
  entryClientOrderId: string;
}

/**
 * The open lots of one instrument (FIFO, entry times ascending) and the bars seen while any was
 * open, for lazy MAE/MFE. Each bar is folded into one lot's block: the newest lot whose entry is
 * strictly before the bar. A lot's window (bars closing after its entry) is then exactly the union
 * of its own block and the blocks of every later lot, so its extremes are a suffix max/min over
 * the queue. A bar costs O(1) however many lots are open (pyramiding opens one lot per fill); a
 * fill computes the suffix extremes once, O(open lots), as the FIFO shift already does.
 */
class OpenLots {
  readonly lots: Lot[] = [];
  /** Bars of the instrument seen while this queue existed. */
  bars = 0;
}

/**
 * The window extremes of every lot: (high, low) of the bars closing after lot k's entry at
 * [2k, 2k + 1], a suffix max/min over the blocks (one pass for the whole queue).
 */
function lotWindows(lots: readonly Lot[]): Float64Array {
  const out = new Float64Array(2 * lots.length);
  let high = -Infinity;
  let low = Infinity;
  for (let k = lots.length - 1; k >= 0; k--) {
    const l = lots[k];
    if (l.blockHigh > high) high = l.blockHigh;
    if (l.blockLow < low) low = l.blockLow;
    out[2 * k] = high;
    out[2 * k + 1] = low;
  }
  return out;
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
 *   with bars that close strictly after the lot's entry time (O(1) per bar, see `OpenLots`). Excursions use float64 numbers
 *   (analytics only); P&L is exact decimal.
 *
 * Fills are expected de-duplicated and in time order (the order-lifecycle lib de-duplicates by
 * execution id).
 */
export class RoundTripTracker {
  /** One lot queue per instrument ever filled (kept when it empties, so handles stay valid). */
  private readonly queues = new Map<InstrumentId, OpenLots>();
  /** The non-empty queues, in the order they last became non-empty. */
  private readonly open: OpenLots[] = [];
  private readonly closed: RoundTripTrade[] = [];
  // scratch integers of closeLot's exact float shortcuts
  private readonly sNet: Scaled = { n: 0, scale: 0 };
  private readonly sEntry: Scaled = { n: 0, scale: 0 };
  private readonly sQty: Scaled = { n: 0, scale: 0 };
  private readonly sMult: Scaled = { n: 0, scale: 0 };
  private readonly sExit: Scaled = { n: 0, scale: 0 };
  private readonly sComm: Scaled = { n: 0, scale: 0 };
  // the last multiplier seen and whether it is 1 (fills of an instrument share one instance)
  private lastMult: Decimal | null = null;
  private lastMultOne = false;

  private isOne(mult: Decimal): boolean {
    this.lastMult = mult;
    return (this.lastMultOne = cmpDec(mult, ONE) === 0);
  }

  /** Bars of the lot's instrument closing after its entry. */
  private static barsHeld(q: OpenLots, lot: Lot): number {
    // bars counted before the lot plus any bar closing exactly at entryTs seen after the fill
    return Math.max(0, q.bars - lot.barsBefore);
  }

  /** MAE/MFE of `lot` given the extremes of the bars in its window and the last price. */
  private static excursionsOf(
    lot: Lot,
    windowHigh: number,
    windowLow: number,
    lastPrice: number,
  ): { mae: number; mfe: number } {
    const high = Math.max(lot.entryPriceNum, windowHigh, lastPrice);
    const low = Math.min(lot.entryPriceNum, windowLow, lastPrice);
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
    const q = this.queueOf(fill.instrumentId);
    const queue = q.lots;
    const wasOpen = queue.length > 0;
    let remaining = quantity;

    if (queue.length > 0 && queue[0].direction !== direction) {
      // Window extremes of every lot this fill may close, before any is shifted out (one pass,
      // however many lots close); a single lot's window is its own block.
      const windows = queue.length > 1 ? lotWindows(queue) : null;
      let shifted = 0;
      while (
        !remaining.isZero() &&
        !remaining.isNegative() &&
        queue.length > 0 &&
        queue[0].direction !== direction
      ) {
        const lot = queue[0];
        const qty = cmpDec(lot.quantity, remaining) <= 0 ? lot.quantity : remaining;
        // Pro-rata commission; the last piece takes the remainder so totals stay exact.
        const entryCommission = take(lot.commission, qty, lot.quantity);
        const exitCommission = take(fillCommission, qty, remaining);
        if (!entryCommission.isZero()) lot.commission = lot.commission.sub(entryCommission);
        if (!exitCommission.isZero()) fillCommission = fillCommission.sub(exitCommission);
        this.closed.push(
          this.closeLot(
            q,
            lot,
            windows === null ? lot.blockHigh : windows[2 * shifted],
            windows === null ? lot.blockLow : windows[2 * shifted + 1],
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
        if (lot.quantity.isZero()) {
          queue.shift();
          shifted++;
        }
      }
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
        multOne: mult === this.lastMult ? this.lastMultOne : this.isOne(mult),
        commission: fillCommission,
        barsBefore: q.bars,
        blockHigh: -Infinity,
        blockLow: Infinity,
        entryClientOrderId: fill.clientOrderId,
      });
    }
    if (queue.length > 0) {
      if (!wasOpen) this.open.push(q);
    } else if (wasOpen) {
      this.open.splice(this.open.indexOf(q), 1);
      q.bars = 0; // bars are counted while lots are open
    }
  }

  private queueOf(id: InstrumentId): OpenLots {
    let q = this.queues.get(id);
    if (q === undefined) {
      q = new OpenLots();
      this.queues.set(id, q);
    }
    return q;
  }

  /**
   * {@link onBar} bound to one instrument (a per-bar caller such as the backtest loop skips the
   * lookup by instrument id).
   */
  barRecorderFor(instrumentId: InstrumentId): (ts: number, high: number, low: number) => void {
    const q = this.queueOf(instrumentId);
    return (ts, high, low) => {
      if (q.lots.length > 0) recordBar(q, ts, high, low);
    };
  }

  /** Updates the excursions of open lots of `instrumentId` with a bar closing at `ts`. */
  onBar(instrumentId: InstrumentId, ts: number, high: number, low: number): void {
    const q = this.queues.get(instrumentId);
    if (q !== undefined && q.lots.length > 0) recordBar(q, ts, high, low);
  }

  /** Closed round trips in the order they were closed. */
  trades(): readonly RoundTripTrade[] {
    return this.closed;
  }

  /** Open lots, per instrument in FIFO order, instruments in order of first appearance. */
  openTrades(): OpenTrade[] {
    const out: OpenTrade[] = [];
    for (const q of this.open) {
      const w = lotWindows(q.lots);
      for (let k = 0; k < q.lots.length; k++) {
        const lot = q.lots[k];
        const { mae, mfe } = RoundTripTracker.excursionsOf(
          lot,
          w[2 * k],
          w[2 * k + 1],
          lot.entryPriceNum,
        );
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
          barsHeld: RoundTripTracker.barsHeld(q, lot),
          entryClientOrderId: lot.entryClientOrderId,
        });
      }
    }
    return out;
  }

  /**
   * The gross P&L of closing `qty` of `lot` at `exitPrice` from scaled integers when every operand
   * and intermediate is a safe integer (so decimal.js would not have rounded either, and IEEE
   * integer arithmetic gives decimal.js's zero signs: x − x = +0, −(+0) = −0); else null.
   */
  private exactGross(lot: Lot, qty: Decimal, exitPrice: Decimal): Decimal | null {
    const x = this.sExit;
    const e = this.sEntry;
    const q = this.sQty;
    const m = lot.multOne ? UNIT : this.sMult;
    if (
      !scaledInt(exitPrice, x) ||
      !scaledInt(lot.entryPrice, e) ||
      !scaledInt(qty, q) ||
      !(lot.multOne || scaledInt(lot.multiplier, m))
    )
      return null;
    const s1 = x.scale > e.scale ? x.scale : e.scale;
    const scale = s1 + q.scale + m.scale;
    if (scale >= POW10.length) return null;
    const a = x.n * POW10[s1 - x.scale];
    const b = e.n * POW10[s1 - e.scale];
    const d = a - b;
    const dq = d * q.n;
    const g = dq * m.n;
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(d))
      return null;
    if (!Number.isSafeInteger(dq) || !Number.isSafeInteger(g)) return null;
    return decimalOfScaled(lot.direction === 'LONG' ? g : -g, scale);
  }

  /** `gross − commission` (commission ≠ 0), from scaled integers when exact, else decimal.js. */
  private exactNet(gross: Decimal, commission: Decimal): Decimal {
    const g = this.sNet;
    const c = this.sComm;
    if (scaledInt(gross, g) && scaledInt(commission, c)) {
      const s = g.scale > c.scale ? g.scale : c.scale;
      if (s < POW10.length) {
        const a = g.n * POW10[s - g.scale];
        const b = c.n * POW10[s - c.scale];
        const n = a - b;
        if (Number.isSafeInteger(a) && Number.isSafeInteger(b) && Number.isSafeInteger(n))
          return decimalOfScaled(n, s);
      }
    }
    return gross.sub(commission);
  }

  private closeLot(
    open: OpenLots,
    lot: Lot,
    windowHigh: number,
    windowLow: number,
    qty: Decimal,
    exitTs: number,
    exitPrice: Decimal,
    exitPriceNum: number,
    exitClientOrderId: string,
    commission: Decimal,
  ): RoundTripTrade {
    // (exit − entry) × qty × multiplier × (+1 long, −1 short); a multiplier of 1 is skipped.
    let grossPnl = this.exactGross(lot, qty, exitPrice);
    if (grossPnl === null) {
      let gross = exitPrice.sub(lot.entryPrice).mul(qty);
      if (!lot.multOne) gross = gross.mul(lot.multiplier);
      grossPnl = lot.direction === 'LONG' ? gross : gross.neg();
    }
    const netPnl = commission.isZero() ? grossPnl : this.exactNet(grossPnl, commission);
    const { mae, mfe } = RoundTripTracker.excursionsOf(lot, windowHigh, windowLow, exitPriceNum);
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
      barsHeld: RoundTripTracker.barsHeld(open, lot),
      entryClientOrderId: lot.entryClientOrderId,
      exitClientOrderId,
    };
  }
}

/** Counts a bar closing at `ts` for a non-empty queue and folds it into one lot's block. */
function recordBar(q: OpenLots, ts: number, high: number, low: number): void {
  q.bars++;
  const queue = q.lots;
  let k = queue.length - 1;
  // The bar joins the block of the newest lot entered strictly before it. A bar closing exactly
  // at a lot's entry time (the fill's own bar) does not count for that lot.
  for (; k >= 0 && queue[k].entryTs >= ts; k--) if (queue[k].entryTs === ts) queue[k].barsBefore++;
  if (k < 0) return;
  const lot = queue[k];
  if (high > lot.blockHigh) lot.blockHigh = high;
  if (low < lot.blockLow) lot.blockLow = low;
}

/** The share of `amount` belonging to `part` of `whole` (all of it when `part` is the whole). */
function take(amount: Decimal, part: Decimal, whole: Decimal): Decimal {
  if (amount.isZero() || part === whole || cmpDec(part, whole) === 0) return amount;
  return amount
    .mul(part)
    .div(whole)
    .toDecimalPlaces(COMMISSION_SHARE_SCALE, Decimal.ROUND_HALF_EVEN);
}

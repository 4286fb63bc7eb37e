import {
  compareDecimals,
  Decimal,
  InstrumentId,
  OrderSide,
  POW10 as POW10_IMPORTED,
  Scaled,
  rememberScaled as rememberScaledImported,
  scaledInt as scaledIntImported,
  toDecimal,
  TradingDecimal,
  ValidationError,
} from '@trading/domain';
import { FillRecord, RoundTripTrade, TradeDirection } from './analytics.types';
import { quotientNumber, scaledOf, sharedDecimal } from './exact-decimal';

// Module-local aliases: an import from another lib is read through a re-export getter on every
// use (CommonJS output), and these run several times per fill.
const toDec = toDecimal;
const cmpDec = compareDecimals;
const BUY = OrderSide.BUY;
const SELL = OrderSide.SELL;
const POW10 = POW10_IMPORTED;
const scaledInt = scaledIntImported;
const rememberScaled = rememberScaledImported;

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
  /** `quantity` as qtyN / 10^qtyScale (see domain `scaledInt`); qtyScale −1 when it does not fit. */
  qtyN: number;
  qtyScale: number;
  entryPrice: Decimal;
  entryPriceNum: number;
  /** `entryPrice` as entryN / 10^entryScale; entryScale −1 when it does not fit. */
  entryN: number;
  entryScale: number;
  multiplier: Decimal;
  /** The multiplier is exactly 1 (its multiplications are skipped: same values, less work). */
  multOne: boolean;
  /** `multiplier` as multN / 10^multScale; multScale −1 when it does not fit. */
  multN: number;
  multScale: number;
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
/** Decimal places of a pro-rata commission share (see {@link RoundTripTracker}). */
const COMMISSION_SHARE_SCALE = 12;

/** Most closed lots' objects kept for reuse. */
const MAX_SPARE_LOTS = 64;

/** A lot object with every field set (one shape for all lots); the caller fills it in. */
function newLot(): Lot {
  return {
    instrumentId: '' as InstrumentId,
    direction: 'LONG',
    entryTs: 0,
    quantity: ZERO,
    qtyN: 0,
    qtyScale: -1,
    entryPrice: ZERO,
    entryPriceNum: 0,
    entryN: 0,
    entryScale: -1,
    multiplier: ONE,
    multOne: true,
    multN: 1,
    multScale: 0,
    commission: ZERO,
    barsBefore: 0,
    blockHigh: -Infinity,
    blockLow: Infinity,
    entryClientOrderId: '',
  };
}

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
  /** Objects of closed lots, reused for new ones (a lot's fields are copied into its trades). */
  private readonly spare: Lot[] = [];
  // scratch integers of closeLot's exact float shortcuts
  private readonly sNet: Scaled = { n: 0, scale: 0 };
  private readonly sQty: Scaled = { n: 0, scale: 0 };
  private readonly sMult: Scaled = { n: 0, scale: 0 };
  private readonly sExit: Scaled = { n: 0, scale: 0 };
  private readonly sComm: Scaled = { n: 0, scale: 0 };
  // the integer of the last P&L exactGross or exactNet computed (see there)
  private pnlN = 0;
  private pnlScale = -1;
  // the last multiplier seen, whether it is 1, and its scaled integer (fills of an instrument
  // share one instance)
  private lastMult: Decimal | null = null;
  private lastMultOne = false;
  private lastMultN = 1;
  private lastMultScale = 0;

  private useMultiplier(mult: Decimal): void {
    this.lastMult = mult;
    this.lastMultOne = cmpDec(mult, ONE) === 0;
    const sm = this.sMult;
    this.lastMultScale = scaledInt(mult, sm) ? sm.scale : -1;
    this.lastMultN = sm.n;
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
    // The fill's price and quantity as scaled integers, read once (scale −1: does not fit); the
    // closed trades' P&L and the new lot's entry are computed from them.
    const sx = this.sExit;
    const exitScale = scaledOf(price, sx) ? sx.scale : -1;
    const exitN = sx.n;
    // = toNumberExact(price)
    const priceNum = exitScale >= 0 ? exitN / POW10[exitScale] : price.toNumber();
    const sq = this.sQty;
    let remScale = scaledOf(quantity, sq) ? sq.scale : -1;
    let remN = sq.n;
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
        const whole = cmpDec(lot.quantity, remaining) <= 0;
        const qty = whole ? lot.quantity : remaining;
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
            whole ? lot.qtyN : remN,
            whole ? lot.qtyScale : remScale,
            fill.ts,
            price,
            exitN,
            exitScale,
            priceNum,
            fill.clientOrderId,
            // Zero stays the shared zero instance: long runs keep every trade in memory.
            exitCommission.isZero() ? entryCommission : entryCommission.add(exitCommission),
          ),
        );
        // A whole lot or the whole rest closes in most fills: the difference is the shared zero.
        if (qty === lot.quantity) lot.quantity = ZERO;
        else {
          lot.quantity = lot.quantity.sub(qty);
          lot.qtyScale = scaledInt(lot.quantity, sq) ? sq.scale : -1;
          lot.qtyN = sq.n;
        }
        if (qty === remaining) remaining = ZERO;
        else {
          remaining = remaining.sub(qty);
          remScale = scaledInt(remaining, sq) ? sq.scale : -1;
          remN = sq.n;
        }
        if (lot.quantity.isZero()) {
          queue.shift();
          shifted++;
          // (its fields were copied into the trade: the object is free for the next lot)
          if (this.spare.length < MAX_SPARE_LOTS) this.spare.push(lot);
        }
      }
    }
    if (!remaining.isZero() && !remaining.isNegative()) {
      if (mult !== this.lastMult) this.useMultiplier(mult);
      // A closed lot's object when there is one (no allocation per lot), else a new one.
      const lot = this.spare.pop() ?? newLot();
      lot.instrumentId = fill.instrumentId;
      lot.direction = direction;
      lot.entryTs = fill.ts;
      lot.quantity = remaining;
      lot.qtyN = remN;
      lot.qtyScale = remScale;
      lot.entryPrice = price;
      lot.entryPriceNum = priceNum;
      lot.entryN = exitN;
      lot.entryScale = exitScale;
      lot.multiplier = mult;
      lot.multOne = this.lastMultOne;
      lot.multN = this.lastMultN;
      lot.multScale = this.lastMultScale;
      lot.commission = fillCommission;
      lot.barsBefore = q.bars;
      lot.blockHigh = -Infinity;
      lot.blockLow = Infinity;
      lot.entryClientOrderId = fill.clientOrderId;
      queue.push(lot);
    }
    if (queue.length > 0) {
      if (!wasOpen) this.open.push(q);
    } else if (wasOpen) {
      // (not splice: it allocates the array of removed elements)
      const open = this.open;
      for (let k = open.indexOf(q); k < open.length - 1; k++) open[k] = open[k + 1];
      open.pop();
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
   * The gross P&L of closing qN / 10^qScale of `lot` at exitN / 10^exitScale, from scaled integers
   * when every operand and intermediate is a safe integer (so decimal.js would not have rounded
   * either, and IEEE integer arithmetic gives decimal.js's zero signs: x − x = +0, −(+0) = −0);
   * else null. Leaves the result's integer in `pnlN` / `pnlScale`.
   */
  private exactGross(
    lot: Lot,
    qN: number,
    qScale: number,
    exitN: number,
    exitScale: number,
  ): Decimal | null {
    const entryScale = lot.entryScale;
    if (exitScale < 0 || entryScale < 0 || qScale < 0) return null;
    let mN = 1;
    let mScale = 0;
    if (!lot.multOne) {
      if (lot.multScale < 0) return null;
      mN = lot.multN;
      mScale = lot.multScale;
    }
    const s1 = exitScale > entryScale ? exitScale : entryScale;
    const scale = s1 + qScale + mScale;
    if (scale >= POW10.length) return null;
    const a = exitN * POW10[s1 - exitScale];
    const b = lot.entryN * POW10[s1 - entryScale];
    const d = a - b;
    const dq = d * qN;
    const g = dq * mN;
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || !Number.isSafeInteger(d))
      return null;
    if (!Number.isSafeInteger(dq) || !Number.isSafeInteger(g)) return null;
    const n = lot.direction === 'LONG' ? g : -g;
    this.pnlN = n;
    this.pnlScale = scale;
    return sharedDecimal(n, scale);
  }

  /**
   * `gross − commission` (commission ≠ 0), from scaled integers when exact, else decimal.js. The
   * gross is read from `pnlN` / `pnlScale` when `grossExact`. Leaves the result's integer in
   * `pnlN` / `pnlScale` (`pnlScale` −1 when it took decimal.js).
   */
  private exactNet(gross: Decimal, grossExact: boolean, commission: Decimal): Decimal {
    const g = this.sNet;
    const c = this.sComm;
    if (grossExact) {
      g.n = this.pnlN;
      g.scale = this.pnlScale;
    }
    if ((grossExact || scaledInt(gross, g)) && scaledInt(commission, c)) {
      const s = g.scale > c.scale ? g.scale : c.scale;
      if (s < POW10.length) {
        const a = g.n * POW10[s - g.scale];
        const b = c.n * POW10[s - c.scale];
        const n = a - b;
        if (Number.isSafeInteger(a) && Number.isSafeInteger(b) && Number.isSafeInteger(n)) {
          this.pnlN = n;
          this.pnlScale = s;
          return sharedDecimal(n, s);
        }
      }
    }
    this.pnlScale = -1;
    return gross.sub(commission);
  }

  private closeLot(
    open: OpenLots,
    lot: Lot,
    windowHigh: number,
    windowLow: number,
    qty: Decimal,
    qN: number,
    qScale: number,
    exitTs: number,
    exitPrice: Decimal,
    exitN: number,
    exitScale: number,
    exitPriceNum: number,
    exitClientOrderId: string,
    commission: Decimal,
  ): RoundTripTrade {
    // (exit − entry) × qty × multiplier × (+1 long, −1 short); a multiplier of 1 is skipped.
    let grossPnl = this.exactGross(lot, qN, qScale, exitN, exitScale);
    const grossExact = grossPnl !== null;
    if (grossPnl === null) {
      let gross = exitPrice.sub(lot.entryPrice).mul(qty);
      if (!lot.multOne) gross = gross.mul(lot.multiplier);
      grossPnl = lot.direction === 'LONG' ? gross : gross.neg();
    }
    let netPnl: Decimal;
    // the net P&L as netN / 10^netScale (netScale −1: not known)
    let netScale = -1;
    if (commission.isZero()) {
      netPnl = grossPnl;
      if (grossExact) netScale = this.pnlScale;
    } else {
      netPnl = this.exactNet(grossPnl, grossExact, commission);
      netScale = this.pnlScale;
    }
    let netN = this.pnlN;
    const { mae, mfe } = RoundTripTracker.excursionsOf(lot, windowHigh, windowLow, exitPriceNum);
    let scale = NaN;
    let returnPct = NaN;
    // Exact shortcut: with entry price, quantity and multiplier small scaled integers, the
    // notional entry × qty × mult is their integer product, and `scale` and `returnPct` are one
    // IEEE division each (the same doubles decimal.js gives; see exact-decimal.ts).
    const multOne = lot.multOne;
    if (lot.entryScale >= 0 && qScale >= 0 && (multOne || lot.multScale >= 0)) {
      const qm = multOne ? qN : qN * lot.multN;
      const qmScale = multOne ? qScale : qScale + lot.multScale;
      if (Number.isSafeInteger(qm) && qmScale < POW10.length) {
        scale = qm / POW10[qmScale];
        const notional = Math.abs(lot.entryN * qm);
        if (notional === 0) returnPct = 0;
        else if (Number.isSafeInteger(notional)) {
          if (netScale < 0 && scaledInt(netPnl, this.sNet)) {
            netN = this.sNet.n;
            netScale = this.sNet.scale;
          }
          // A zero P&L divides to a zero with its sign (decimal.js: the sign of the quotient is
          // the xor of the signs, and the notional is positive).
          if (netScale >= 0)
            returnPct =
              netN === 0
                ? netN / notional
                : quotientNumber(netN, netScale, notional, lot.entryScale + qmScale);
        }
      }
    }
    // The metrics' trade totals read the net P&L next: its integer is known (see rememberScaled).
    if (netScale >= 0) rememberScaled(netPnl, netN, netScale);
    if (Number.isNaN(scale)) scale = (multOne ? qty : qty.mul(lot.multiplier)).toNumber();
    if (Number.isNaN(returnPct)) {
      let notional = lot.entryPrice.mul(qty);
      if (!multOne) notional = notional.mul(lot.multiplier);
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

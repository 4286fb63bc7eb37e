import { Decimal, InstrumentId, OrderSide, toDecimal, TradingDecimal, ValidationError } from '@trading/domain';
import { FillRecord, RoundTripTrade, TradeDirection } from './analytics.types';

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
  /** Entry commission not yet attributed to a closed trade. */
  commission: Decimal;
  /** Highest price seen while open (starts at the entry price). */
  high: number;
  /** Lowest price seen while open (starts at the entry price). */
  low: number;
  barsHeld: number;
  entryClientOrderId: string;
}

const ONE = new TradingDecimal(1);

/**
 * Builds round-trip trades online from fills, FIFO per instrument (LEAN "fill to fill" grouping).
 *
 * - A fill in the direction of the open position (or from flat) opens a new lot.
 * - An opposite fill closes open lots oldest first; each (lot, closing fill) pair becomes one
 *   {@link RoundTripTrade}, so a partial close splits a lot into a closed trade and a smaller open lot.
 * - An opposite fill larger than the open position closes everything and opens a lot in the new
 *   direction with the remainder (a flip).
 * - Commissions are attributed pro rata by quantity: a fill's commission is spread over the
 *   quantities it opened/closed.
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

  /**
   * Feeds one fill. `multiplier` defaults to `fill.multiplier`, else 1. A lot keeps the multiplier
   * it was opened with.
   */
  onFill(fill: FillRecord, multiplier?: Decimal): void {
    const quantity = toDecimal(fill.quantity, 'fill.quantity');
    if (quantity.lte(0)) throw new ValidationError('fill.quantity', quantity.toFixed(), 'must be greater than 0');
    const price = toDecimal(fill.price, 'fill.price');
    let fillCommission = toDecimal(fill.commission, 'fill.commission');
    if (fill.side !== OrderSide.BUY && fill.side !== OrderSide.SELL) throw new ValidationError('fill.side', fill.side, 'must be BUY or SELL');
    const mult = toDecimal(multiplier ?? fill.multiplier ?? ONE, 'multiplier');
    const direction: TradeDirection = fill.side === OrderSide.BUY ? 'LONG' : 'SHORT';
    const priceNum = price.toNumber();
    const queue = this.lots.get(fill.instrumentId) ?? [];
    let remaining = quantity;

    while (remaining.gt(0) && queue.length > 0 && queue[0].direction !== direction) {
      const lot = queue[0];
      const qty = lot.quantity.lte(remaining) ? lot.quantity : remaining;
      // Pro-rata commission; the last piece takes the remainder so totals stay exact.
      const entryCommission = take(lot.commission, qty, lot.quantity);
      const exitCommission = take(fillCommission, qty, remaining);
      lot.commission = lot.commission.sub(entryCommission);
      fillCommission = fillCommission.sub(exitCommission);
      this.closed.push(this.closeLot(lot, qty, fill.ts, price, priceNum, fill.clientOrderId, entryCommission.add(exitCommission)));
      lot.quantity = lot.quantity.sub(qty);
      remaining = remaining.sub(qty);
      if (lot.quantity.isZero()) queue.shift();
    }
    if (remaining.gt(0)) {
      queue.push({
        instrumentId: fill.instrumentId,
        direction,
        entryTs: fill.ts,
        quantity: remaining,
        entryPrice: price,
        entryPriceNum: priceNum,
        multiplier: mult,
        commission: fillCommission,
        high: priceNum,
        low: priceNum,
        barsHeld: 0,
        entryClientOrderId: fill.clientOrderId,
      });
    }
    if (queue.length > 0) this.lots.set(fill.instrumentId, queue);
    else this.lots.delete(fill.instrumentId);
  }

  /** Updates the excursions of open lots of `instrumentId` with a bar closing at `ts`. */
  onBar(instrumentId: InstrumentId, ts: number, high: number, low: number): void {
    const queue = this.lots.get(instrumentId);
    if (!queue) return;
    for (const lot of queue) {
      if (ts <= lot.entryTs) continue;
      lot.barsHeld++;
      if (high > lot.high) lot.high = high;
      if (low < lot.low) lot.low = low;
    }
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
        const { mae, mfe } = excursions(lot, lot.entryPriceNum);
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
          barsHeld: lot.barsHeld,
          entryClientOrderId: lot.entryClientOrderId,
        });
      }
    }
    return out;
  }

  private closeLot(lot: Lot, qty: Decimal, exitTs: number, exitPrice: Decimal, exitPriceNum: number, exitClientOrderId: string, commission: Decimal): RoundTripTrade {
    const sign = lot.direction === 'LONG' ? 1 : -1;
    const grossPnl = exitPrice.sub(lot.entryPrice).mul(qty).mul(lot.multiplier).mul(sign);
    const netPnl = grossPnl.sub(commission);
    const notional = lot.entryPrice.mul(qty).mul(lot.multiplier).abs();
    const { mae, mfe } = excursions(lot, exitPriceNum);
    const scale = qty.mul(lot.multiplier).toNumber();
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
      returnPct: notional.isZero() ? 0 : netPnl.div(notional).toNumber(),
      mae,
      mfe,
      maeValue: mae * scale,
      mfeValue: mfe * scale,
      barsHeld: lot.barsHeld,
      entryClientOrderId: lot.entryClientOrderId,
      exitClientOrderId,
    };
  }
}

/** The share of `amount` belonging to `part` of `whole` (all of it when `part` is the whole). */
function take(amount: Decimal, part: Decimal, whole: Decimal): Decimal {
  return part.eq(whole) ? amount : amount.mul(part).div(whole);
}

/** MAE/MFE (price units, ≥ 0) of a lot given the extremes seen and a final price. */
function excursions(lot: Lot, lastPrice: number): { mae: number; mfe: number } {
  const high = Math.max(lot.high, lastPrice);
  const low = Math.min(lot.low, lastPrice);
  const up = Math.max(0, high - lot.entryPriceNum);
  const down = Math.max(0, lot.entryPriceNum - low);
  return lot.direction === 'LONG' ? { mae: down, mfe: up } : { mae: up, mfe: down };
}

import {
  Decimal,
  Instrument,
  OrderSide,
  TradingDecimal,
  ValidationError,
  toDecimal,
  DecimalInput,
  ZERO,
  POW10,
} from '@trading/domain';
import { CompositeCommission } from './composite-commission';
import { divRound, ExactValue } from './exact-value';

/**
 * Costs are models apart from the exchange connection (LEAN's fee/slippage models).
 * All arithmetic is decimal: decimal.js, or scaled integers where that gives the very same value
 * (see `ExactValue`).
 */

/**
 * Commission as a function of an order's cumulative fills. The exchange charges each fill the
 * difference between `total(after)` and `total(before)`, so per-order fees and minimums apply once
 * per order however many partial fills it has.
 */
export interface CommissionModel {
  /** Total commission owed for an order that has filled `quantity` for `notional` (price × qty × multiplier). */
  total(quantity: Decimal, notional: Decimal, instrument: Instrument): Decimal;
  /** Human description for reports. */
  describe(): string;
}

/** Specification of a commission model (validated by {@link commissionModel}). */
export interface CommissionSpec {
  /** Per unit (share or contract). */
  perUnit?: DecimalInput;
  /** Fixed fee per order (charged on its first fill). */
  perOrder?: DecimalInput;
  /** Percentage of notional, as a fraction (0.001 = 0.1% = 10 bps). */
  pctOfNotional?: DecimalInput;
  /** Minimum commission per order (applies once any quantity has filled). */
  minimum?: DecimalInput;
}

function nonNegative(v: DecimalInput | undefined, field: string): Decimal {
  if (v === undefined) return ZERO;
  const d = toDecimal(v, field);
  if (d.isNegative() && !d.isZero()) throw new ValidationError(field, v, 'must not be negative');
  return d;
}

/** Builds a commission model; every part optional, all non-negative. */
export function commissionModel(spec: CommissionSpec = {}): CommissionModel {
  return new CompositeCommission(
    nonNegative(spec.perUnit, 'commission.perUnit'),
    nonNegative(spec.perOrder, 'commission.perOrder'),
    nonNegative(spec.pctOfNotional, 'commission.pctOfNotional'),
    nonNegative(spec.minimum, 'commission.minimum'),
  );
}

/** No commission. */
export const NO_COMMISSION: CommissionModel = commissionModel();

/** Moves a fill price against the taker. Limit fills are never slipped (they fill at the limit or better). */
export interface SlippageModel {
  /** The slipped price, rounded adversely onto the instrument's tick. */
  apply(price: Decimal, side: OrderSide, instrument: Instrument): Decimal;
  describe(): string;
}

/** Specification of a slippage model. */
export type SlippageSpec = { bps: DecimalInput } | { ticks: DecimalInput } | { none: true };

/** Scratch exact values of the slippage models (their `apply` is not reentrant). */
const px = new ExactValue();
const step = new ExactValue();
const tick = new ExactValue();
const out = new ExactValue();

/**
 * Builds a slippage model: fixed basis points of price, or a fixed number of ticks. Both compute
 * on scaled integers when the result is exact that way (see `ExactValue`), else with decimal.js;
 * the price they return is the same decimal either way.
 */
export function slippageModel(spec: SlippageSpec = { none: true }): SlippageModel {
  if ('bps' in spec) {
    const bps = nonNegative(spec.bps, 'slippage.bps');
    const f = bps.div(10_000);
    const up = new TradingDecimal(1).add(f);
    const down = new TradingDecimal(1).sub(f);
    const upX = new ExactValue().setDecimal(up);
    const downX = new ExactValue().setDecimal(down);
    return {
      apply: (p, side, inst) => {
        if (bps.isZero()) return p;
        const buy = side === 'BUY';
        const slipped = roundAdverseExact(p, buy ? upX : downX, buy, inst.tickSize);
        if (slipped !== null) return slipped;
        return roundAdverse(p.mul(buy ? up : down), side, inst.tickSize);
      },
      describe: () => `${bps.toFixed()} bps`,
    };
  }
  if ('ticks' in spec) {
    const ticks = nonNegative(spec.ticks, 'slippage.ticks');
    const ticksX = new ExactValue().setDecimal(ticks);
    return {
      apply: (p, side, inst) => {
        // p ± tickSize × ticks: each step an exact integer operation or decimal.js's own
        step.mul(tick.setDecimal(inst.tickSize), ticksX);
        px.setDecimal(p);
        return (side === 'BUY' ? out.add(px, step) : out.sub(px, step)).decimal();
      },
      describe: () => `${ticks.toFixed()} ticks`,
    };
  }
  return { apply: (p) => p, describe: () => 'none' };
}

/**
 * `roundAdverse(p × factor, side, tickSize)` on scaled integers, or null when an integer leaves the
 * safe range. With X = p × factor and Y = tickSize aligned to one scale (safe integers), decimal.js
 * computes X (exact: ≤ 16 digits), then X / Y rounded to 40 digits, then its ceiling or floor. A
 * quotient that is not an integer lies at least 1/|Y| from every integer, i.e. at least 1/|X| ≥ 2^-53
 * relative, far beyond a 40-digit rounding: the ceiling/floor is that of the exact quotient.
 */
function roundAdverseExact(
  p: Decimal,
  factor: ExactValue,
  up: boolean,
  tickSize: Decimal,
): Decimal | null {
  if (!px.setDecimal(p).isScaled() || !factor.isScaled() || !tick.setDecimal(tickSize).isScaled())
    return null;
  let x = px.n * factor.n;
  const xs = px.scale + factor.scale;
  let y = tick.n;
  if (xs < tick.scale) x *= POW10[tick.scale - xs] ?? Infinity;
  else y *= POW10[xs - tick.scale] ?? Infinity;
  if (!Number.isSafeInteger(x) || !Number.isSafeInteger(y) || y <= 0) return null;
  const units = divRound(x, y, up);
  const n = units * tick.n;
  if (!Number.isSafeInteger(n)) return null;
  return out.setScaled(n, tick.scale).decimal();
}

/** Rounds onto the tick grid against the taker: buys up, sells down. */
export function roundAdverse(price: Decimal, side: OrderSide, tick: Decimal): Decimal {
  const units = price.div(tick);
  return (side === 'BUY' ? units.ceil() : units.floor()).mul(tick);
}

/** How market orders fill and how much of a bar's volume orders may take. */
export interface FillModelConfig {
  /** `next-open` (default): market orders fill at the next bar's open; `close`: at the close of the bar they were sent on. */
  marketFill: 'next-open' | 'close';
  /** Max fraction (0 < p ≤ 1) of a bar's volume one order may fill per bar; `null` = unlimited. */
  participation: Decimal | null;
  /** Simulated time (ms) from sending an order until it reaches the exchange. */
  latencyMs: number;
}

/** Validates a fill model config, naming the bad field. */
export function fillModelConfig(
  spec: Partial<{ marketFill: string; participation: DecimalInput | null; latencyMs: number }> = {},
): FillModelConfig {
  const marketFill = spec.marketFill ?? 'next-open';
  if (marketFill !== 'next-open' && marketFill !== 'close')
    throw new ValidationError('fill', marketFill, 'must be "next-open" or "close"');
  let participation: Decimal | null = null;
  if (spec.participation !== undefined && spec.participation !== null) {
    participation = toDecimal(spec.participation, 'participation');
    if (participation.lte(0) || participation.gt(1))
      throw new ValidationError('participation', spec.participation, 'must be in (0, 1]');
  }
  const latencyMs = spec.latencyMs ?? 0;
  if (!Number.isSafeInteger(latencyMs) || latencyMs < 0)
    throw new ValidationError('latencyMs', latencyMs, 'must be a non-negative integer');
  return { marketFill, participation, latencyMs };
}

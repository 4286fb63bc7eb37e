import {
  Decimal,
  Instrument,
  OrderSide,
  TradingDecimal,
  ValidationError,
  toDecimal,
  DecimalInput,
  ZERO,
} from '@trading/domain';

/**
 * Costs are models apart from the exchange connection (LEAN's fee/slippage models).
 * All arithmetic is decimal.
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

class CompositeCommission implements CommissionModel {
  constructor(
    private readonly perUnit: Decimal,
    private readonly perOrder: Decimal,
    private readonly pct: Decimal,
    private readonly minimum: Decimal,
  ) {}
  total(quantity: Decimal, notional: Decimal): Decimal {
    if (quantity.isZero()) return ZERO;
    // Additions to a zero running total are skipped for non-zero terms (the same value, less work).
    let c = this.perOrder;
    if (!this.perUnit.isZero()) c = addTerm(c, this.perUnit.mul(quantity));
    if (!this.pct.isZero())
      c = addTerm(c, this.pct.mul(notional.isNegative() ? notional.abs() : notional));
    return c.lt(this.minimum) ? this.minimum : c;
  }
  describe(): string {
    const parts: string[] = [];
    if (!this.perUnit.isZero()) parts.push(`${this.perUnit.toFixed()}/unit`);
    if (!this.perOrder.isZero()) parts.push(`${this.perOrder.toFixed()}/order`);
    if (!this.pct.isZero()) parts.push(`${this.pct.mul(100).toFixed()}% of notional`);
    if (!this.minimum.isZero()) parts.push(`min ${this.minimum.toFixed()}`);
    return parts.length ? parts.join(' + ') : 'none';
  }
}

/** `total + term`; a zero total with a non-zero term is the term itself (no decimal.js add). */
function addTerm(total: Decimal, term: Decimal): Decimal {
  return total.isZero() && !term.isZero() ? term : total.add(term);
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

/** Builds a slippage model: fixed basis points of price, or a fixed number of ticks. */
export function slippageModel(spec: SlippageSpec = { none: true }): SlippageModel {
  if ('bps' in spec) {
    const bps = nonNegative(spec.bps, 'slippage.bps');
    const f = bps.div(10_000);
    return {
      apply: (p, side, inst) => {
        if (bps.isZero()) return p;
        const raw =
          side === 'BUY'
            ? p.mul(new TradingDecimal(1).add(f))
            : p.mul(new TradingDecimal(1).sub(f));
        return roundAdverse(raw, side, inst.tickSize);
      },
      describe: () => `${bps.toFixed()} bps`,
    };
  }
  if ('ticks' in spec) {
    const ticks = nonNegative(spec.ticks, 'slippage.ticks');
    return {
      apply: (p, side, inst) =>
        side === 'BUY' ? p.add(inst.tickSize.mul(ticks)) : p.sub(inst.tickSize.mul(ticks)),
      describe: () => `${ticks.toFixed()} ticks`,
    };
  }
  return { apply: (p) => p, describe: () => 'none' };
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

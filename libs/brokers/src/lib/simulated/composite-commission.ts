import { Decimal, ZERO } from '@trading/domain';
import { ExactValue } from './exact-value';

/**
 * The commission model `commissionModel()` builds (internal to the lib): per unit + per order +
 * percent of notional, at least the minimum. `total` is the decimal.js formula; `totalExact` is
 * the same formula on {@link ExactValue}s, for the simulated exchange's fill path (integers while
 * exact, each step otherwise the very decimal.js operation `total` runs).
 */
export class CompositeCommission {
  private readonly perUnitX: ExactValue;
  private readonly perOrderX: ExactValue;
  private readonly pctX: ExactValue;
  private readonly minimumX: ExactValue;
  private readonly term = new ExactValue();
  private readonly absNotional = new ExactValue();

  constructor(
    private readonly perUnit: Decimal,
    private readonly perOrder: Decimal,
    private readonly pct: Decimal,
    private readonly minimum: Decimal,
  ) {
    this.perUnitX = new ExactValue().setDecimal(perUnit);
    this.perOrderX = new ExactValue().setDecimal(perOrder);
    this.pctX = new ExactValue().setDecimal(pct);
    this.minimumX = new ExactValue().setDecimal(minimum);
  }

  /** Total commission owed for an order that has filled `quantity` for `notional`. */
  total(quantity: Decimal, notional: Decimal): Decimal {
    if (quantity.isZero()) return ZERO;
    // Additions to a zero running total are skipped for non-zero terms (the same value, less work).
    let c = this.perOrder;
    if (!this.perUnit.isZero()) c = addTerm(c, this.perUnit.mul(quantity));
    if (!this.pct.isZero())
      c = addTerm(c, this.pct.mul(notional.isNegative() ? notional.abs() : notional));
    return c.lt(this.minimum) ? this.minimum : c;
  }

  /** {@link total} on exact values, into `out` (which must not be `quantity` or `notional`). */
  totalExact(quantity: ExactValue, notional: ExactValue, out: ExactValue): void {
    if (quantity.isZero()) {
      out.setDecimal(ZERO);
      return;
    }
    out.copy(this.perOrderX);
    const term = this.term;
    if (!this.perUnit.isZero()) addTermExact(out, term.mul(this.perUnitX, quantity));
    if (!this.pct.isZero()) {
      const n = notional.isNegative() ? this.absNotional.abs(notional) : notional;
      addTermExact(out, term.mul(this.pctX, n));
    }
    if (ExactValue.cmp(out, this.minimumX) < 0) out.copy(this.minimumX);
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

/** {@link addTerm} in place on exact values. */
function addTermExact(total: ExactValue, term: ExactValue): void {
  if (total.isZero() && !term.isZero()) total.copy(term);
  else total.add(total, term);
}

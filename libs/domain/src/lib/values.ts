import Decimal from 'decimal.js';
import { ValidationError } from './errors';
import {
  DecimalInput,
  RoundingMode,
  roundToIncrement,
  isMultipleOf,
  toDecimal,
  TradingDecimal,
} from './decimal';

/** Shared immutable decimal wrapper behaviour for Price and Quantity. */
abstract class DecimalValue {
  /** The exact decimal value. */
  readonly value: Decimal;
  protected constructor(value: Decimal) {
    this.value = value;
  }
  /** True when the value is zero. */
  isZero(): boolean {
    return this.value.isZero();
  }
  /** True when the value is below zero. */
  isNegative(): boolean {
    return this.value.isNegative() && !this.value.isZero();
  }
  /** True when the value is above zero. */
  isPositive(): boolean {
    return this.value.isPositive() && !this.value.isZero();
  }
  /** Canonical decimal text (no exponent). */
  toString(): string {
    return this.value.toFixed();
  }
  /** JSON form is the canonical decimal string (never a float). */
  toJSON(): string {
    return this.value.toFixed();
  }
  /** Nearest float, for analytics and display only. */
  toNumber(): number {
    return this.value.toNumber();
  }
}

/** A price (may be negative for spreads; instruments validate their own bounds). */
export class Price extends DecimalValue {
  private constructor(value: Decimal) {
    super(value);
  }
  /** Parses a price; rejects NaN, ±Infinity, non-numeric text and magnitudes above 1e18. */
  static of(value: DecimalInput, field = 'price'): Price {
    return new Price(toDecimal(value, field));
  }
  /** Parses a price that must be strictly positive. */
  static positive(value: DecimalInput, field = 'price'): Price {
    const p = Price.of(value, field);
    if (!p.isPositive()) throw new ValidationError(field, value, 'must be greater than 0');
    return p;
  }
  /** Wraps an already-validated decimal (no checks: internal fast path). */
  static fromDecimal(value: Decimal): Price {
    return new Price(value);
  }
  add(other: Price | DecimalInput): Price {
    return new Price(this.value.add(other instanceof Price ? other.value : toDecimal(other)));
  }
  sub(other: Price | DecimalInput): Price {
    return new Price(this.value.sub(other instanceof Price ? other.value : toDecimal(other)));
  }
  /** Multiplies by a plain factor (e.g. 1 + slippage). */
  mul(factor: DecimalInput): Price {
    return new Price(this.value.mul(toDecimal(factor, 'factor')));
  }
  /** Rounds to a multiple of `tick`. */
  roundToTick(tick: DecimalInput, mode: RoundingMode = 'nearest'): Price {
    return new Price(roundToIncrement(this.value, toDecimal(tick, 'tickSize'), mode));
  }
  /** True when the price lies exactly on the tick grid. */
  isOnTick(tick: DecimalInput): boolean {
    return isMultipleOf(this.value, toDecimal(tick, 'tickSize'));
  }
  cmp(other: Price): number {
    return this.value.cmp(other.value);
  }
  eq(other: Price): boolean {
    return this.value.eq(other.value);
  }
  gt(other: Price): boolean {
    return this.value.gt(other.value);
  }
  gte(other: Price): boolean {
    return this.value.gte(other.value);
  }
  lt(other: Price): boolean {
    return this.value.lt(other.value);
  }
  lte(other: Price): boolean {
    return this.value.lte(other.value);
  }
}

/** An amount of an instrument. Order quantities are positive; positions may be signed. */
export class Quantity extends DecimalValue {
  private constructor(value: Decimal) {
    super(value);
  }
  /** Parses a non-negative quantity; rejects negatives, NaN, ±Infinity and garbage. */
  static of(value: DecimalInput, field = 'quantity'): Quantity {
    const d = toDecimal(value, field);
    if (d.isNegative() && !d.isZero())
      throw new ValidationError(field, value, 'must not be negative');
    return new Quantity(d);
  }
  /** Parses a strictly positive quantity (order sizes). */
  static positive(value: DecimalInput, field = 'quantity'): Quantity {
    const q = Quantity.of(value, field);
    if (q.isZero()) throw new ValidationError(field, value, 'must be greater than 0');
    return q;
  }
  /** Parses a signed quantity (positions: long > 0, short < 0). */
  static signed(value: DecimalInput, field = 'quantity'): Quantity {
    return new Quantity(toDecimal(value, field));
  }
  /** Wraps an already-validated decimal (no checks: internal fast path). */
  static fromDecimal(value: Decimal): Quantity {
    return new Quantity(value);
  }
  /** The zero quantity. */
  static readonly ZERO = new Quantity(new TradingDecimal(0));
  add(other: Quantity): Quantity {
    return new Quantity(this.value.add(other.value));
  }
  /** Subtracts; the result may be negative (signed). */
  sub(other: Quantity): Quantity {
    return new Quantity(this.value.sub(other.value));
  }
  mul(factor: DecimalInput): Quantity {
    return new Quantity(this.value.mul(toDecimal(factor, 'factor')));
  }
  neg(): Quantity {
    return new Quantity(this.value.neg());
  }
  abs(): Quantity {
    return new Quantity(this.value.abs());
  }
  min(other: Quantity): Quantity {
    return this.value.lte(other.value) ? this : other;
  }
  /** Rounds to a multiple of `lot` (default: down, so an order never exceeds what was asked). */
  roundToLot(lot: DecimalInput, mode: RoundingMode = 'down'): Quantity {
    return new Quantity(roundToIncrement(this.value, toDecimal(lot, 'lotSize'), mode));
  }
  /** True when the quantity is a whole number of lots. */
  isOnLot(lot: DecimalInput): boolean {
    return isMultipleOf(this.value, toDecimal(lot, 'lotSize'));
  }
  cmp(other: Quantity): number {
    return this.value.cmp(other.value);
  }
  eq(other: Quantity): boolean {
    return this.value.eq(other.value);
  }
  gt(other: Quantity): boolean {
    return this.value.gt(other.value);
  }
  gte(other: Quantity): boolean {
    return this.value.gte(other.value);
  }
  lt(other: Quantity): boolean {
    return this.value.lt(other.value);
  }
  lte(other: Quantity): boolean {
    return this.value.lte(other.value);
  }
}

/** ISO-4217-like currency code (also crypto codes such as USDT). */
export type Currency = string & { readonly __brand: 'Currency' };

/** Validates a currency code: 3–10 upper-case letters or digits. */
export function currency(code: string, field = 'currency'): Currency {
  if (typeof code !== 'string' || !/^[A-Z][A-Z0-9]{2,9}$/.test(code)) {
    throw new ValidationError(field, code, 'must be an upper-case currency code like "USD"');
  }
  return code as Currency;
}

/** US dollar. */
export const USD = currency('USD');

/** An amount of money in one currency. Arithmetic across currencies is an error. */
export class Money {
  readonly amount: Decimal;
  readonly currency: Currency;
  private constructor(amount: Decimal, ccy: Currency) {
    this.amount = amount;
    this.currency = ccy;
  }
  /** Parses an amount (may be negative: P&L, debits). */
  static of(amount: DecimalInput, ccy: Currency | string = USD, field = 'amount'): Money {
    return new Money(toDecimal(amount, field), currency(ccy));
  }
  /** Zero in a currency. */
  static zero(ccy: Currency | string = USD): Money {
    return new Money(new TradingDecimal(0), currency(ccy));
  }
  /** Wraps an already-validated decimal (internal fast path). */
  static fromDecimal(amount: Decimal, ccy: Currency): Money {
    return new Money(amount, ccy);
  }
  private same(other: Money): void {
    if (other.currency !== this.currency) {
      throw new ValidationError(
        'currency',
        other.currency,
        `must be ${this.currency} to combine with ${this.currency} money`,
      );
    }
  }
  add(other: Money): Money {
    this.same(other);
    return new Money(this.amount.add(other.amount), this.currency);
  }
  sub(other: Money): Money {
    this.same(other);
    return new Money(this.amount.sub(other.amount), this.currency);
  }
  mul(factor: DecimalInput): Money {
    return new Money(this.amount.mul(toDecimal(factor, 'factor')), this.currency);
  }
  neg(): Money {
    return new Money(this.amount.neg(), this.currency);
  }
  isZero(): boolean {
    return this.amount.isZero();
  }
  isNegative(): boolean {
    return this.amount.isNegative() && !this.amount.isZero();
  }
  cmp(other: Money): number {
    this.same(other);
    return this.amount.cmp(other.amount);
  }
  eq(other: Money): boolean {
    return this.currency === other.currency && this.amount.eq(other.amount);
  }
  /** Rounds to `places` decimals (half-even), e.g. 2 for cents. */
  round(places = 2): Money {
    return new Money(
      this.amount.toDecimalPlaces(places, TradingDecimal.ROUND_HALF_EVEN),
      this.currency,
    );
  }
  /** `"123.45 USD"`. */
  toString(): string {
    return `${this.amount.toFixed()} ${this.currency}`;
  }
  toJSON(): { amount: string; currency: string } {
    return { amount: this.amount.toFixed(), currency: this.currency };
  }
}

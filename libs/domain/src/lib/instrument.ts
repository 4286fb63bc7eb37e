import Decimal from 'decimal.js';
import { ValidationError } from './errors';
import { Branded } from './ids';
import { compareDecimals, DecimalInput, ONE, toDecimal } from './decimal';
import { Currency, currency, Price, Quantity, USD } from './values';

/** Instrument id `SYMBOL.VENUE`, e.g. `AAPL.XNAS` or `ORCL.SIM`. */
export type InstrumentId = Branded<string, 'InstrumentId'>;

const SYMBOL = /^[A-Za-z0-9][A-Za-z0-9_.\-/^]{0,31}$/;
const VENUE = /^[A-Z0-9_]{1,16}$/;

/** Builds an instrument id from symbol and venue, validating both. */
export function instrumentId(symbol: string, venue: string): InstrumentId {
  if (typeof symbol !== 'string' || !SYMBOL.test(symbol))
    throw new ValidationError('symbol', symbol, 'must be 1-32 letters, digits or ._-/^');
  if (typeof venue !== 'string' || !VENUE.test(venue))
    throw new ValidationError('venue', venue, 'must be 1-16 upper-case letters, digits or _');
  return `${symbol}.${venue}` as InstrumentId;
}

/** Instrument id texts already validated (bounded; ids repeat on every order and report). */
const VALID_INSTRUMENT_IDS = new Set<string>();
const VALID_INSTRUMENT_IDS_MAX = 4096;

/**
 * Parses `SYMBOL.VENUE` (the venue is after the last dot). Returns `text` itself, so the id keeps
 * the identity of the caller's string (Map lookups keyed by instrument ids then compare pointers).
 */
export function parseInstrumentId(text: string, field = 'instrumentId'): InstrumentId {
  if (VALID_INSTRUMENT_IDS.has(text)) return text as InstrumentId;
  const i = typeof text === 'string' ? text.lastIndexOf('.') : -1;
  if (i <= 0 || i === text.length - 1)
    throw new ValidationError(field, text, 'must look like SYMBOL.VENUE');
  instrumentId(text.slice(0, i), text.slice(i + 1)); // validates both parts
  if (VALID_INSTRUMENT_IDS.size >= VALID_INSTRUMENT_IDS_MAX) VALID_INSTRUMENT_IDS.clear();
  VALID_INSTRUMENT_IDS.add(text);
  return text as InstrumentId;
}

/** Symbol part of an instrument id. */
export function symbolOf(id: InstrumentId): string {
  return id.slice(0, id.lastIndexOf('.'));
}

/** Venue part of an instrument id. */
export function venueOf(id: InstrumentId): string {
  return id.slice(id.lastIndexOf('.') + 1);
}

/** Asset classes the platform models. */
export const AssetClass = {
  EQUITY: 'EQUITY',
  FUTURE: 'FUTURE',
  FX: 'FX',
  CRYPTO: 'CRYPTO',
  OPTION: 'OPTION',
  INDEX: 'INDEX',
} as const;
/** One of {@link AssetClass}. */
export type AssetClass = (typeof AssetClass)[keyof typeof AssetClass];

/** Fields to define an instrument; decimals may be given as strings or numbers. */
export interface InstrumentSpec {
  id: InstrumentId | string;
  assetClass?: AssetClass;
  currency?: Currency | string;
  tickSize?: DecimalInput;
  lotSize?: DecimalInput;
  /** Contract multiplier: P&L per 1.0 price move per unit (1 for shares, e.g. 10 or 50 for futures). */
  multiplier?: DecimalInput;
  /** Smallest order quantity (defaults to lotSize). */
  minQuantity?: DecimalInput;
  /** Exchange time zone (IANA), e.g. America/New_York. */
  timeZone?: string;
}

/** A tradable instrument with its price/size grid and contract multiplier. Immutable. */
export class Instrument {
  readonly id: InstrumentId;
  readonly symbol: string;
  readonly venue: string;
  readonly assetClass: AssetClass;
  readonly currency: Currency;
  readonly tickSize: Decimal;
  readonly lotSize: Decimal;
  readonly multiplier: Decimal;
  /** The multiplier is exactly 1 (shares): hot paths skip multiplying by it. */
  readonly unitMultiplier: boolean;
  readonly minQuantity: Decimal;
  readonly timeZone: string;

  constructor(spec: InstrumentSpec) {
    this.id = typeof spec.id === 'string' ? parseInstrumentId(spec.id) : spec.id;
    this.symbol = symbolOf(this.id);
    this.venue = venueOf(this.id);
    const ac = spec.assetClass ?? AssetClass.EQUITY;
    if (!Object.values(AssetClass).includes(ac))
      throw new ValidationError(
        'assetClass',
        ac,
        `must be one of ${Object.values(AssetClass).join(', ')}`,
      );
    this.assetClass = ac;
    this.currency = currency(spec.currency ?? USD);
    this.tickSize = positive(spec.tickSize ?? '0.01', 'tickSize');
    this.lotSize = positive(spec.lotSize ?? '1', 'lotSize');
    this.multiplier = positive(spec.multiplier ?? ONE, 'multiplier');
    this.unitMultiplier = this.multiplier.eq(ONE);
    this.minQuantity = positive(spec.minQuantity ?? this.lotSize, 'minQuantity');
    this.timeZone = spec.timeZone ?? 'America/New_York';
  }

  /** Rounds a price to this instrument's tick. */
  roundPrice(p: Price, mode: 'nearest' | 'down' | 'up' = 'nearest'): Price {
    return p.roundToTick(this.tickSize, mode);
  }
  /** Rounds a quantity down to whole lots. */
  roundQuantity(q: Quantity, mode: 'nearest' | 'down' | 'up' = 'down'): Quantity {
    return q.roundToLot(this.lotSize, mode);
  }
  /** Throws a ValidationError naming `field` when the price is not on the tick grid. */
  validatePrice(p: Price, field = 'price'): Price {
    if (!p.isOnTick(this.tickSize))
      throw new ValidationError(
        field,
        p.toString(),
        `must be a multiple of tick size ${this.tickSize.toFixed()} for ${this.id}`,
      );
    return p;
  }
  /** Throws when the quantity is not positive, not whole lots, or below the minimum. */
  validateQuantity(q: Quantity, field = 'quantity'): Quantity {
    if (!q.isPositive()) throw new ValidationError(field, q.toString(), 'must be greater than 0');
    if (!q.isOnLot(this.lotSize))
      throw new ValidationError(
        field,
        q.toString(),
        `must be a multiple of lot size ${this.lotSize.toFixed()} for ${this.id}`,
      );
    if (compareDecimals(q.value, this.minQuantity) < 0)
      throw new ValidationError(
        field,
        q.toString(),
        `must be at least ${this.minQuantity.toFixed()} for ${this.id}`,
      );
    return q;
  }
  /** Notional value of `quantity` at `price`: price × quantity × multiplier. */
  notional(quantity: Quantity, price: Price): Decimal {
    return price.value.mul(quantity.value).mul(this.multiplier);
  }
  toJSON(): Record<string, string> {
    return {
      id: this.id,
      assetClass: this.assetClass,
      currency: this.currency,
      tickSize: this.tickSize.toFixed(),
      lotSize: this.lotSize.toFixed(),
      multiplier: this.multiplier.toFixed(),
      minQuantity: this.minQuantity.toFixed(),
      timeZone: this.timeZone,
    };
  }
}

function positive(v: DecimalInput, field: string): Decimal {
  const d = toDecimal(v, field);
  if (d.lte(0)) throw new ValidationError(field, v, 'must be greater than 0');
  return d;
}

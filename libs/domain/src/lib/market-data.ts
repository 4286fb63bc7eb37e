import { ValidationError } from './errors';
import { InstrumentId } from './instrument';
import { Price, Quantity } from './values';

/**
 * Market data records.
 *
 * Representation (ADR 0002, "hot-path numbers"): market data prices and sizes are carried as
 * float64 numbers. Every decimal string with at most 15 significant digits round-trips exactly
 * through a float64 and back through its shortest text (`String(x)`), which is how
 * {@link Price.of} converts a number; so a CSV price `12.34` is exactly the decimal 12.34 when an
 * order or fill is priced from it. Orders, fills, cash and P&L are always decimal.
 * Timestamps are UTC epoch milliseconds; `ts` is when the record became known (for bars: the
 * bar's close time).
 */

/** An OHLCV bar. `ts` is the bar's end (close) time in UTC epoch ms. */
export interface Bar {
  readonly instrumentId: InstrumentId;
  readonly ts: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** A trade print (tick). */
export interface Tick {
  readonly instrumentId: InstrumentId;
  readonly ts: number;
  readonly price: number;
  readonly size: number;
  /** Venue trade id, when known. */
  readonly tradeId?: string;
}

/** Top of book. */
export interface Quote {
  readonly instrumentId: InstrumentId;
  readonly ts: number;
  readonly bid: number;
  readonly ask: number;
  readonly bidSize: number;
  readonly askSize: number;
}

function finite(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ValidationError(field, v, 'must be a finite number');
  return v;
}

/** Validates a bar: finite fields, low ≤ open/close ≤ high, volume ≥ 0, integer timestamp. */
export function validateBar(bar: Bar, field = 'bar'): Bar {
  if (!Number.isSafeInteger(bar.ts))
    throw new ValidationError(
      `${field}.ts`,
      bar.ts,
      'must be an integer epoch-millisecond timestamp',
    );
  const o = finite(`${field}.open`, bar.open);
  const h = finite(`${field}.high`, bar.high);
  const l = finite(`${field}.low`, bar.low);
  const c = finite(`${field}.close`, bar.close);
  const v = finite(`${field}.volume`, bar.volume);
  if (h < l) throw new ValidationError(`${field}.high`, h, `must be ≥ low (${l})`);
  if (o > h || o < l)
    throw new ValidationError(`${field}.open`, o, `must be within [low ${l}, high ${h}]`);
  if (c > h || c < l)
    throw new ValidationError(`${field}.close`, c, `must be within [low ${l}, high ${h}]`);
  if (v < 0) throw new ValidationError(`${field}.volume`, v, 'must not be negative');
  return bar;
}

/** Validates a tick: finite positive price, non-negative size. */
export function validateTick(t: Tick, field = 'tick'): Tick {
  if (!Number.isSafeInteger(t.ts))
    throw new ValidationError(
      `${field}.ts`,
      t.ts,
      'must be an integer epoch-millisecond timestamp',
    );
  if (finite(`${field}.price`, t.price) <= 0)
    throw new ValidationError(`${field}.price`, t.price, 'must be greater than 0');
  if (finite(`${field}.size`, t.size) < 0)
    throw new ValidationError(`${field}.size`, t.size, 'must not be negative');
  return t;
}

/** Validates a quote: finite, bid ≤ ask (a crossed quote is rejected), sizes ≥ 0. */
export function validateQuote(q: Quote, field = 'quote'): Quote {
  if (!Number.isSafeInteger(q.ts))
    throw new ValidationError(
      `${field}.ts`,
      q.ts,
      'must be an integer epoch-millisecond timestamp',
    );
  const b = finite(`${field}.bid`, q.bid);
  const a = finite(`${field}.ask`, q.ask);
  if (b > a) throw new ValidationError(`${field}.bid`, b, `must be ≤ ask (${a})`);
  if (finite(`${field}.bidSize`, q.bidSize) < 0)
    throw new ValidationError(`${field}.bidSize`, q.bidSize, 'must not be negative');
  if (finite(`${field}.askSize`, q.askSize) < 0)
    throw new ValidationError(`${field}.askSize`, q.askSize, 'must not be negative');
  return q;
}

/** Exact decimal price from a market-data number (shortest round-trip text). */
export function priceFromNumber(x: number, field = 'price'): Price {
  return Price.of(x, field);
}

/** Exact decimal quantity from a market-data number. */
export function quantityFromNumber(x: number, field = 'quantity'): Quantity {
  return Quantity.of(x, field);
}

/** Mid price of a quote. */
export function midPrice(q: Quote): number {
  return (q.bid + q.ask) / 2;
}

/**
 * Shared vocabulary of the SQL history ports.
 *
 * Timestamps are UTC epoch milliseconds (`number`) in every port. Money, prices and quantities
 * of orders, fills and positions are decimal.js values ({@link TradingDecimal}); candles carry
 * numbers like the domain `Bar` (ADR 0002 "hot-path numbers").
 */
import type { TradingDecimal } from '@trading/domain';

/** UTC epoch milliseconds. */
export type EpochMs = number;

/** A decimal value (decimal.js, created with `TradingDecimal`). */
export type DecimalValue = TradingDecimal;

/** Any JSON value (what a JSON/JSONB column stores and returns). */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** Half-open time range `[from, to)` in UTC epoch ms; omitted bounds are open. */
export interface TimeRange {
  readonly from?: EpochMs;
  readonly to?: EpochMs;
}

/** Paging for list queries (`limit` defaults to the adapter's maximum, e.g. 10,000). */
export interface Paging {
  readonly limit?: number;
  readonly offset?: number;
}

/**
 * Column value transformers: `numeric` ↔ decimal.js (exact, via text) and `bigint` epoch ms ↔
 * number. node-postgres returns `bigint` as a string and `numeric` as a string; PGlite returns
 * `bigint` as a number: both are handled.
 */
import { PersistenceError, TradingDecimal } from '@trading/domain';
import type { ValueTransformer } from 'typeorm';

/** Parses a `bigint` column value (string from pg, number from PGlite) into a safe integer. */
export function bigintToNumber(value: unknown, column = 'bigint'): number {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'bigint'
        ? Number(value)
        : Number(String(value));
  if (!Number.isSafeInteger(n))
    throw new PersistenceError(`column ${column} holds ${String(value)}, not a safe integer`, {
      column,
    });
  return n;
}

/** Parses a `numeric` column value (decimal text) into a TradingDecimal without float rounding. */
export function numericToDecimal(value: unknown): TradingDecimal {
  return new TradingDecimal(typeof value === 'number' ? String(value) : (value as string));
}

/** `numeric NOT NULL` ↔ TradingDecimal (written as canonical text, so 1e-12 stays exact). */
export const decimalTransformer: ValueTransformer = {
  to: (v: TradingDecimal | undefined) => (v === undefined ? undefined : v.toFixed()),
  from: (v: unknown) => numericToDecimal(v),
};

/** `numeric NULL` ↔ TradingDecimal | null. */
export const nullableDecimalTransformer: ValueTransformer = {
  to: (v: TradingDecimal | null | undefined) =>
    v === undefined ? undefined : v === null ? null : v.toFixed(),
  from: (v: unknown) => (v === null || v === undefined ? null : numericToDecimal(v)),
};

/** `bigint NOT NULL` epoch ms / sequence ↔ number. */
export const epochMsTransformer: ValueTransformer = {
  to: (v: number | undefined) => v,
  from: (v: unknown) => bigintToNumber(v),
};

/** `bigint NULL` ↔ number | null. */
export const nullableEpochMsTransformer: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: unknown) => (v === null || v === undefined ? null : bigintToNumber(v)),
};

/** Internal: small readers for decoding JSON with field paths in every error (not exported publicly). */
import { Money, Price, Quantity, ValidationError } from '@trading/domain';

/** A JSON object as read from the WAL or a snapshot. */
export type JsonObject = Record<string, unknown>;

/** Asserts `v` is a plain object. */
export function readObject(v: unknown, field: string): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new ValidationError(field, v, 'must be an object');
  return v as JsonObject;
}

/** Reads a non-empty string. */
export function readString(o: JsonObject, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0)
    throw new ValidationError(`${path}.${key}`, v, 'must be a non-empty string');
  return v;
}

/** Reads an optional string (undefined or null means absent). */
export function readOptString(o: JsonObject, key: string, path: string): string | undefined {
  return o[key] === undefined || o[key] === null ? undefined : readString(o, key, path);
}

/** Reads a finite integer timestamp (UTC epoch ms). */
export function readTime(o: JsonObject, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new ValidationError(`${path}.${key}`, v, 'must be a non-negative integer (UTC epoch ms)');
  return v;
}

/** Reads a strictly positive quantity. */
export function readQty(o: JsonObject, key: string, path: string, allowZero = false): Quantity {
  return allowZero
    ? Quantity.of(o[key] as string, `${path}.${key}`)
    : Quantity.positive(o[key] as string, `${path}.${key}`);
}

/** Reads an optional quantity. */
export function readOptQty(
  o: JsonObject,
  key: string,
  path: string,
  allowZero = false,
): Quantity | undefined {
  return o[key] === undefined || o[key] === null ? undefined : readQty(o, key, path, allowZero);
}

/** Reads a strictly positive price. */
export function readPx(o: JsonObject, key: string, path: string): Price {
  return Price.positive(o[key] as string, `${path}.${key}`);
}

/** Reads an optional strictly positive price. */
export function readOptPx(o: JsonObject, key: string, path: string): Price | undefined {
  return o[key] === undefined || o[key] === null ? undefined : readPx(o, key, path);
}

/** Reads `{ amount, currency }` money. */
export function readMoney(o: JsonObject, key: string, path: string): Money {
  const m = readObject(o[key], `${path}.${key}`);
  return Money.of(m['amount'] as string, m['currency'] as string, `${path}.${key}.amount`);
}

/** Reads one of a fixed set of strings. */
export function readEnum<T extends string>(
  o: JsonObject,
  key: string,
  path: string,
  values: readonly T[],
): T {
  const v = o[key];
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
    throw new ValidationError(`${path}.${key}`, v, `must be one of ${values.join(', ')}`);
  return v as T;
}

import { ValidationError } from '@trading/domain';
import type { JsonValue } from '@trading/engine';

/** A JSON object (what every saved state is). */
export type JsonObject = { [key: string]: JsonValue };

/** Reads a JSON object or throws a ValidationError naming `field`. */
export function readObj(v: JsonValue | undefined, field: string): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new ValidationError(field, v, 'must be an object');
  return v;
}

/** Reads a saved indicator/strategy state object and checks its `kind` tag. */
export function readKind(v: JsonValue, kind: string, field = 'state'): JsonObject {
  const o = readObj(v, field);
  if (o['kind'] !== kind)
    throw new ValidationError(`${field}.kind`, o['kind'], `must be "${kind}"`);
  return o;
}

/** Reads a number; `null` stands for NaN (JSON cannot carry NaN). */
export function readNum(o: JsonObject, key: string, field = 'state'): number {
  const v = o[key];
  if (v === null) return NaN;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ValidationError(`${field}.${key}`, v, 'must be a finite number or null');
  return v;
}

/** Reads a non-negative safe integer. */
export function readInt(o: JsonObject, key: string, field = 'state'): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new ValidationError(`${field}.${key}`, v, 'must be a non-negative integer');
  return v;
}

/** Reads an integer that must equal the configured value (e.g. a period). */
export function readSame(o: JsonObject, key: string, expected: number, field = 'state'): void {
  if (o[key] !== expected)
    throw new ValidationError(
      `${field}.${key}`,
      o[key],
      `must be ${expected} (the configured value)`,
    );
}

/** Reads an array of numbers (`null` entries → NaN). */
export function readNumArray(o: JsonObject, key: string, field = 'state'): number[] {
  const v = o[key];
  if (!Array.isArray(v))
    throw new ValidationError(`${field}.${key}`, v, 'must be an array of numbers');
  return v.map((x, i) => {
    if (x === null) return NaN;
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new ValidationError(`${field}.${key}[${i}]`, x, 'must be a finite number or null');
    return x;
  });
}

/** NaN → null so a number survives JSON. */
export function jsonNum(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

/** Validates an indicator period / window length. */
export function checkPeriod(period: number, field = 'period', min = 1): number {
  if (!Number.isSafeInteger(period) || period < min)
    throw new ValidationError(field, period, `must be an integer ≥ ${min}`);
  return period;
}

/** Reads a saved ring buffer (`buf`, `idx`, `n`) and checks it fits a window of `period` values. */
export function readRing(o: JsonObject, period: number): { buf: number[]; idx: number; n: number } {
  const buf = readNumArray(o, 'buf');
  const idx = readInt(o, 'idx');
  const n = readInt(o, 'n');
  if (buf.length !== period || idx >= period || n > period)
    throw new ValidationError(
      'state.buf',
      buf.length,
      `must hold ${period} values with idx < period and n ≤ period`,
    );
  return { buf, idx, n };
}

/** Anything with a JSON state (indicators, crossovers, trackers). */
export interface Stateful {
  toState(): JsonValue;
  fromState(state: JsonValue): void;
}

/** Saves named parts under a `kind` tag: `{ kind, name: part.toState(), … }`. */
export function saveParts(kind: string, parts: Readonly<Record<string, Stateful>>): JsonValue {
  const out: JsonObject = { kind };
  for (const [name, part] of Object.entries(parts)) out[name] = part.toState();
  return out;
}

/** Restores what {@link saveParts} saved into the same named parts (errors name `state.<part>`). */
export function loadParts(
  state: JsonValue,
  kind: string,
  parts: Readonly<Record<string, Stateful>>,
): void {
  const o = readKind(state, kind);
  for (const [name, part] of Object.entries(parts))
    part.fromState(readObj(o[name], `state.${name}`));
}

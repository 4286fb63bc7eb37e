import { Quantity, ValidationError } from '@trading/domain';
import type { StrategyParamSpec } from '@trading/engine';

/** Raw parameter values as they come from config files, CLI flags or sweeps. */
export type RawParams = Readonly<Record<string, string | number | boolean>>;

/** Parsed parameter values: integers/numbers as numbers, decimals as canonical strings. */
export type ParsedParams = Record<string, string | number | boolean>;

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function toNumber(spec: StrategyParamSpec, v: string | number | boolean): number {
  const n =
    typeof v === 'number'
      ? v
      : typeof v === 'string' && NUMERIC.test(v.trim())
        ? Number(v.trim())
        : NaN;
  if (!Number.isFinite(n))
    throw new ValidationError(
      spec.name,
      v,
      `must be ${spec.type === 'integer' ? 'an integer' : 'a number'}`,
    );
  if (spec.type === 'integer' && !Number.isSafeInteger(n))
    throw new ValidationError(spec.name, v, 'must be an integer');
  return n;
}

function checkRange(spec: StrategyParamSpec, n: number, v: unknown): void {
  if (spec.min !== undefined && n < spec.min)
    throw new ValidationError(spec.name, v, `must be ≥ ${spec.min}`);
  if (spec.max !== undefined && n > spec.max)
    throw new ValidationError(spec.name, v, `must be ≤ ${spec.max}`);
}

/**
 * Validates raw parameters against specs: applies defaults, converts numeric strings (CLI/env),
 * checks integer-ness and min/max, parses decimals exactly (returned as canonical strings).
 * Unknown names and missing required parameters are errors. Every ValidationError's `field` is the
 * parameter name.
 */
export function parseParams(
  specs: readonly StrategyParamSpec[],
  raw: RawParams = {},
): ParsedParams {
  const known = new Set(specs.map((s) => s.name));
  for (const k of Object.keys(raw))
    if (!known.has(k))
      throw new ValidationError(k, raw[k], `is not a parameter (known: ${[...known].join(', ')})`);
  const out: ParsedParams = {};
  for (const spec of specs) {
    const v = raw[spec.name] ?? spec.default;
    if (v === undefined) throw new ValidationError(spec.name, v, 'is required');
    switch (spec.type) {
      case 'integer':
      case 'number': {
        const n = toNumber(spec, v);
        checkRange(spec, n, v);
        out[spec.name] = n;
        break;
      }
      case 'decimal': {
        if (typeof v === 'boolean') throw new ValidationError(spec.name, v, 'must be a decimal');
        const q = Quantity.signed(v, spec.name);
        checkRange(spec, q.toNumber(), v);
        out[spec.name] = q.toString();
        break;
      }
      case 'boolean': {
        if (typeof v === 'boolean') out[spec.name] = v;
        else if (v === 'true' || v === 'false') out[spec.name] = v === 'true';
        else throw new ValidationError(spec.name, v, 'must be true or false');
        break;
      }
      default:
        if (typeof v !== 'string') throw new ValidationError(spec.name, v, 'must be a string');
        out[spec.name] = v;
    }
  }
  return out;
}

/** Reads a parsed positive decimal parameter as a Quantity (field = parameter name). */
export function positiveQuantity(params: ParsedParams, name: string): Quantity {
  return Quantity.positive(String(params[name]), name);
}

/** The `quantity` parameter every example strategy takes: units to buy on entry (default 100). */
export const QUANTITY_PARAM: StrategyParamSpec = {
  name: 'quantity',
  type: 'decimal',
  description: 'Units to buy on entry (> 0)',
  default: '100',
};

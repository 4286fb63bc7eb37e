import { Decimal } from '@trading/domain';

/** Options of {@link stableJson}. */
export interface StableJsonOptions {
  /** Significant digits numbers are rounded to (default 12), so float noise does not reach the output. */
  readonly precision?: number;
  /** Indentation in spaces (default 0: compact). */
  readonly indent?: number;
}

/** Default significant digits of numbers in {@link stableJson}. */
export const STABLE_JSON_PRECISION = 12;

/**
 * Canonical JSON: the same value always gives the same bytes.
 *
 * - Object keys are sorted (UTF-16 code unit order); `undefined` and function members are dropped.
 * - decimal.js values become canonical decimal strings (`toFixed()`, no exponent); other objects
 *   with a `toJSON()` (Price, Quantity, Money, …) are serialised through it; `Map`s become objects
 *   with sorted keys; bigints become strings.
 * - Safe integers (counts, epoch-ms timestamps) are written exactly; other finite numbers are
 *   rounded to `precision` significant digits and printed in shortest form; `-0` becomes `0`; `NaN` and `±Infinity` become `null` (as in `JSON.stringify`).
 * - Circular references throw a TypeError.
 */
export function stableJson(value: unknown, options: StableJsonOptions = {}): string {
  const precision = options.precision ?? STABLE_JSON_PRECISION;
  if (!Number.isInteger(precision) || precision < 1 || precision > 17)
    throw new RangeError(`precision must be an integer from 1 to 17, got ${precision}`);
  const indent = options.indent ?? 0;
  const seen = new Set<object>();

  const num = (x: number): string => {
    if (!Number.isFinite(x)) return 'null';
    if (Number.isSafeInteger(x)) return Object.is(x, -0) ? '0' : String(x);
    const r = Number(x.toPrecision(precision));
    return Object.is(r, -0) ? '0' : String(r);
  };

  const ser = (v: unknown, depth: number): string | undefined => {
    if (v === null) return 'null';
    switch (typeof v) {
      case 'string':
        return JSON.stringify(v);
      case 'number':
        return num(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'bigint':
        return JSON.stringify(v.toString());
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
    }
    if (Decimal.isDecimal(v)) return JSON.stringify((v as Decimal).toFixed());
    const obj = v as object;
    if (seen.has(obj)) throw new TypeError('stableJson: circular reference');
    seen.add(obj);
    try {
      if (Array.isArray(obj)) {
        const items = obj.map((x) => ser(x, depth + 1) ?? 'null');
        return wrap('[', ']', items, depth);
      }
      if (obj instanceof Map) {
        const rec: Record<string, unknown> = {};
        for (const [k, x] of obj) rec[String(k)] = x;
        return ser(rec, depth);
      }
      const toJSON = (obj as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return ser(toJSON.call(obj), depth);
      const parts: string[] = [];
      for (const k of Object.keys(obj).sort()) {
        const s = ser((obj as Record<string, unknown>)[k], depth + 1);
        if (s !== undefined) parts.push(JSON.stringify(k) + (indent > 0 ? ': ' : ':') + s);
      }
      return wrap('{', '}', parts, depth);
    } finally {
      seen.delete(obj);
    }
  };

  const wrap = (open: string, close: string, items: string[], depth: number): string => {
    if (items.length === 0) return open + close;
    if (indent === 0) return open + items.join(',') + close;
    const pad = ' '.repeat(indent * (depth + 1));
    return `${open}\n${pad}${items.join(`,\n${pad}`)}\n${' '.repeat(indent * depth)}${close}`;
  };

  return ser(value, 0) ?? 'null';
}

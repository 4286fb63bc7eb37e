import * as path from 'node:path';
import { z } from '@trading/config';
import {
  assertZone,
  Instrument,
  localToUtc,
  parseTimestamp,
  TradingDecimal,
  ValidationError,
} from '@trading/domain';

const decimalText = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const s = String(v).trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s) || !Number.isFinite(Number(s))) {
    ctx.addIssue({ code: 'custom', message: 'must be a decimal number' });
    return z.NEVER;
  }
  return s;
});
const positiveDecimal = decimalText.refine((s) => Number(s) > 0, 'must be greater than 0');
const nonNegativeDecimal = decimalText.refine((s) => Number(s) >= 0, 'must not be negative');

/** One data file = one instrument. */
export const dataSourceSchema = z.object({
  path: z.string().min(1, 'must be a file path'),
  symbol: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.\-/^]{0,31}$/, 'must be 1-32 letters, digits or ._-/^')
    .optional(),
  venue: z
    .string()
    .regex(/^[A-Z0-9_]{1,16}$/)
    .default('SIM'),
  format: z.enum(['auto', 'ohlcv', 'date-time-ohlcv', 'yahoo', 'tick']).optional(),
  timeZone: z.string().optional(),
  sessionClose: z
    .string()
    .regex(/^\d{2}:\d{2}$/, 'must be HH:mm')
    .optional(),
  assetClass: z.enum(['EQUITY', 'FUTURE', 'FX', 'CRYPTO', 'OPTION', 'INDEX']).default('EQUITY'),
  tickSize: positiveDecimal.default('0.01'),
  lotSize: positiveDecimal.default('1'),
  multiplier: positiveDecimal.default('1'),
  currency: z
    .string()
    .regex(/^[A-Z][A-Z0-9]{2,9}$/)
    .default('USD'),
});

/** A validated backtest run (file + env + CLI merged). */
export const runConfigSchema = z.object({
  data: z
    .array(dataSourceSchema, { error: 'needs a list of data files (--data [SYMBOL=]path)' })
    .min(1, 'needs at least one data file (--data [SYMBOL=]path)'),
  strategy: z
    .object({
      name: z
        .string({ error: 'must name a strategy (--strategy, see `backtest list-strategies`)' })
        .min(1, 'must name a strategy (--strategy, see `backtest list-strategies`)'),
      id: z
        .string()
        .regex(/^[A-Za-z0-9._:-]{1,64}$/)
        .optional(),
      params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    })
    .prefault(() => ({ name: '' })),
  cash: positiveDecimal.default('100000'),
  commission: z
    .object({
      perUnit: nonNegativeDecimal.optional(),
      perOrder: nonNegativeDecimal.optional(),
      pctOfNotional: nonNegativeDecimal.optional(),
      minimum: nonNegativeDecimal.optional(),
    })
    .strict()
    .default({}),
  slippage: z
    .union([
      z.object({ bps: nonNegativeDecimal }).strict(),
      z.object({ ticks: nonNegativeDecimal }).strict(),
      z.object({}).strict(),
    ])
    .default({}),
  fill: z.enum(['next-open', 'close']).default('next-open'),
  latencyMs: z.coerce.number().int().min(0).default(0),
  participation: positiveDecimal.refine((s) => Number(s) <= 1, 'must be at most 1').optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  timeZone: z.string().default('America/New_York'),
  out: z.string().min(1).default('out/backtest'),
  skipBadRows: z.boolean().default(false),
  cacheDir: z.union([z.string(), z.literal(false)]).default('.cache/bars'),
  risk: z.record(z.string(), z.unknown()).optional(),
  title: z.string().optional(),
});

/** The validated run configuration. */
export type RunConfig = z.output<typeof runConfigSchema>;
/** A validated data source. */
export type DataSourceConfig = z.output<typeof dataSourceSchema>;

/** Symbol of a data file: explicit, else the file name up to the first `-`, `_` or `.` (upper-cased). */
export function symbolOf(d: DataSourceConfig): string {
  if (d.symbol) return d.symbol;
  const base = path.basename(d.path).split(/[-_.]/)[0];
  if (!base)
    throw new ValidationError(
      'data.symbol',
      d.path,
      'cannot derive a symbol from the file name: give SYMBOL=path',
    );
  return base.toUpperCase();
}

/** The instrument a data source trades; `defaultZone` (the run's time zone) applies when the source names none. */
export function instrumentOf(d: DataSourceConfig, defaultZone = 'America/New_York'): Instrument {
  return new Instrument({
    id: `${symbolOf(d)}.${d.venue}`,
    assetClass: d.assetClass,
    tickSize: d.tickSize,
    lotSize: d.lotSize,
    multiplier: d.multiplier,
    currency: d.currency,
    timeZone: d.timeZone ?? defaultZone,
  });
}

/**
 * Parses `--from`/`--to`: an ISO timestamp with offset, a local date-time, or a date (midnight),
 * both local forms in the run's time zone.
 */
export function parseBound(
  text: string | undefined,
  zone: string,
  field: 'from' | 'to',
): number | undefined {
  if (text === undefined) return undefined;
  assertZone(zone, 'timeZone');
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    try {
      return localToUtc(`${text}T00:00:00`, zone, field);
    } catch (e) {
      // Name the value as given (not the derived midnight time stamp).
      if (e instanceof ValidationError) {
        throw new ValidationError(
          field,
          text,
          `must be a valid date YYYY-MM-DD whose midnight exists in ${zone}`,
        );
      }
      throw e;
    }
  }
  return parseTimestamp(text, { zone, field });
}

const NUM = '([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?)';
const COMMISSION_PARTS: readonly [RegExp, string, number][] = [
  [new RegExp(`^${NUM}\\s*/\\s*(?:unit|share|contract)$`), 'perUnit', 0],
  [new RegExp(`^${NUM}\\s*/\\s*order$`), 'perOrder', 0],
  [new RegExp(`^${NUM}\\s*%$`), 'pctOfNotional', 2],
  [new RegExp(`^${NUM}\\s*bps$`), 'pctOfNotional', 4],
  [new RegExp(`^min(?:imum)?\\s*=\\s*${NUM}$`), 'minimum', 0],
];

/**
 * `"0.005/unit,min=1"`, `"1/order"`, `"0.1%"`, `"5bps"` → commission spec (decimal text; percent and
 * basis points are converted exactly, `"0.7%"` → `"0.007"`).
 */
export function parseCommission(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const hit = COMMISSION_PARTS.map(([re, key, shift]) => ({
      m: part.match(re),
      key,
      shift,
    })).find((h) => h.m !== null);
    if (!hit?.m)
      throw new ValidationError(
        'commission',
        text,
        'must be a comma list of N/unit, N/order, N%, Nbps, min=N (e.g. "0.005/unit,min=1")',
      );
    const v = hit.m[1];
    out[hit.key] = hit.shift === 0 ? v : new TradingDecimal(v).div(10 ** hit.shift).toFixed();
  }
  return out;
}

/** `"5bps"`, `"2ticks"`, `"1tick"`, `"0"` → slippage spec. */
export function parseSlippage(text: string): Record<string, string> {
  const t = text.trim();
  let m: RegExpMatchArray | null;
  if (t === '0' || t === 'none') return {};
  if ((m = t.match(/^(\d+(?:\.\d*)?|\.\d+)\s*bps$/))) return { bps: m[1] };
  if ((m = t.match(/^(\d+(?:\.\d*)?|\.\d+)\s*ticks?$/))) return { ticks: m[1] };
  throw new ValidationError(
    'slippage',
    text,
    'must be Nbps or Nticks (e.g. "5bps", "1tick") or none',
  );
}

/** `SYMBOL=path` or `path`. */
export function parseDataArg(arg: string): { path: string; symbol?: string } {
  const i = arg.indexOf('=');
  if (i > 0 && !arg.slice(0, i).includes('/'))
    return { symbol: arg.slice(0, i), path: arg.slice(i + 1) };
  return { path: arg };
}

/** `k=v` → [k, v] (numbers and booleans stay text; strategies validate their params). */
export function parseParamArg(arg: string): [string, string] {
  const i = arg.indexOf('=');
  if (i <= 0) throw new ValidationError('param', arg, 'must be key=value');
  return [arg.slice(0, i).trim(), arg.slice(i + 1).trim()];
}

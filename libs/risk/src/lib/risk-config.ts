import {
  assertZone,
  ConfigError,
  Decimal,
  DecimalInput,
  describeValue,
  toDecimal,
} from '@trading/domain';

/**
 * Risk limits as written in a config file. Every control is optional: absent = disabled.
 * Percentages are in percent (`5` = 5 %). Quantities and amounts are decimals (string, number or Decimal).
 */
export interface RiskConfigInput {
  /** Fat finger: largest quantity of one order. */
  maxOrderQuantity?: DecimalInput;
  /** Largest notional (price × quantity × multiplier) of one order. */
  maxOrderNotional?: DecimalInput;
  /** Limit/stop-limit price must lie within ± this % of the last price. */
  priceCollarPct?: DecimalInput;
  /** Largest absolute post-trade position quantity per instrument. */
  maxPositionQuantity?: DecimalInput;
  /** Largest absolute post-trade position notional per instrument. */
  maxPositionNotional?: DecimalInput;
  /** Largest post-trade position notional per instrument as % of equity. */
  maxPositionPctOfEquity?: DecimalInput;
  /** Most instruments with an open position; an order opening one more is rejected. */
  maxOpenPositions?: number;
  /** Most submissions per exchange day (America/New_York date by default). */
  maxOrdersPerDay?: number;
  /** Most submissions in any sliding 1 s window. */
  maxOrdersPerSecond?: number;
  /** Daily loss (startOfDayEquity − equity) at or beyond this amount → REDUCING. */
  dailyLossLimit?: DecimalInput;
  /** Drawdown from peak equity at or beyond this % → kill switch (HALTED, cancel all). */
  maxDrawdownPct?: DecimalInput;
  /** Reject orders while the trading calendar says the market is closed. */
  enforceTradingHours?: boolean;
  /** If given, only these instrument ids may trade. */
  allowedInstruments?: readonly string[];
  /** These instrument ids may never trade. */
  deniedInstruments?: readonly string[];
  /** Time zone whose calendar date defines "a day" for orders/day and the daily loss reset. */
  timeZone?: string;
}

/** Validated, immutable risk limits (null = control disabled). */
export interface RiskConfig {
  readonly maxOrderQuantity: Decimal | null;
  readonly maxOrderNotional: Decimal | null;
  readonly priceCollarPct: Decimal | null;
  readonly maxPositionQuantity: Decimal | null;
  readonly maxPositionNotional: Decimal | null;
  readonly maxPositionPctOfEquity: Decimal | null;
  readonly maxOpenPositions: number | null;
  readonly maxOrdersPerDay: number | null;
  readonly maxOrdersPerSecond: number | null;
  readonly dailyLossLimit: Decimal | null;
  readonly maxDrawdownPct: Decimal | null;
  readonly enforceTradingHours: boolean;
  readonly allowedInstruments: ReadonlySet<string> | null;
  readonly deniedInstruments: ReadonlySet<string>;
  readonly timeZone: string;
}

const KEYS: ReadonlySet<string> = new Set([
  'maxOrderQuantity',
  'maxOrderNotional',
  'priceCollarPct',
  'maxPositionQuantity',
  'maxPositionNotional',
  'maxPositionPctOfEquity',
  'maxOpenPositions',
  'maxOrdersPerDay',
  'maxOrdersPerSecond',
  'dailyLossLimit',
  'maxDrawdownPct',
  'enforceTradingHours',
  'allowedInstruments',
  'deniedInstruments',
  'timeZone',
]);

function fail(field: string, value: unknown, expectation: string): never {
  throw new ConfigError(`risk.${field}: ${expectation}, got ${describeValue(value)}`, {
    field: `risk.${field}`,
  });
}

function positiveDecimal(
  src: Record<string, unknown>,
  field: string,
  maxInclusive?: number,
): Decimal | null {
  const v = src[field];
  if (v === undefined) return null;
  let d: Decimal;
  try {
    d = toDecimal(v, field);
  } catch {
    return fail(field, v, 'must be a decimal number');
  }
  if (d.lte(0)) fail(field, v, 'must be greater than 0');
  if (maxInclusive !== undefined && d.gt(maxInclusive))
    fail(field, v, `must be at most ${maxInclusive}`);
  return d;
}

function integer(
  src: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
): number | null {
  const v = src[field];
  if (v === undefined) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    fail(field, v, `must be an integer from ${min} to ${max}`);
  return v;
}

function idSet(src: Record<string, unknown>, field: string): Set<string> | null {
  const v = src[field];
  if (v === undefined) return null;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && s.length > 0))
    fail(field, v, 'must be an array of instrument ids');
  return new Set(v as string[]);
}

/** Validates risk limits; throws ConfigError naming the field, the value and the expectation. */
export function parseRiskConfig(input: unknown): RiskConfig {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    fail('', input, 'must be an object');
  const src = input as Record<string, unknown>;
  for (const k of Object.keys(src))
    if (!KEYS.has(k)) fail(k, src[k], `is not a risk setting (known: ${[...KEYS].join(', ')})`);
  const eth = src['enforceTradingHours'];
  if (eth !== undefined && typeof eth !== 'boolean')
    fail('enforceTradingHours', eth, 'must be true or false');
  const tz = src['timeZone'] ?? 'America/New_York';
  try {
    assertZone(tz as string);
  } catch {
    fail('timeZone', tz, 'must be an IANA time zone like "America/New_York"');
  }
  return Object.freeze({
    maxOrderQuantity: positiveDecimal(src, 'maxOrderQuantity'),
    maxOrderNotional: positiveDecimal(src, 'maxOrderNotional'),
    priceCollarPct: positiveDecimal(src, 'priceCollarPct', 100),
    maxPositionQuantity: positiveDecimal(src, 'maxPositionQuantity'),
    maxPositionNotional: positiveDecimal(src, 'maxPositionNotional'),
    maxPositionPctOfEquity: positiveDecimal(src, 'maxPositionPctOfEquity', 100),
    maxOpenPositions: integer(src, 'maxOpenPositions', 0, 1_000_000),
    maxOrdersPerDay: integer(src, 'maxOrdersPerDay', 1, 1_000_000_000),
    maxOrdersPerSecond: integer(src, 'maxOrdersPerSecond', 1, 100_000),
    dailyLossLimit: positiveDecimal(src, 'dailyLossLimit'),
    maxDrawdownPct: positiveDecimal(src, 'maxDrawdownPct', 100),
    enforceTradingHours: eth === true,
    allowedInstruments: idSet(src, 'allowedInstruments'),
    deniedInstruments: idSet(src, 'deniedInstruments') ?? new Set<string>(),
    timeZone: tz as string,
  });
}

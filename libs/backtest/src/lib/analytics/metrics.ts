import {
  assertZone,
  Decimal,
  DecimalInput,
  MAX_EXACT_SCALE as MAX_EXACT_SCALE_IMPORTED,
  MS,
  Scaled,
  scaledInt as scaledIntImported,
  toDecimal as toDecimalImported,
  TradingDecimal,
  ValidationError,
} from '@trading/domain';
import { EquityPoint, FillRecord, RoundTripTrade } from './analytics.types';
import { ExactSum, scaledOf } from './exact-decimal';
import {
  DEFAULT_REPORT_TIME_ZONE,
  drawdownPeriods,
  equityValues,
  msToDays,
  resampleToTradingDays,
  simpleReturns,
} from './equity-series';

// Module-local aliases: an imported binding is read through a re-export getter on every use
// (CommonJS output), and the totals below run these on every fill and trade.
const toDecimal = toDecimalImported;
const scaledInt = scaledIntImported;
const MAX_EXACT_SCALE = MAX_EXACT_SCALE_IMPORTED;

/** Days per year used for CAGR (calendar time). */
export const DAYS_PER_YEAR = 365.25;
/** Default number of return periods per year (daily returns). */
export const DEFAULT_PERIODS_PER_YEAR = 252;
/** Decimal places money values are rounded to in {@link BacktestMetrics} (half-even). */
export const METRICS_MONEY_PLACES = 10;

/** Inputs of {@link computeMetrics}. */
export interface MetricsInput {
  /** Equity curve sorted by time (the engine should record a first point at the start with equity = starting cash). */
  readonly equityCurve: readonly EquityPoint[];
  /** Closed round trips. */
  readonly trades: readonly RoundTripTrade[];
  /** All fills (for commissions, turnover and, unless given, exposure). */
  readonly fills: readonly FillRecord[];
  /** Starting cash: the base of total return and CAGR. */
  readonly startingCash: DecimalInput;
  /** Return periods per year for annualising (default 252, daily). */
  readonly periodsPerYear?: number;
  /** Annual risk-free rate as a fraction (default 0). */
  readonly riskFreeRate?: number;
  /**
   * How the curve is turned into a return series: `'trading-day'` (default) keeps the last point of
   * each exchange-local calendar day in `timeZone`; `'none'` uses the points as given (then set
   * `periodsPerYear` to match their frequency).
   */
  readonly resample?: 'trading-day' | 'none';
  /** Exchange time zone for the trading-day cut (default America/New_York). */
  readonly timeZone?: string;
  /** Exposure override (fraction of time with a non-flat position, 0..1). */
  readonly exposure?: number;
  /** Bars with a non-flat position; with `totalBars` gives exposure = barsInMarket / totalBars. */
  readonly barsInMarket?: number;
  readonly totalBars?: number;
  /**
   * The sums over `trades`, accumulated by the caller in the same order while the trades were
   * made (a backtest feeds them as it goes, instead of a pass over 100,000s of cold records at the
   * end). Must cover exactly `trades` (checked by count). Default: summed here.
   */
  readonly tradeTotals?: TradeTotals;
  /** The same for `fills`. */
  readonly fillTotals?: FillTotals;
}

/**
 * Exact running sums of closed trades for {@link computeMetrics} (scaled integers while they fit,
 * else decimal.js, in the order added): net P&L, gross profit and loss, wins and losses.
 */
export class TradeTotals {
  private readonly totalNetSum = new ExactSum();
  private readonly grossProfitSum = new ExactSum();
  private readonly grossLossSum = new ExactSum();
  private readonly s: Scaled = { n: 0, scale: 0 };
  private n = 0;
  private w = 0;
  private l = 0;

  /** Adds one trade (validates its net P&L). */
  add(t: RoundTripTrade): void {
    const net = toDecimal(t.netPnl, 'trade.netPnl');
    // the net P&L read as a scaled integer once for both of its sums
    const s = this.s;
    const exact = scaledInt(net, s);
    if (!(exact && this.totalNetSum.addScaled(s.n, s.scale))) this.totalNetSum.add(net);
    this.n++;
    // net > 0 / net < 0 without a comparison (a finite decimal: non-zero and its sign), from its
    // integer when it has one (the decimal itself is then not read: see rememberScaled)
    if (exact ? s.n !== 0 : !net.isZero()) {
      if (exact ? s.n > 0 : net.isPositive()) {
        this.w++;
        if (!(exact && this.grossProfitSum.addScaled(s.n, s.scale))) this.grossProfitSum.add(net);
      } else {
        this.l++;
        if (!(exact && this.grossLossSum.addScaled(-s.n, s.scale))) this.grossLossSum.sub(net);
      }
    }
  }

  /** Trades added. */
  get count(): number {
    return this.n;
  }
  /** Trades with net P&L > 0. */
  get wins(): number {
    return this.w;
  }
  /** Trades with net P&L < 0. */
  get losses(): number {
    return this.l;
  }
  /** Σ net P&L. */
  totalNet(): Decimal {
    return this.totalNetSum.value();
  }
  /** Σ net P&L of the winning trades. */
  grossProfit(): Decimal {
    return this.grossProfitSum.value();
  }
  /** Σ |net| of the losing trades (≥ 0). */
  grossLoss(): Decimal {
    return this.grossLossSum.value();
  }
}

/**
 * Exact running sums of fills for {@link computeMetrics}: traded notional |quantity × price ×
 * multiplier| (one integer product when the factors are small scaled integers: the same exact
 * value decimal.js's products have) and commissions.
 */
export class FillTotals {
  private readonly notionalSum = new ExactSum();
  private readonly commissionSum = new ExactSum();
  private readonly sq: Scaled = { n: 0, scale: 0 };
  private readonly sp: Scaled = { n: 0, scale: 0 };
  private readonly sm: Scaled = { n: 0, scale: 0 };
  private readonly sc: Scaled = { n: 0, scale: 0 };
  // the last multiplier and commission seen and their scaled integers (in sm, sc) when they fit
  private lastMult: Decimal | undefined;
  private lastMultOne = false;
  private lastMultExact = false;
  private lastCommission: Decimal | undefined;
  private lastCommissionExact = false;
  private n = 0;

  /** Adds one fill (validates its quantity, price, multiplier and commission). */
  add(f: FillRecord): void {
    const quantity = toDecimal(f.quantity, 'fill.quantity');
    const price = toDecimal(f.price, 'fill.price');
    let mult: Decimal | undefined;
    if (f.multiplier) {
      mult = toDecimal(f.multiplier, 'fill.multiplier');
      if (mult !== this.lastMult) {
        this.lastMult = mult;
        this.lastMultOne = mult.eq(ONE);
        this.lastMultExact = scaledInt(mult, this.sm);
      }
      if (this.lastMultOne) mult = undefined; // × 1 changes nothing
    }
    const sq = this.sq;
    const sp = this.sp;
    let added = false;
    // (scaledOf: the tracker reads the same quantity and price right after)
    if (scaledOf(quantity, sq) && scaledOf(price, sp)) {
      let prod = sq.n * sp.n;
      let scale = sq.scale + sp.scale;
      if (mult !== undefined) {
        if (this.lastMultExact) {
          prod *= this.sm.n;
          scale += this.sm.scale;
        } else prod = NaN;
      }
      added =
        Number.isSafeInteger(prod) &&
        scale <= MAX_EXACT_SCALE &&
        this.notionalSum.addScaled(Math.abs(prod), scale);
    }
    if (!added) {
      let notional = quantity.mul(price);
      if (mult !== undefined) notional = notional.mul(mult);
      this.notionalSum.add(notional.isNegative() ? notional.abs() : notional);
    }
    const commission = toDecimal(f.commission, 'fill.commission');
    if (!commission.isZero()) {
      // (often the instance of the previous fill: a fixed commission)
      const sc = this.sc;
      if (commission !== this.lastCommission) {
        this.lastCommission = commission;
        this.lastCommissionExact = scaledInt(commission, sc);
      }
      if (!(this.lastCommissionExact && this.commissionSum.addScaled(sc.n, sc.scale)))
        this.commissionSum.add(commission);
    }
    this.n++;
  }

  /** Fills added. */
  get count(): number {
    return this.n;
  }
  /** Σ |quantity × price × multiplier|. */
  notional(): Decimal {
    return this.notionalSum.value();
  }
  /** Σ commission. */
  commission(): Decimal {
    return this.commissionSum.value();
  }
}

/** How `exposure` was obtained. */
export type ExposureSource = 'input' | 'bars' | 'fills';

/**
 * Performance summary of a backtest. Ratios are plain numbers (analytics; `null` when undefined,
 * e.g. Sharpe of a flat curve); money values are decimal strings in account currency.
 * `profitFactor` is `Infinity` when there are winning trades and no losing ones; JSON has no
 * Infinity, so it serialises to `null` (use `grossProfit` / `grossLoss` to tell the cases apart).
 */
export interface BacktestMetrics {
  readonly startTs: number | null;
  readonly endTs: number | null;
  readonly startingCash: string;
  readonly finalEquity: string;
  /** finalEquity − startingCash. */
  readonly netProfit: string;
  /** finalEquity / startingCash − 1. */
  readonly totalReturn: number | null;
  /** (1 + totalReturn)^(365.25 days / (endTs − startTs)) − 1; −1 when final equity ≤ 0. */
  readonly cagr: number | null;
  /** Number of returns in the (resampled) return series. */
  readonly returnPeriods: number;
  readonly periodsPerYear: number;
  /** Sample standard deviation (n − 1) of period returns × √periodsPerYear. */
  readonly annualVolatility: number | null;
  /** mean(r − rf) / stdev(r − rf) × √periodsPerYear; null when stdev is 0 or fewer than 2 returns. */
  readonly sharpe: number | null;
  /** mean(r − rf) × √P / √(mean(min(r − rf, 0)²)) (target 0, all periods in the mean); null when there is no downside. */
  readonly sortino: number | null;
  /** cagr / maxDrawdown; null when there is no drawdown. */
  readonly calmar: number | null;
  /** Largest fractional fall from a running peak (0.1 = 10 %); may exceed 1 with negative equity. */
  readonly maxDrawdown: number;
  readonly maxDrawdownStartTs: number | null;
  readonly maxDrawdownTroughTs: number | null;
  /** Recovery time of the max drawdown; null when it never recovered. */
  readonly maxDrawdownEndTs: number | null;
  /** Longest peak-to-recovery (or to end of data when unrecovered) time, ms. */
  readonly maxDrawdownDurationMs: number;
  /** The same in calendar days. */
  readonly maxDrawdownDurationDays: number;
  readonly tradeCount: number;
  readonly winningTrades: number;
  readonly losingTrades: number;
  /** winningTrades / tradeCount (net P&L > 0 wins, < 0 loses, 0 is neither). */
  readonly winRate: number | null;
  /** Sum of net P&L of winning trades. */
  readonly grossProfit: string;
  /** Sum of net P&L of losing trades, as a positive amount. */
  readonly grossLoss: string;
  /** grossProfit / grossLoss; Infinity (→ null in JSON) with no losses; null with no trades or all zero. */
  readonly profitFactor: number | null;
  /** Mean net P&L per trade. */
  readonly expectancy: string | null;
  /** Mean net P&L of winning trades. */
  readonly averageWin: string | null;
  /** Mean net P&L of losing trades (negative). */
  readonly averageLoss: string | null;
  /** Sum of net P&L of closed trades. */
  readonly totalTradeNetPnl: string;
  /** Fraction of time (0..1) with a non-flat position. */
  readonly exposure: number | null;
  readonly exposureSource: ExposureSource;
  readonly fillCount: number;
  /** Σ |quantity × price × multiplier| over fills. */
  readonly tradedNotional: string;
  /** tradedNotional / mean equity of the return-series points. */
  readonly turnover: number | null;
  /** Σ fill commissions. */
  readonly totalCommission: string;
}

const ZERO = new TradingDecimal(0);
const ONE = new TradingDecimal(1);

const money = (d: Decimal): string =>
  d.toDecimalPlaces(METRICS_MONEY_PLACES, TradingDecimal.ROUND_HALF_EVEN).toFixed();

/** The given totals (checked to cover `records` by count), or totals summed over `records`. */
function totalsOf<R, T extends { add(r: R): void; readonly count: number }>(
  given: T | undefined,
  records: readonly R[],
  field: string,
  create: () => T,
): T {
  if (given !== undefined) {
    if (given.count !== records.length)
      throw new ValidationError(field, given.count, `must cover all ${records.length} records`);
    return given;
  }
  const t = create();
  for (const r of records) t.add(r);
  return t;
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

function sampleStd(xs: readonly number[]): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.sqrt(s / (xs.length - 1));
}

/** Computes {@link BacktestMetrics} from a finished (or partial) backtest. Pure and deterministic. */
export function computeMetrics(input: MetricsInput): BacktestMetrics {
  const periodsPerYear = input.periodsPerYear ?? DEFAULT_PERIODS_PER_YEAR;
  if (!(periodsPerYear > 0) || !Number.isFinite(periodsPerYear))
    throw new ValidationError('periodsPerYear', periodsPerYear, 'must be a positive number');
  const riskFreeRate = input.riskFreeRate ?? 0;
  if (!Number.isFinite(riskFreeRate) || riskFreeRate <= -1)
    throw new ValidationError('riskFreeRate', riskFreeRate, 'must be a finite fraction above -1');
  const timeZone = assertZone(input.timeZone ?? DEFAULT_REPORT_TIME_ZONE);
  const startingCash = toDecimal(input.startingCash, 'startingCash');
  const curve = input.equityCurve;
  for (let i = 1; i < curve.length; i++) {
    if (curve[i].ts < curve[i - 1].ts)
      throw new ValidationError(
        `equityCurve[${i}].ts`,
        curve[i].ts,
        'must not be before the previous point',
      );
  }

  const first = curve[0];
  const last = curve[curve.length - 1];
  const finalEquity = last ? toDecimal(last.equity, 'equity') : startingCash;
  const startTs = first ? first.ts : null;
  const endTs = last ? last.ts : null;

  // Returns.
  const totalReturn = startingCash.gt(0) ? finalEquity.div(startingCash).sub(1).toNumber() : null;
  let cagr: number | null = null;
  if (totalReturn !== null && startTs !== null && endTs !== null && endTs > startTs) {
    const years = (endTs - startTs) / (DAYS_PER_YEAR * MS.DAY);
    cagr = 1 + totalReturn <= 0 ? -1 : finiteOrNull(Math.pow(1 + totalReturn, 1 / years) - 1);
  }
  const sampled = input.resample === 'none' ? [...curve] : resampleToTradingDays(curve, timeZone);
  const sampledValues = sampled.map((p) => p.equity.toNumber());
  const returns = simpleReturns(sampledValues);
  const rfPerPeriod = Math.pow(1 + riskFreeRate, 1 / periodsPerYear) - 1;
  const excess = returns.map((r) => r - rfPerPeriod);
  const sqrtP = Math.sqrt(periodsPerYear);
  let annualVolatility: number | null = null;
  let sharpe: number | null = null;
  let sortino: number | null = null;
  if (returns.length >= 2) {
    const std = sampleStd(returns);
    annualVolatility = std * sqrtP;
    const exStd = sampleStd(excess);
    sharpe = exStd > 1e-14 ? finiteOrNull((mean(excess) / exStd) * sqrtP) : null;
  }
  if (returns.length >= 1) {
    const downside = Math.sqrt(mean(excess.map((x) => (x < 0 ? x * x : 0))));
    sortino = downside > 0 ? finiteOrNull((mean(excess) / downside) * sqrtP) : null;
  }

  // Drawdown (full-resolution curve).
  const periods = drawdownPeriods(equityValues(curve));
  let maxDd = periods.length > 0 ? periods[0] : null;
  let longest = 0;
  for (const p of periods) {
    if (maxDd && p.depth > maxDd.depth) maxDd = p;
    if (p.durationMs > longest) longest = p.durationMs;
  }
  const maxDrawdown = maxDd ? maxDd.depth : 0;
  const calmar = cagr !== null && maxDrawdown > 0 ? finiteOrNull(cagr / maxDrawdown) : null;

  // Trades and fills: exact sums (see TradeTotals, FillTotals), given or summed here.
  const tt = totalsOf(input.tradeTotals, input.trades, 'tradeTotals', () => new TradeTotals());
  const ft = totalsOf(input.fillTotals, input.fills, 'fillTotals', () => new FillTotals());
  const wins = tt.wins;
  const losses = tt.losses;
  const totalNet = tt.totalNet();
  const grossProfit = tt.grossProfit();
  const grossLoss = tt.grossLoss();
  const n = input.trades.length;
  let profitFactor: number | null = null;
  if (grossLoss.gt(0)) profitFactor = grossProfit.div(grossLoss).toNumber();
  else if (grossProfit.gt(0)) profitFactor = Infinity;
  const tradedNotional = ft.notional();
  const totalCommission = ft.commission();
  const meanEquity = sampledValues.length > 0 ? mean(sampledValues) : startingCash.toNumber();
  const turnover = meanEquity > 0 ? finiteOrNull(tradedNotional.toNumber() / meanEquity) : null;

  const { exposure, exposureSource } = resolveExposure(input, curve);

  return {
    startTs,
    endTs,
    startingCash: money(startingCash),
    finalEquity: money(finalEquity),
    netProfit: money(finalEquity.sub(startingCash)),
    totalReturn: totalReturn === null ? null : finiteOrNull(totalReturn),
    cagr,
    returnPeriods: returns.length,
    periodsPerYear,
    annualVolatility,
    sharpe,
    sortino,
    calmar,
    maxDrawdown,
    maxDrawdownStartTs: maxDd ? maxDd.startTs : null,
    maxDrawdownTroughTs: maxDd ? maxDd.troughTs : null,
    maxDrawdownEndTs: maxDd ? maxDd.endTs : null,
    maxDrawdownDurationMs: longest,
    maxDrawdownDurationDays: msToDays(longest),
    tradeCount: n,
    winningTrades: wins,
    losingTrades: losses,
    winRate: n > 0 ? wins / n : null,
    grossProfit: money(grossProfit),
    grossLoss: money(grossLoss),
    profitFactor,
    expectancy: n > 0 ? money(totalNet.div(n)) : null,
    averageWin: wins > 0 ? money(grossProfit.div(wins)) : null,
    averageLoss: losses > 0 ? money(grossLoss.neg().div(losses)) : null,
    totalTradeNetPnl: money(totalNet),
    exposure,
    exposureSource,
    fillCount: input.fills.length,
    tradedNotional: money(tradedNotional),
    turnover,
    totalCommission: money(totalCommission),
  };
}

function resolveExposure(
  input: MetricsInput,
  curve: readonly EquityPoint[],
): { exposure: number | null; exposureSource: ExposureSource } {
  if (input.exposure !== undefined) {
    if (!(input.exposure >= 0 && input.exposure <= 1))
      throw new ValidationError('exposure', input.exposure, 'must be a fraction between 0 and 1');
    return { exposure: input.exposure, exposureSource: 'input' };
  }
  if (input.barsInMarket !== undefined && input.totalBars !== undefined) {
    if (
      !(input.totalBars > 0) ||
      !(input.barsInMarket >= 0) ||
      input.barsInMarket > input.totalBars
    ) {
      throw new ValidationError(
        'barsInMarket',
        input.barsInMarket,
        `must be between 0 and totalBars (${input.totalBars})`,
      );
    }
    return { exposure: input.barsInMarket / input.totalBars, exposureSource: 'bars' };
  }
  return { exposure: exposureFromFills(input.fills, curve), exposureSource: 'fills' };
}

/**
 * Time-weighted exposure: the share of `[first, last]` curve time during which any instrument had a
 * non-zero net position. The position held over the interval `[t_i, t_{i+1})` is the one after all
 * fills with `ts ≤ t_i`. Null when the curve spans no time.
 */
export function exposureFromFills(
  fills: readonly FillRecord[],
  curve: readonly { ts: number }[],
): number | null {
  if (curve.length < 2) return null;
  const total = curve[curve.length - 1].ts - curve[0].ts;
  if (total <= 0) return null;
  const sorted = [...fills].sort((a, b) => a.ts - b.ts);
  const positions = new Map<string, Decimal>();
  let nonFlat = 0;
  let fi = 0;
  let inMarket = 0;
  for (let i = 0; i < curve.length - 1; i++) {
    while (fi < sorted.length && sorted[fi].ts <= curve[i].ts) {
      const f = sorted[fi++];
      const before = positions.get(f.instrumentId) ?? ZERO;
      const q = toDecimal(f.quantity, 'fill.quantity');
      const after = f.side === 'BUY' ? before.add(q) : before.sub(q);
      if (before.isZero() && !after.isZero()) nonFlat++;
      if (!before.isZero() && after.isZero()) nonFlat--;
      positions.set(f.instrumentId, after);
    }
    if (nonFlat > 0) inMarket += curve[i + 1].ts - curve[i].ts;
  }
  return inMarket / total;
}

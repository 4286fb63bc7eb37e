import { TradingDecimal, ZERO } from '@trading/domain';

const HUNDRED = new TradingDecimal(100);

/**
 * Equity curve, peak, drawdown and the daily P&L baseline (internal to Portfolio).
 * Updated only when a point is recorded (the engine's sampling cadence), never per mark.
 */
export class EquityTracker {
  readonly times: number[] = [];
  readonly values: TradingDecimal[] = [];
  /** Highest recorded equity, shifted by external cash flows; null before the first point. */
  peak: TradingDecimal | null = null;
  drawdown: TradingDecimal = ZERO;
  drawdownPct: TradingDecimal = ZERO;
  maxDrawdown: TradingDecimal = ZERO;
  maxDrawdownPct: TradingDecimal = ZERO;
  /** Exchange-local date of the current trading day; null before the first point. */
  day: string | null = null;
  /** Equity the current day's P&L is measured from. */
  dayStart: TradingDecimal;
  /** Last recorded equity (shifted by external flows since); null before the first point. */
  lastRecorded: TradingDecimal | null = null;

  constructor(initialEquity: TradingDecimal) {
    this.dayStart = initialEquity;
  }

  /** Starts a new day whose P&L baseline is the last recorded equity (or the current baseline). */
  roll(date: string, openingEquity: TradingDecimal): void {
    this.day = date;
    this.dayStart = openingEquity;
  }

  /** Baseline a new day would get: the previous day's last recorded equity. */
  nextDayBaseline(): TradingDecimal {
    return this.lastRecorded ?? this.dayStart;
  }

  /** Appends a point and updates peak and drawdown. */
  record(ts: number, equity: TradingDecimal): void {
    this.times.push(ts);
    this.values.push(equity);
    this.lastRecorded = equity;
    if (this.peak === null || equity.gt(this.peak)) this.peak = equity;
    this.drawdown = this.peak.sub(equity);
    this.drawdownPct = this.peak.gt(0) ? this.drawdown.div(this.peak).mul(HUNDRED) : ZERO;
    if (this.drawdown.gt(this.maxDrawdown)) this.maxDrawdown = this.drawdown;
    if (this.drawdownPct.gt(this.maxDrawdownPct)) this.maxDrawdownPct = this.drawdownPct;
  }

  /** A deposit (+) or withdrawal (−) is not performance: shift every baseline by it. */
  externalFlow(amount: TradingDecimal): void {
    if (this.peak !== null) this.peak = this.peak.add(amount);
    if (this.lastRecorded !== null) this.lastRecorded = this.lastRecorded.add(amount);
    this.dayStart = this.dayStart.add(amount);
  }
}

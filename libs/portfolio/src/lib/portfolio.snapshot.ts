/**
 * Snapshot format of a Portfolio (for the WAL's snapshot file). Plain JSON: decimals are canonical
 * strings, timestamps UTC epoch ms. Instruments are not stored: restoring takes the lookup again.
 */

/** Current snapshot format version. */
export const PORTFOLIO_SNAPSHOT_VERSION = 1;

/** One instrument's ledger state. */
export interface PositionSnapshot {
  readonly instrumentId: string;
  /** Signed open quantity. */
  readonly quantity: string;
  /** Signed entry cost of the open quantity (money, multiplier included). */
  readonly bookCost: string;
  /** Average entry price of the open quantity ("0" when flat). */
  readonly avgPrice: string;
  readonly realisedPnl: string;
  readonly commissions: string;
  /** Last mark price text, or null when never marked. */
  readonly mark: string | null;
  readonly markTs: number | null;
  /** Mark changed since the last recorded equity point. */
  readonly markDirty: boolean;
}

/** Equity curve, drawdown and daily P&L baseline. */
export interface EquitySnapshot {
  /** Recorded points as `[ts, equity]`. */
  readonly curve: ReadonlyArray<readonly [number, string]>;
  readonly peak: string | null;
  readonly drawdown: string;
  readonly drawdownPercent: string;
  readonly maxDrawdown: string;
  readonly maxDrawdownPercent: string;
  readonly day: string | null;
  readonly dayStartEquity: string;
  readonly lastRecordedEquity: string | null;
}

/** The whole portfolio state. */
export interface PortfolioSnapshot {
  readonly version: typeof PORTFOLIO_SNAPSHOT_VERSION;
  /** Sequence number of the last event included in this state. */
  readonly seq: number;
  readonly baseCurrency: string;
  readonly timeZone: string;
  readonly marginMultiplier: string;
  readonly startingCash: string;
  readonly cash: string;
  /** Deposits minus withdrawals since the start. */
  readonly netDeposits: string;
  /** Fees, interest and other P&L cash adjustments since the start. */
  readonly otherAdjustments: string;
  /** Positions sorted by instrument id (only instruments that were ever filled or marked). */
  readonly positions: readonly PositionSnapshot[];
  readonly equity: EquitySnapshot;
}

import type { OrderSide } from '@trading/domain';

/**
 * Portfolio events: every state change of a {@link Portfolio} is one of these plain,
 * JSON-serialisable records (decimals as canonical strings, timestamps as UTC epoch ms).
 *
 * Primary events (`FillApplied`, `CashAdjusted`, `DayRolled`, `EquityRecorded`) carry the inputs
 * that replay re-applies. Derived events (`PositionOpened`, `PositionChanged`, `PositionClosed`)
 * describe the consequences of a fill for consumers (UI, persistence, risk); replay re-derives
 * them and skips the logged copies. `seq` increases by one per event per portfolio, so replay
 * after a snapshot skips every event with `seq <= snapshot.seq`.
 */
interface EventBase {
  /** Position of the event in this portfolio's stream (1, 2, 3, ...). */
  readonly seq: number;
  /** When the change happened (UTC epoch ms). */
  readonly ts: number;
}

/** A fill was booked (primary). */
export interface FillAppliedEvent extends EventBase {
  readonly type: 'FillApplied';
  readonly instrumentId: string;
  readonly side: OrderSide;
  /** Positive fill size. */
  readonly quantity: string;
  readonly price: string;
  /** Commission in the base currency (negative = rebate). */
  readonly commission: string;
  readonly tradeId?: string;
  readonly clientOrderId?: string;
  /** P&L realised by this fill (0 when it only opens or adds). */
  readonly realisedPnl: string;
  /** Cash balance after the fill. */
  readonly cashAfter: string;
}

/** A position was opened from flat (derived). */
export interface PositionOpenedEvent extends EventBase {
  readonly type: 'PositionOpened';
  readonly instrumentId: string;
  readonly side: 'LONG' | 'SHORT';
  /** Signed quantity (long > 0, short < 0). */
  readonly quantity: string;
  readonly avgPrice: string;
}

/** An open position was added to or partly reduced (derived). */
export interface PositionChangedEvent extends EventBase {
  readonly type: 'PositionChanged';
  readonly instrumentId: string;
  readonly side: 'LONG' | 'SHORT';
  readonly quantity: string;
  readonly avgPrice: string;
  /** Lifetime realised P&L of this instrument after the change. */
  readonly realisedPnl: string;
}

/** A position went flat (derived). */
export interface PositionClosedEvent extends EventBase {
  readonly type: 'PositionClosed';
  readonly instrumentId: string;
  /** Side the position had before it closed. */
  readonly side: 'LONG' | 'SHORT';
  /** Lifetime realised P&L of this instrument after the close. */
  readonly realisedPnl: string;
}

/** Why cash was adjusted outside of trading. */
export type CashAdjustmentReason = 'DEPOSIT' | 'WITHDRAWAL' | 'FEE' | 'INTEREST' | 'ADJUSTMENT';

/**
 * Cash moved outside of fills (primary). DEPOSIT/WITHDRAWAL are external flows (not P&L: they
 * shift the drawdown peak and the daily P&L baseline); FEE/INTEREST/ADJUSTMENT are P&L.
 */
export interface CashAdjustedEvent extends EventBase {
  readonly type: 'CashAdjusted';
  /** Signed amount added to cash (withdrawals and fees are negative). */
  readonly amount: string;
  readonly reason: CashAdjustmentReason;
  readonly note?: string;
  readonly cashAfter: string;
}

/** A new exchange-local trading day started (primary). */
export interface DayRolledEvent extends EventBase {
  readonly type: 'DayRolled';
  /** New exchange-local date (yyyy-MM-dd). */
  readonly date: string;
  /** Previous exchange-local date, or null for the first observed day. */
  readonly previousDate: string | null;
  /** Baseline of the new day's P&L: the last equity recorded on the previous day. */
  readonly openingEquity: string;
}

/** An equity-curve point was recorded (primary). */
export interface EquityRecordedEvent extends EventBase {
  readonly type: 'EquityRecorded';
  readonly equity: string;
  /** Marks (instrument id → price text and mark time) updated since the previous recorded point. */
  readonly marks: Readonly<Record<string, RecordedMark>>;
}

/** A mark as written into an `EquityRecorded` event. */
export interface RecordedMark {
  readonly price: string;
  readonly ts: number;
}

/** Any portfolio event. */
export type PortfolioEvent =
  | FillAppliedEvent
  | PositionOpenedEvent
  | PositionChangedEvent
  | PositionClosedEvent
  | CashAdjustedEvent
  | DayRolledEvent
  | EquityRecordedEvent;

/** The `type` of any portfolio event. */
export type PortfolioEventType = PortfolioEvent['type'];

/** True for events that replay re-derives from a `FillApplied` (and therefore skips). */
export function isDerivedEvent(
  e: PortfolioEvent,
): e is PositionOpenedEvent | PositionChangedEvent | PositionClosedEvent {
  return e.type === 'PositionOpened' || e.type === 'PositionChanged' || e.type === 'PositionClosed';
}

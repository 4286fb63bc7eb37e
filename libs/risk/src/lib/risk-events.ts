import { StateError } from '@trading/domain';

/** Trading state of the risk engine. */
export const TradingMode = {
  /** Every control applies; orders may open and increase positions. */
  ACTIVE: 'ACTIVE',
  /** Daily loss limit reached: only orders that reduce a position (never flip or increase) pass. */
  REDUCING: 'REDUCING',
  /** Kill switch tripped: everything is rejected until an operator reset. */
  HALTED: 'HALTED',
} as const;
/** One of {@link TradingMode}. */
export type TradingMode = (typeof TradingMode)[keyof typeof TradingMode];

/** The event-sourced part of the risk engine's state (plain JSON). */
export interface RiskState {
  /** Current trading mode. */
  readonly mode: TradingMode;
  /** When the mode was entered (UTC ms); null for the initial state. */
  readonly since: number | null;
  /** Reason code (or operator reason) of the last transition; null initially. */
  readonly reason: string | null;
  /** Human message of the last transition; null initially. */
  readonly message: string | null;
}

/** The state of a fresh engine: ACTIVE. */
export const INITIAL_RISK_STATE: RiskState = Object.freeze({
  mode: TradingMode.ACTIVE,
  since: null,
  reason: null,
  message: null,
});

/** ACTIVE ↔ REDUCING transition (daily loss limit, new exchange day, operator resume). */
export interface RiskStateChanged {
  readonly type: 'RiskStateChanged';
  readonly from: 'ACTIVE' | 'REDUCING';
  readonly to: 'ACTIVE' | 'REDUCING';
  /** `DAILY_LOSS_LIMIT`, `NEW_TRADING_DAY` or `OPERATOR_RESUME`. */
  readonly reason: string;
  readonly message: string;
  readonly ts: number;
  /** Operator who asked, for operator transitions. */
  readonly operator?: string;
}

/** The kill switch tripped: state → HALTED and the engine must cancel all working orders. */
export interface KillSwitchTripped {
  readonly type: 'KillSwitchTripped';
  readonly from: TradingMode;
  /** `MAX_DRAWDOWN` or `OPERATOR_HALT`. */
  readonly reason: string;
  readonly message: string;
  readonly ts: number;
  /** What the engine must do now. */
  readonly action: 'CANCEL_ALL';
  /** Operator who asked, for a manual halt. */
  readonly operator?: string;
}

/** An operator cleared the kill switch: HALTED → ACTIVE. */
export interface KillSwitchReset {
  readonly type: 'KillSwitchReset';
  readonly operator: string;
  readonly reason: string;
  readonly ts: number;
}

/** Every state change of the risk engine, as a JSON-serialisable WAL record. */
export type RiskEvent = RiskStateChanged | KillSwitchTripped | KillSwitchReset;

/**
 * Pure reducer: the state after `event`. Throws StateError when the event does not fit the state
 * (a replay out of order or a corrupted log), so a bad log never silently un-halts trading.
 */
export function applyRiskEvent(state: RiskState, event: RiskEvent): RiskState {
  switch (event.type) {
    case 'RiskStateChanged':
      if (state.mode !== event.from)
        throw new StateError(
          `RiskStateChanged from ${event.from} does not apply in state ${state.mode}`,
          { event },
        );
      return { mode: event.to, since: event.ts, reason: event.reason, message: event.message };
    case 'KillSwitchTripped':
      if (state.mode !== event.from)
        throw new StateError(
          `KillSwitchTripped from ${event.from} does not apply in state ${state.mode}`,
          { event },
        );
      return {
        mode: TradingMode.HALTED,
        since: event.ts,
        reason: event.reason,
        message: event.message,
      };
    case 'KillSwitchReset':
      if (state.mode !== TradingMode.HALTED)
        throw new StateError(`KillSwitchReset does not apply in state ${state.mode}`, { event });
      return {
        mode: TradingMode.ACTIVE,
        since: event.ts,
        reason: 'KILL_SWITCH_RESET',
        message: `kill switch reset by ${event.operator}: ${event.reason}`,
      };
    default:
      throw new StateError(
        `unknown risk event type ${JSON.stringify((event as { type?: unknown }).type)}`,
        { event },
      );
  }
}

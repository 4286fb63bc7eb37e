/**
 * The Clock port: the only source of "now" and of timers for the whole platform. Live code binds
 * {@link SystemClock}; backtests bind {@link SimulatedClock}, so strategy, risk and order code
 * run unchanged on both. All timestamps are UTC epoch milliseconds (`number`).
 */

/** inversify DI tokens of @trading/clock. */
export const CLOCK_TOKENS = {
  /** Binds a {@link Clock}. */
  Clock: Symbol.for('trading.Clock'),
  /** Binds a `TradingCalendar`. */
  TradingCalendar: Symbol.for('trading.TradingCalendar'),
} as const;

/** Delivered to a timer or alert callback each time it fires. Plain JSON-serialisable data. */
export interface TimeEvent {
  /** The timer's (or alert's) name. */
  readonly name: string;
  /** When the event was due (UTC ms). */
  readonly scheduledAt: number;
  /** When it actually fired (UTC ms); equals `scheduledAt` on a simulated clock. */
  readonly firedAt: number;
}

/** Identifies a scheduled timer or alert; pass it to {@link Clock.cancelTimer}. */
export interface TimerHandle {
  /** Unique per clock instance. */
  readonly id: number;
  /** The name given when scheduling. */
  readonly name: string;
}

/** Options of a repeating timer. */
export interface TimerOptions {
  /** First fire time (UTC ms, ≥ now). Default: `now + intervalMs`. */
  startAt?: number;
  /** Last possible fire time, inclusive (UTC ms, ≥ first fire time). Default: repeats forever. */
  stopAt?: number;
}

/** Callback of a timer or alert. */
export type TimeEventCallback = (event: TimeEvent) => void;

/**
 * Source of time and timers. Names of active timers/alerts are unique per clock; scheduling a
 * name that is still active throws a `ValidationError` (cancel it first).
 */
export interface Clock {
  /** Current time, UTC epoch milliseconds. */
  now(): number;
  /** Current time, UTC epoch nanoseconds. */
  nowNs(): bigint;
  /** Fires `callback` once at `at` (UTC ms, integer, not in the past). */
  setTimeAlert(name: string, at: number, callback: TimeEventCallback): TimerHandle;
  /**
   * Fires `callback` every `intervalMs` (positive integer), first at `opts.startAt ?? now + intervalMs`,
   * on the grid `first + k·intervalMs`, until `opts.stopAt` (inclusive) or cancellation.
   */
  setTimer(
    name: string,
    intervalMs: number,
    callback: TimeEventCallback,
    opts?: TimerOptions,
  ): TimerHandle;
  /** Cancels a timer or alert. A handle that already fired, was cancelled or is foreign is ignored. */
  cancelTimer(handle: TimerHandle): void;
  /** Names of active timers and alerts, sorted. */
  timerNames(): string[];
  /** Resolves after `ms` (non-negative integer) milliseconds of this clock's time. */
  sleep(ms: number): Promise<void>;
}

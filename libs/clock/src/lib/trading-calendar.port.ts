/**
 * The TradingCalendar port: exchange sessions in UTC. Exchange-local time exists only behind this
 * interface. Its DI token is `CLOCK_TOKENS.TradingCalendar` (clock.port.ts).
 */

/** One regular trading session. `open`/`close` are UTC epoch ms; the market is open in `[open, close)`. */
export interface Session {
  /** Exchange-local date `yyyy-MM-dd`. */
  readonly date: string;
  /** Opening instant (UTC ms). */
  readonly open: number;
  /** Closing instant (UTC ms), exclusive. */
  readonly close: number;
  /** True when the session closes early (e.g. 13:00 New York). */
  readonly earlyClose: boolean;
}

/**
 * Trading days and sessions of one exchange. Every method throws a `ValidationError` for a date or
 * timestamp outside the calendar's covered years.
 */
export interface TradingCalendar {
  /** IANA zone of the exchange (e.g. `America/New_York`). */
  readonly zone: string;
  /** True if the exchange-local date `yyyy-MM-dd` has a session. */
  isTradingDay(date: string): boolean;
  /** True if `ts` (UTC ms) lies inside a session: `open <= ts < close`. */
  isOpen(ts: number): boolean;
  /** The session of an exchange-local date, or null on weekends and holidays. */
  sessionFor(date: string): Session | null;
  /** The session containing `ts`, or null when the market is closed at `ts`. */
  sessionAt(ts: number): Session | null;
  /** The earliest session open `>= ts`. */
  nextOpen(ts: number): number;
  /** The earliest session close `>= ts` (the current session's close while open). */
  nextClose(ts: number): number;
  /** Sessions overlapping `[fromTs, toTs)`, in time order. */
  sessionsBetween(fromTs: number, toTs: number): Session[];
}

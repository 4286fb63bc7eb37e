/**
 * Public API of @trading/clock: the Clock port (time and timers) with its system and simulated
 * implementations, the TradingCalendar port with the NYSE calendar, and inversify modules.
 */
export { CLOCK_TOKENS } from './lib/clock.port';
export type {
  Clock,
  TimeEvent,
  TimeEventCallback,
  TimerHandle,
  TimerOptions,
} from './lib/clock.port';
export { SystemClock } from './lib/system-clock';
export type { SystemClockOptions } from './lib/system-clock';
export { SimulatedClock } from './lib/simulated-clock';
export type { Session, TradingCalendar } from './lib/trading-calendar.port';
export {
  ExchangeTradingCalendar,
  NyseTradingCalendar,
  NYSE_RULES,
} from './lib/exchange-trading-calendar';
export type { TradingCalendarRules, WallTime } from './lib/exchange-trading-calendar';
export { nyseHolidays, nyseEarlyCloses, NYSE_FIRST_YEAR, NYSE_LAST_YEAR } from './lib/nyse-rules';
export type { CalendarDay } from './lib/nyse-rules';
export { systemClockModule, simulatedClockModule } from './lib/clock.module';

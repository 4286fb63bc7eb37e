import { ContainerModule } from 'inversify';
import { CLOCK_TOKENS } from './clock.port';
import { NyseTradingCalendar } from './exchange-trading-calendar';
import type { SimulatedClock } from './simulated-clock';
import { SystemClock } from './system-clock';
import type { TradingCalendar } from './trading-calendar.port';

/**
 * Live wiring: binds `CLOCK_TOKENS.Clock` to a {@link SystemClock} (the given one or a new one) and
 * `CLOCK_TOKENS.TradingCalendar` to the given calendar (default NYSE).
 */
export function systemClockModule(
  opts: { clock?: SystemClock; calendar?: TradingCalendar } = {},
): ContainerModule {
  return new ContainerModule((options) => {
    options.bind(CLOCK_TOKENS.Clock).toConstantValue(opts.clock ?? new SystemClock());
    options
      .bind(CLOCK_TOKENS.TradingCalendar)
      .toConstantValue(opts.calendar ?? new NyseTradingCalendar());
  });
}

/**
 * Backtest/test wiring: binds `CLOCK_TOKENS.Clock` to the given {@link SimulatedClock} (the caller
 * keeps it to drive time) and `CLOCK_TOKENS.TradingCalendar` to `calendar` (default NYSE).
 */
export function simulatedClockModule(
  clock: SimulatedClock,
  calendar: TradingCalendar = new NyseTradingCalendar(),
): ContainerModule {
  return new ContainerModule((options) => {
    options.bind(CLOCK_TOKENS.Clock).toConstantValue(clock);
    options.bind(CLOCK_TOKENS.TradingCalendar).toConstantValue(calendar);
  });
}

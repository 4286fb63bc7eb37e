import 'reflect-metadata';
import { Container } from 'inversify';
import { CLOCK_TOKENS, type Clock } from './clock.port';
import { simulatedClockModule, systemClockModule } from './clock.module';
import { ExchangeTradingCalendar, NyseTradingCalendar } from './exchange-trading-calendar';
import { SimulatedClock } from './simulated-clock';
import { SystemClock } from './system-clock';
import type { TradingCalendar } from './trading-calendar.port';

describe('clock modules', () => {
  it('simulatedClockModule binds the given clock and the NYSE calendar', async () => {
    const clock = new SimulatedClock(1_700_000_000_000);
    const container = new Container();
    await container.load(simulatedClockModule(clock));
    expect(container.get<Clock>(CLOCK_TOKENS.Clock)).toBe(clock);
    const cal = container.get<TradingCalendar>(CLOCK_TOKENS.TradingCalendar);
    expect(cal).toBeInstanceOf(NyseTradingCalendar);
    expect(cal.isTradingDay('2024-01-02')).toBe(true);
  });

  it('systemClockModule binds a SystemClock (or the given one) and a calendar', async () => {
    const container = new Container();
    await container.load(systemClockModule());
    const clock = container.get<Clock>(CLOCK_TOKENS.Clock);
    expect(clock).toBeInstanceOf(SystemClock);
    (clock as SystemClock).dispose();

    const mine = new SystemClock();
    const cal = new NyseTradingCalendar();
    const c2 = new Container();
    await c2.load(systemClockModule({ clock: mine, calendar: cal }));
    expect(c2.get(CLOCK_TOKENS.Clock)).toBe(mine);
    expect(c2.get<ExchangeTradingCalendar>(CLOCK_TOKENS.TradingCalendar)).toBe(cal);
    mine.dispose();
  });

  it('tokens are global symbols', () => {
    expect(CLOCK_TOKENS.Clock).toBe(Symbol.for('trading.Clock'));
    expect(CLOCK_TOKENS.TradingCalendar).toBe(Symbol.for('trading.TradingCalendar'));
  });
});

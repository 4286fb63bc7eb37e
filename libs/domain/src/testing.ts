/** Test helpers of @trading/domain. */
import { Instrument, InstrumentSpec } from './lib/instrument';

/** A US equity instrument for tests (tick 0.01, lot 1). */
export function testEquity(symbol = 'TEST', overrides: Partial<InstrumentSpec> = {}): Instrument {
  return new Instrument({
    id: `${symbol}.SIM`,
    assetClass: 'EQUITY',
    tickSize: '0.01',
    lotSize: '1',
    ...overrides,
  });
}

/** A futures instrument for tests (multiplier 10, tick 0.25). */
export function testFuture(symbol = 'FUT', overrides: Partial<InstrumentSpec> = {}): Instrument {
  return new Instrument({
    id: `${symbol}.SIM`,
    assetClass: 'FUTURE',
    tickSize: '0.25',
    lotSize: '1',
    multiplier: '10',
    ...overrides,
  });
}

/** Fakes and helpers of @trading/engine for other libs' tests and benchmarks. */
import type { Broker } from '@trading/brokers';
import type { Clock } from '@trading/clock';
import type { DecimalInput, Instrument } from '@trading/domain';
import { Portfolio } from '@trading/portfolio';
import { RiskConfigInput, RiskEngine } from '@trading/risk';
import type { EventJournal } from './lib/event-journal.port';
import type { Strategy } from './lib/strategy.port';
import { TradingKernel } from './lib/trading-kernel';

/** What {@link wireTestKernel} builds a kernel from. */
export interface TestKernelSpec {
  readonly clock: Clock;
  readonly broker: Broker;
  readonly instruments: readonly Instrument[];
  readonly strategies: readonly Strategy[];
  /** Starting cash of a fresh portfolio. */
  readonly startingCash: DecimalInput;
  /** Risk limits (default: none beyond the engine's defaults). */
  readonly risk?: RiskConfigInput;
  /** Journal (default: none). */
  readonly journal?: EventJournal;
}

/**
 * A {@link TradingKernel} wired as the apps wire it: a fresh portfolio and a risk engine whose
 * events go back to the kernel (which journals them). Not started.
 */
export function wireTestKernel(spec: TestKernelSpec): TradingKernel {
  const holder: { kernel?: TradingKernel } = {};
  const risk = RiskEngine.create(spec.risk ?? {}, {
    onEvent: (e) => holder.kernel?.onRiskEvent(e),
  });
  holder.kernel = new TradingKernel({
    clock: spec.clock,
    broker: spec.broker,
    portfolio: new Portfolio({ startingCash: spec.startingCash, instruments: spec.instruments }),
    risk,
    instruments: spec.instruments,
    strategies: spec.strategies,
    journal: spec.journal,
  });
  return holder.kernel;
}

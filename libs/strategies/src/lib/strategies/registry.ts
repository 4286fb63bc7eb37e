import { InstrumentId, StrategyId, ValidationError } from '@trading/domain';
import type { Strategy, StrategyFactory, StrategyParamSpec } from '@trading/engine';
import { RawParams } from '../sdk/params';
import { dualSmaCrossFactory } from './dual-sma-cross';
import { liquiditySweepFactory } from './liquidity-sweep';
import { rsiMeanReversionFactory } from './rsi-mean-reversion';
import { smaCrossFactory } from './sma-cross';

/** Every built-in strategy factory by name. */
export const STRATEGY_REGISTRY: Readonly<Record<string, StrategyFactory>> = Object.freeze({
  [smaCrossFactory.name]: smaCrossFactory,
  [dualSmaCrossFactory.name]: dualSmaCrossFactory,
  [rsiMeanReversionFactory.name]: rsiMeanReversionFactory,
  [liquiditySweepFactory.name]: liquiditySweepFactory,
});

/** Arguments of {@link createStrategy} (those of `StrategyFactory.create`, params optional). */
export interface CreateStrategyArgs {
  readonly id: StrategyId | string;
  readonly instruments: readonly (InstrumentId | string)[];
  readonly params?: RawParams;
}

/** Looks up a factory; throws ValidationError('strategy') for an unknown name. */
export function strategyFactory(name: string): StrategyFactory {
  const f = Object.prototype.hasOwnProperty.call(STRATEGY_REGISTRY, name)
    ? STRATEGY_REGISTRY[name]
    : undefined;
  if (!f)
    throw new ValidationError(
      'strategy',
      name,
      `must be one of ${Object.keys(STRATEGY_REGISTRY).join(', ')}`,
    );
  return f;
}

/** Creates a built-in strategy by name with validated parameters (errors name the parameter). */
export function createStrategy(name: string, args: CreateStrategyArgs): Strategy {
  return strategyFactory(name).create({
    id: args.id as StrategyId,
    instruments: args.instruments as readonly InstrumentId[],
    params: args.params ?? {},
  });
}

/** Name, description and parameter specs of every built-in strategy (for CLI help and sweeps). */
export function listStrategies(): {
  name: string;
  description: string;
  params: readonly StrategyParamSpec[];
}[] {
  return Object.values(STRATEGY_REGISTRY).map((f) => ({
    name: f.name,
    description: f.description,
    params: f.params,
  }));
}

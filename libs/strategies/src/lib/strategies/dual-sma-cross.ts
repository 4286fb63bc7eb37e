import { Bar, InstrumentId, Quantity, ValidationError } from '@trading/domain';
import type {
  JsonValue,
  StrategyContext,
  StrategyFactory,
  StrategyParamSpec,
} from '@trading/engine';
import { loadParts, saveParts } from '../json-state';
import { Crossover } from '../indicators/crossover';
import { Sma } from '../indicators/sma';
import { parseParams, positiveQuantity, QUANTITY_PARAM } from '../sdk/params';
import {
  InstrumentState,
  executeLongOnly,
  PerInstrumentStrategy,
} from '../sdk/per-instrument-strategy';

/** Per-instrument state of {@link DualSmaCrossStrategy}. */
export class DualSmaCrossState implements InstrumentState {
  readonly fast: Sma;
  readonly slow: Sma;
  readonly cross = new Crossover();
  constructor(fast: number, slow: number) {
    this.fast = new Sma(fast);
    this.slow = new Sma(slow);
  }
  toState(): JsonValue {
    return saveParts('dual-sma-cross/instrument', {
      fast: this.fast,
      slow: this.slow,
      cross: this.cross,
    });
  }
  fromState(state: JsonValue): void {
    loadParts(state, 'dual-sma-cross/instrument', {
      fast: this.fast,
      slow: this.slow,
      cross: this.cross,
    });
  }
}

/**
 * `dual-sma-cross`: SMA(fast) vs SMA(slow) of closes, long-only, each instrument independently.
 * Nothing until the slow SMA is ready; fast crosses above slow while flat → MARKET BUY `quantity`;
 * fast crosses below slow while long → MARKET SELL the position. No order while one is open.
 */
export class DualSmaCrossStrategy extends PerInstrumentStrategy<DualSmaCrossState> {
  constructor(
    id: string,
    instruments: readonly (InstrumentId | string)[],
    readonly fast: number,
    readonly slow: number,
    readonly quantity: Quantity,
  ) {
    if (fast >= slow) throw new ValidationError('fast', fast, `must be < slow (${slow})`);
    super('dual-sma-cross', id, instruments);
  }

  protected createState(): DualSmaCrossState {
    return new DualSmaCrossState(this.fast, this.slow);
  }

  protected onInstrumentBar(bar: Bar, s: DualSmaCrossState, ctx: StrategyContext): void {
    const f = s.fast.update(bar.close);
    const sl = s.slow.update(bar.close);
    if (!s.slow.ready) return;
    const cross = s.cross.update(f, sl);
    if (cross === null) return;
    executeLongOnly(
      ctx,
      bar.instrumentId,
      { enter: cross === 'up', exit: cross === 'down' },
      this.quantity,
      'dual-sma-cross',
    );
  }
}

const PARAMS: readonly StrategyParamSpec[] = [
  { name: 'fast', type: 'integer', description: 'Fast SMA period (< slow)', default: 10, min: 1 },
  { name: 'slow', type: 'integer', description: 'Slow SMA period (> fast)', default: 30, min: 2 },
  QUANTITY_PARAM,
];

/** Factory of {@link DualSmaCrossStrategy}. */
export const dualSmaCrossFactory: StrategyFactory = {
  name: 'dual-sma-cross',
  description: 'Long when SMA(fast) crosses above SMA(slow), flat when it crosses below.',
  params: PARAMS,
  create({ id, instruments, params }) {
    const p = parseParams(PARAMS, params);
    return new DualSmaCrossStrategy(
      id,
      instruments,
      p['fast'] as number,
      p['slow'] as number,
      positiveQuantity(p, 'quantity'),
    );
  },
};

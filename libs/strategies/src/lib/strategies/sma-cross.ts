import { Bar, InstrumentId, Quantity } from '@trading/domain';
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

/** Per-instrument state of {@link SmaCrossStrategy}. */
export class SmaCrossState implements InstrumentState {
  readonly sma: Sma;
  readonly cross = new Crossover();
  constructor(period: number) {
    this.sma = new Sma(period);
  }
  toState(): JsonValue {
    return saveParts('sma-cross/instrument', { sma: this.sma, cross: this.cross });
  }
  fromState(state: JsonValue): void {
    loadParts(state, 'sma-cross/instrument', { sma: this.sma, cross: this.cross });
  }
}

/**
 * `sma-cross`: close vs SMA(period) of closes, long-only, each instrument independently.
 * - Nothing happens until the SMA is ready (the crossover is only fed from then on).
 * - Close crosses ABOVE the SMA (Crossover 'up') while flat → MARKET BUY `quantity`.
 * - Close crosses BELOW the SMA ('down') while long → MARKET SELL the whole position.
 * - No order while the instrument has an open order of this strategy (the signal is then skipped).
 */
export class SmaCrossStrategy extends PerInstrumentStrategy<SmaCrossState> {
  constructor(
    id: string,
    instruments: readonly (InstrumentId | string)[],
    readonly period: number,
    readonly quantity: Quantity,
  ) {
    super('sma-cross', id, instruments);
  }

  protected createState(): SmaCrossState {
    return new SmaCrossState(this.period);
  }

  protected onInstrumentBar(bar: Bar, s: SmaCrossState, ctx: StrategyContext): void {
    const close = bar.close;
    const sma = s.sma.update(close);
    if (!s.sma.ready) return;
    const cross = s.cross.update(close, sma);
    if (cross === null) return;
    executeLongOnly(
      ctx,
      bar.instrumentId,
      { enter: cross === 'up', exit: cross === 'down' },
      this.quantity,
      'sma-cross',
    );
  }
}

const PARAMS: readonly StrategyParamSpec[] = [
  {
    name: 'period',
    type: 'integer',
    description: 'SMA period in bars (closes)',
    default: 20,
    min: 1,
  },
  QUANTITY_PARAM,
];

/** Factory of {@link SmaCrossStrategy}. */
export const smaCrossFactory: StrategyFactory = {
  name: 'sma-cross',
  description: 'Long when the close crosses above its SMA(period), flat when it crosses below.',
  params: PARAMS,
  create({ id, instruments, params }) {
    const p = parseParams(PARAMS, params);
    return new SmaCrossStrategy(
      id,
      instruments,
      p['period'] as number,
      positiveQuantity(p, 'quantity'),
    );
  },
};

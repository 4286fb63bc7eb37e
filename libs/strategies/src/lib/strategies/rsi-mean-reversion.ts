import { Bar, InstrumentId, Quantity, ValidationError } from '@trading/domain';
import type {
  JsonValue,
  StrategyContext,
  StrategyFactory,
  StrategyParamSpec,
} from '@trading/engine';
import { loadParts, saveParts } from '../json-state';
import { Crossover } from '../indicators/crossover';
import { Rsi } from '../indicators/rsi';
import { parseParams, positiveQuantity, QUANTITY_PARAM } from '../sdk/params';
import {
  InstrumentState,
  executeLongOnly,
  PerInstrumentStrategy,
} from '../sdk/per-instrument-strategy';

/** Per-instrument state of {@link RsiMeanReversionStrategy}. */
export class RsiMeanReversionState implements InstrumentState {
  readonly rsi: Rsi;
  /** RSI vs the oversold level. */
  readonly low = new Crossover();
  /** RSI vs the overbought level. */
  readonly high = new Crossover();
  constructor(period: number) {
    this.rsi = new Rsi(period);
  }
  toState(): JsonValue {
    return saveParts('rsi-mean-reversion/instrument', {
      rsi: this.rsi,
      low: this.low,
      high: this.high,
    });
  }
  fromState(state: JsonValue): void {
    loadParts(state, 'rsi-mean-reversion/instrument', {
      rsi: this.rsi,
      low: this.low,
      high: this.high,
    });
  }
}

/**
 * `rsi-mean-reversion`: Wilder RSI(period) of closes, long-only, each instrument independently.
 * - RSI crosses UP through `oversold` (was below, now above; touching the level is not a cross)
 *   while flat → MARKET BUY `quantity`.
 * - RSI crosses UP through `overbought` while long → MARKET SELL the position.
 * Nothing until the RSI is ready; no order while one is open.
 */
export class RsiMeanReversionStrategy extends PerInstrumentStrategy<RsiMeanReversionState> {
  constructor(
    id: string,
    instruments: readonly (InstrumentId | string)[],
    readonly period: number,
    readonly oversold: number,
    readonly overbought: number,
    readonly quantity: Quantity,
  ) {
    if (!(oversold < overbought))
      throw new ValidationError('oversold', oversold, `must be < overbought (${overbought})`);
    super('rsi-mean-reversion', id, instruments);
  }

  protected createState(): RsiMeanReversionState {
    return new RsiMeanReversionState(this.period);
  }

  protected onInstrumentBar(bar: Bar, s: RsiMeanReversionState, ctx: StrategyContext): void {
    const rsi = s.rsi.update(bar.close);
    if (!s.rsi.ready) return;
    const low = s.low.update(rsi, this.oversold);
    const high = s.high.update(rsi, this.overbought);
    executeLongOnly(
      ctx,
      bar.instrumentId,
      { enter: low === 'up', exit: high === 'up' },
      this.quantity,
      'rsi-mean-reversion',
    );
  }
}

const PARAMS: readonly StrategyParamSpec[] = [
  { name: 'period', type: 'integer', description: 'RSI period (Wilder)', default: 14, min: 1 },
  {
    name: 'oversold',
    type: 'number',
    description: 'Buy when RSI crosses up through this level (< overbought)',
    default: 30,
    min: 0,
    max: 100,
  },
  {
    name: 'overbought',
    type: 'number',
    description: 'Sell when RSI crosses up through this level',
    default: 70,
    min: 0,
    max: 100,
  },
  QUANTITY_PARAM,
];

/** Factory of {@link RsiMeanReversionStrategy}. */
export const rsiMeanReversionFactory: StrategyFactory = {
  name: 'rsi-mean-reversion',
  description: 'Buy when RSI crosses up through oversold, sell when it crosses above overbought.',
  params: PARAMS,
  create({ id, instruments, params }) {
    const p = parseParams(PARAMS, params);
    return new RsiMeanReversionStrategy(
      id,
      instruments,
      p['period'] as number,
      p['oversold'] as number,
      p['overbought'] as number,
      positiveQuantity(p, 'quantity'),
    );
  },
};

import { Bar, InstrumentId, OrderSide, Price, Quantity, ValidationError } from '@trading/domain';
import type {
  JsonValue,
  StrategyContext,
  StrategyFactory,
  StrategyParamSpec,
} from '@trading/engine';
import { checkPeriod, jsonNum, readInt, readKind, readNum, readObj } from '../json-state';
import { HighLowClose } from '../indicators/indicator';
import { Lowest } from '../indicators/extremes';
import { parseParams, positiveQuantity, QUANTITY_PARAM } from '../sdk/params';
import {
  InstrumentState,
  noOpenOrders,
  PerInstrumentStrategy,
} from '../sdk/per-instrument-strategy';

/** Phases of a liquidity-sweep setup. ENTRY, INVALIDATED and BREAKOUT last one bar; the next bar starts from WATCHING. */
export type SweepPhase =
  'WATCHING' | 'SWEEP' | 'CONSOLIDATION' | 'BREAKOUT' | 'ENTRY' | 'INVALIDATED';

/** Why a setup was abandoned. */
export type SweepInvalidation = 'close-below-sweep-low' | 'consolidation-too-long' | 'busy';

const PHASES: readonly SweepPhase[] = [
  'WATCHING',
  'SWEEP',
  'CONSOLIDATION',
  'BREAKOUT',
  'ENTRY',
  'INVALIDATED',
];
const REASONS: readonly SweepInvalidation[] = [
  'close-below-sweep-low',
  'consolidation-too-long',
  'busy',
];

/** Configuration of a {@link LiquiditySweepTracker}. */
export interface SweepConfig {
  /** Bars whose lowest low is the liquidity level. */
  readonly lookback: number;
  /** Consolidation bars required before a breakout counts. */
  readonly consolidationBars: number;
  /** More consolidation bars than this without a breakout invalidate the setup. */
  readonly maxConsolidationBars: number;
}

/**
 * The explicit state machine of the liquidity-sweep setup (pure: bars in, phase out).
 *
 * - WATCHING: `level` = lowest low of the previous `lookback` bars (the current bar excluded).
 *   A bar with `low < level` and `close > level` (it ran the stops below the level and was bought
 *   back) → SWEEP; `sweepLow` = that bar's low.
 * - SWEEP / CONSOLIDATION, for each following bar:
 *   1. `close < sweepLow` → INVALIDATED (`close-below-sweep-low`);
 *   2. at least `consolidationBars` bars in the range and `close > rangeHigh` → BREAKOUT;
 *   3. the bar would be consolidation bar number `maxConsolidationBars + 1` → INVALIDATED
 *      (`consolidation-too-long`);
 *   4. otherwise the bar joins the range (rangeHigh/rangeLow = its extremes since the sweep) → CONSOLIDATION.
 *   (An early close above the range before `consolidationBars` bars just widens the range.)
 * - BREAKOUT: the owner calls {@link enter} (→ ENTRY) or {@link invalidate} (→ INVALIDATED, e.g. `busy`).
 * - ENTRY / INVALIDATED / BREAKOUT are reported for one bar; the next bar is processed from WATCHING,
 *   so a new sweep can start right away. The lowest-low window is updated with every bar.
 */
export class LiquiditySweepTracker {
  phase: SweepPhase = 'WATCHING';
  /** The swept level (lowest low of the lookback window before the sweep bar). */
  level = NaN;
  /** Low of the sweep bar. */
  sweepLow = NaN;
  /** Highest high / lowest low of the consolidation bars. */
  rangeHigh = NaN;
  rangeLow = NaN;
  /** Consolidation bars so far. */
  bars = 0;
  /** Close of the breakout bar. */
  breakoutClose = NaN;
  /** Why the last setup was invalidated (undefined otherwise). */
  invalidation: SweepInvalidation | undefined;
  private readonly lows: Lowest;

  constructor(readonly config: SweepConfig) {
    checkPeriod(config.lookback, 'lookback');
    checkPeriod(config.consolidationBars, 'consolidationBars');
    checkPeriod(config.maxConsolidationBars, 'maxConsolidationBars');
    if (config.maxConsolidationBars < config.consolidationBars) {
      throw new ValidationError(
        'maxConsolidationBars',
        config.maxConsolidationBars,
        `must be ≥ consolidationBars (${config.consolidationBars})`,
      );
    }
    this.lows = new Lowest(config.lookback);
  }

  /** Processes one bar and returns the phase after it. */
  update(bar: HighLowClose): SweepPhase {
    if (this.phase === 'ENTRY' || this.phase === 'INVALIDATED' || this.phase === 'BREAKOUT')
      this.clear();
    if (this.phase === 'WATCHING') {
      if (this.lows.ready) {
        const level = this.lows.value;
        if (bar.low < level && bar.close > level) {
          this.phase = 'SWEEP';
          this.level = level;
          this.sweepLow = bar.low;
        }
      }
    } else if (bar.close < this.sweepLow) {
      this.fail('close-below-sweep-low');
    } else if (this.bars >= this.config.consolidationBars && bar.close > this.rangeHigh) {
      this.phase = 'BREAKOUT';
      this.breakoutClose = bar.close;
    } else if (this.bars + 1 > this.config.maxConsolidationBars) {
      this.fail('consolidation-too-long');
    } else {
      this.phase = 'CONSOLIDATION';
      this.bars++;
      if (!(bar.high <= this.rangeHigh)) this.rangeHigh = bar.high;
      if (!(bar.low >= this.rangeLow)) this.rangeLow = bar.low;
    }
    this.lows.update(bar.low);
    return this.phase;
  }

  /** BREAKOUT → ENTRY (the owner submitted the entry). */
  enter(): void {
    if (this.phase !== 'BREAKOUT')
      throw new ValidationError('phase', this.phase, 'must be BREAKOUT to enter');
    this.phase = 'ENTRY';
  }

  /** Abandons the current setup (→ INVALIDATED). */
  invalidate(reason: SweepInvalidation): void {
    this.fail(reason);
  }

  private fail(reason: SweepInvalidation): void {
    this.phase = 'INVALIDATED';
    this.invalidation = reason;
  }

  private clear(): void {
    this.phase = 'WATCHING';
    this.level = this.sweepLow = this.rangeHigh = this.rangeLow = this.breakoutClose = NaN;
    this.bars = 0;
    this.invalidation = undefined;
  }

  toState(): JsonValue {
    return {
      kind: 'SWEEP',
      phase: this.phase,
      level: jsonNum(this.level),
      sweepLow: jsonNum(this.sweepLow),
      rangeHigh: jsonNum(this.rangeHigh),
      rangeLow: jsonNum(this.rangeLow),
      bars: this.bars,
      breakoutClose: jsonNum(this.breakoutClose),
      invalidation: this.invalidation ?? null,
      lows: this.lows.toState(),
    };
  }

  fromState(state: JsonValue): void {
    const o = readKind(state, 'SWEEP');
    const phase = o['phase'] as SweepPhase;
    if (!PHASES.includes(phase))
      throw new ValidationError('state.phase', phase, `must be one of ${PHASES.join(', ')}`);
    const inv = o['invalidation'];
    if (inv !== null && !REASONS.includes(inv as SweepInvalidation))
      throw new ValidationError(
        'state.invalidation',
        inv,
        `must be null or one of ${REASONS.join(', ')}`,
      );
    this.lows.fromState(readObj(o['lows'], 'state.lows'));
    this.phase = phase;
    this.level = readNum(o, 'level');
    this.sweepLow = readNum(o, 'sweepLow');
    this.rangeHigh = readNum(o, 'rangeHigh');
    this.rangeLow = readNum(o, 'rangeLow');
    this.bars = readInt(o, 'bars');
    this.breakoutClose = readNum(o, 'breakoutClose');
    this.invalidation = inv === null ? undefined : (inv as SweepInvalidation);
  }
}

/** Per-instrument state of {@link LiquiditySweepStrategy}. */
export class LiquiditySweepState implements InstrumentState {
  readonly tracker: LiquiditySweepTracker;
  constructor(config: SweepConfig) {
    this.tracker = new LiquiditySweepTracker(config);
  }
  toState(): JsonValue {
    return this.tracker.toState();
  }
  fromState(state: JsonValue): void {
    this.tracker.fromState(state);
  }
}

/** Parameters of {@link LiquiditySweepStrategy}. */
export interface LiquiditySweepParams extends SweepConfig {
  /** Take-profit distance as a multiple of the risk (entry − stop). */
  readonly rewardRisk: number;
  readonly quantity: Quantity;
}

/**
 * `liquidity-sweep`: long-only sweep-and-reclaim setup per instrument (see {@link LiquiditySweepTracker}).
 * On BREAKOUT, when flat with no open order: a bracket BUY `quantity` with a MARKET entry,
 * stop-loss one tick below the sweep low (rounded down to the tick) and take-profit at
 * `close + rewardRisk × (close − stop)` (rounded to the nearest tick), the breakout close being the
 * reference entry price → ENTRY. Otherwise the setup is INVALIDATED (`busy`).
 */
export class LiquiditySweepStrategy extends PerInstrumentStrategy<LiquiditySweepState> {
  constructor(
    id: string,
    instruments: readonly (InstrumentId | string)[],
    readonly params: LiquiditySweepParams,
  ) {
    if (!Number.isFinite(params.rewardRisk) || params.rewardRisk <= 0)
      throw new ValidationError('rewardRisk', params.rewardRisk, 'must be a number > 0');
    new LiquiditySweepTracker(params); // validates lookback / consolidation bars now (states are created lazily)
    super('liquidity-sweep', id, instruments);
  }

  protected createState(): LiquiditySweepState {
    return new LiquiditySweepState(this.params);
  }

  protected onInstrumentBar(bar: Bar, s: LiquiditySweepState, ctx: StrategyContext): void {
    const t = s.tracker;
    if (t.update(bar) !== 'BREAKOUT') return;
    const id = bar.instrumentId;
    if (!noOpenOrders(ctx, id) || !ctx.position(id).quantity.isZero()) return t.invalidate('busy');
    const inst = ctx.instrument(id);
    const entry = Price.of(bar.close);
    const stop = inst.roundPrice(Price.of(t.sweepLow).sub(inst.tickSize), 'down');
    const takeProfit = inst.roundPrice(
      entry.add(entry.sub(stop).mul(this.params.rewardRisk)),
      'nearest',
    );
    ctx.submitBracket({
      instrumentId: id,
      side: OrderSide.BUY,
      quantity: this.params.quantity,
      takeProfitPrice: takeProfit,
      stopLossPrice: stop,
      tags: ['liquidity-sweep'],
    });
    t.enter();
    ctx.log.info('liquidity-sweep entry', {
      instrumentId: id,
      sweepLow: t.sweepLow,
      level: t.level,
      rangeHigh: t.rangeHigh,
      entry: entry.toString(),
      stop: stop.toString(),
      takeProfit: takeProfit.toString(),
    });
  }
}

const PARAMS: readonly StrategyParamSpec[] = [
  {
    name: 'lookback',
    type: 'integer',
    description: 'Bars whose lowest low is the liquidity level',
    default: 20,
    min: 1,
  },
  {
    name: 'consolidationBars',
    type: 'integer',
    description: 'Consolidation bars required before a breakout',
    default: 3,
    min: 1,
  },
  {
    name: 'maxConsolidationBars',
    type: 'integer',
    description: 'Longer consolidation invalidates the setup (≥ consolidationBars)',
    default: 10,
    min: 1,
  },
  {
    name: 'rewardRisk',
    type: 'number',
    description: 'Take-profit distance as a multiple of the risk (entry − stop)',
    default: 2,
  },
  QUANTITY_PARAM,
];

/** Factory of {@link LiquiditySweepStrategy}. */
export const liquiditySweepFactory: StrategyFactory = {
  name: 'liquidity-sweep',
  description:
    'Sweep below the recent low, reclaim, consolidate, break out: bracket entry with the stop under the sweep low.',
  params: PARAMS,
  create({ id, instruments, params }) {
    const p = parseParams(PARAMS, params);
    return new LiquiditySweepStrategy(id, instruments, {
      lookback: p['lookback'] as number,
      consolidationBars: p['consolidationBars'] as number,
      maxConsolidationBars: p['maxConsolidationBars'] as number,
      rewardRisk: p['rewardRisk'] as number,
      quantity: positiveQuantity(p, 'quantity'),
    });
  },
};

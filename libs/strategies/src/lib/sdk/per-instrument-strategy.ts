import {
  Bar,
  InstrumentId,
  OrderSide,
  parseInstrumentId,
  Quantity,
  StrategyId,
  strategyId as parseStrategyId,
  ValidationError,
} from '@trading/domain';
import type { JsonValue, Strategy, StrategyContext } from '@trading/engine';
import { JsonObject, readKind, readObj } from '../json-state';

/** Per-instrument state of a {@link PerInstrumentStrategy} (indicators + setup), saved as JSON. */
export interface InstrumentState {
  toState(): JsonValue;
  fromState(state: JsonValue): void;
}

/**
 * Base class of bar-driven strategies that treat every subscribed instrument independently: one
 * {@link InstrumentState} per instrument, bars of other instruments are ignored. `saveState()` is
 * `{ kind: <strategy name>, version: 1, instruments: { <id>: state } }`; `loadState()` restores
 * it (instruments missing from the saved state keep a fresh state).
 */
export abstract class PerInstrumentStrategy<S extends InstrumentState> implements Strategy {
  readonly id: StrategyId;
  readonly instruments: readonly InstrumentId[];
  private readonly states = new Map<InstrumentId, S>();
  private lastId: InstrumentId | undefined;
  private lastState: S | undefined;

  protected constructor(
    /** Strategy (factory) name, the `kind` of the saved state. */
    readonly kind: string,
    id: StrategyId | string,
    instruments: readonly (InstrumentId | string)[],
  ) {
    this.id = parseStrategyId(id);
    if (!Array.isArray(instruments) || instruments.length === 0)
      throw new ValidationError('instruments', instruments, 'must list at least one instrument');
    this.instruments = Object.freeze(
      instruments.map((i, n) => parseInstrumentId(i, `instruments[${n}]`)),
    );
  }

  /** States are created on first use (subclass fields are not yet set while the base constructor runs). */
  private all(): Map<InstrumentId, S> {
    if (this.states.size === 0)
      for (const i of this.instruments) this.states.set(i, this.createState(i));
    return this.states;
  }

  /** A fresh state for one instrument. */
  protected abstract createState(instrumentId: InstrumentId): S;

  /** Handles a bar of one of this strategy's instruments. */
  protected abstract onInstrumentBar(bar: Bar, state: S, ctx: StrategyContext): void;

  /** The state of one instrument (for inspection in tests and logs). */
  stateOf(instrumentId: InstrumentId): S | undefined {
    return this.all().get(instrumentId);
  }

  onBar(bar: Bar, ctx: StrategyContext): void {
    let s: S | undefined;
    if (bar.instrumentId === this.lastId) s = this.lastState;
    else {
      s = this.all().get(bar.instrumentId);
      if (s === undefined) return;
      this.lastId = bar.instrumentId;
      this.lastState = s;
    }
    this.onInstrumentBar(bar, s as S, ctx);
  }

  saveState(): JsonValue {
    const instruments: JsonObject = {};
    for (const [id, s] of this.all()) instruments[id] = s.toState();
    return { kind: this.kind, version: 1, instruments };
  }

  loadState(state: JsonValue): void {
    const o = readKind(state, this.kind);
    if (o['version'] !== 1) throw new ValidationError('state.version', o['version'], 'must be 1');
    const saved = readObj(o['instruments'], 'state.instruments');
    for (const [id, s] of this.all()) if (saved[id] !== undefined) s.fromState(saved[id]);
  }
}

/** True when the strategy has no open order for the instrument. */
export function noOpenOrders(ctx: StrategyContext, instrumentId: InstrumentId): boolean {
  return ctx.openOrders(instrumentId).length === 0;
}

/**
 * Long-only execution shared by the example strategies: on `enter` while flat, a MARKET BUY of
 * `quantity`; otherwise on `exit` while long, a MARKET SELL of the whole position. Nothing while the
 * instrument has an open order (a signal during a pending order is skipped, not queued).
 */
export function executeLongOnly(
  ctx: StrategyContext,
  instrumentId: InstrumentId,
  signal: { readonly enter: boolean; readonly exit: boolean },
  quantity: Quantity,
  tag: string,
): void {
  if (!signal.enter && !signal.exit) return;
  if (!noOpenOrders(ctx, instrumentId)) return;
  const pos = ctx.position(instrumentId).quantity;
  if (signal.enter && pos.isZero())
    ctx.submit({ instrumentId, side: OrderSide.BUY, quantity, tags: [tag, 'entry'] });
  else if (signal.exit && pos.isPositive() && !pos.isZero())
    ctx.submit({ instrumentId, side: OrderSide.SELL, quantity: pos, tags: [tag, 'exit'] });
}

import {
  Bar,
  ClientOrderId,
  compareDecimals,
  Decimal,
  DecimalInput,
  Instrument,
  InstrumentId,
  TradeId,
  ValidationError,
  assertZone,
  exchangeDay,
  toDecimal,
} from '@trading/domain';
import { SimulatedClock } from '@trading/clock';
import {
  CommissionModel,
  FillModelConfig,
  SimulatedExchange,
  SlippageModel,
  commissionModel,
  fillModelConfig,
  slippageModel,
} from '@trading/brokers';
import { BarBatch, BarRequest, HistoricalData } from '@trading/data-providers';
import { EventJournal, KernelEvent, OrderDenial, Strategy, TradingKernel } from '@trading/engine';
import { Portfolio } from '@trading/portfolio';
import { RiskConfigInput, RiskEngine, TradingHours } from '@trading/risk';
import { EquityPoint, FillRecord, RoundTripTrade } from '../analytics/analytics.types';
import { BacktestMetrics, computeMetrics, FillTotals, TradeTotals } from '../analytics/metrics';
import { RoundTripTracker } from '../analytics/round-trip-tracker';
import { PriceSeries } from '../report/html-report';

/** Everything a backtest run needs. Adapters (data, strategies) are passed in; the app composes them. */
export interface BacktestSpec {
  readonly instruments: readonly Instrument[];
  readonly data: HistoricalData;
  /** One request per instrument (default: every instrument, whole series). `from`/`to` below apply to all. */
  readonly requests?: readonly BarRequest[];
  /** Inclusive start (UTC ms). */
  readonly from?: number;
  /** Exclusive end (UTC ms). */
  readonly to?: number;
  readonly strategies: readonly Strategy[];
  readonly startingCash: DecimalInput;
  readonly fill?: FillModelConfig;
  readonly commission?: CommissionModel;
  readonly slippage?: SlippageModel;
  /** Pre-trade risk limits (default: none besides input validation). */
  readonly risk?: RiskConfigInput;
  readonly tradingHours?: TradingHours;
  /** Zone whose calendar days cut the equity curve and daily P&L (default America/New_York). */
  readonly timeZone?: string;
  /** Journal for every state change (default: none). */
  readonly journal?: EventJournal;
  /** Called every `progressEvery` bars (default 65,536) with the bars processed so far. */
  readonly onProgress?: (bars: number) => void;
  readonly progressEvery?: number;
  /** Keep (decimated) close prices for the report charts (default true). */
  readonly collectPrices?: boolean;
  /** Receives every kernel event (for custom analysis). */
  readonly onKernelEvent?: (e: KernelEvent) => void;
}

/** What a run produced. Deterministic for the same inputs. */
export interface BacktestResult {
  readonly fills: readonly FillRecord[];
  readonly trades: readonly RoundTripTrade[];
  readonly equityCurve: readonly EquityPoint[];
  readonly metrics: BacktestMetrics;
  readonly startingCash: Decimal;
  readonly finalCash: Decimal;
  readonly finalEquity: Decimal;
  readonly bars: number;
  readonly ordersSubmitted: number;
  readonly denials: readonly OrderDenial[];
  readonly prices: readonly PriceSeries[];
  readonly firstTs: number | null;
  readonly lastTs: number | null;
}

interface Cursor {
  readonly id: InstrumentId;
  readonly it: AsyncIterator<BarBatch>;
  batch: BarBatch | null;
  i: number;
  /** ts of the current bar, or +Infinity when exhausted. */
  head: number;
  /**
   * A chunk of the current batch row by row (ts, open, high, low, close, volume per bar): `length`
   * bars from batch index `base`; `i` indexes the chunk. The merge then reads one stream per
   * instrument instead of six, which the CPU's prefetcher follows (measured: −3 to −10 % CPU on a
   * 10-instrument run); chunks keep the copy small and in cache.
   */
  rows: Float64Array;
  base: number;
  length: number;
  /** Decimated closes for the report (null when prices are not collected). */
  sampler: PriceSampler | null;
  /** The simulated exchange's bar processor bound to this instrument's book. */
  match: (bar: Bar) => void;
  /** The round-trip tracker's bar recorder bound to this instrument. */
  track: (ts: number, high: number, low: number) => void;
  /** The kernel's bar handler bound to this instrument. */
  dispatch: (bar: Bar) => void;
}

/** The runner's per-instrument state for fill records. */
interface FillSlot {
  readonly inst: Instrument;
  /** Quantity of the instrument's last fill (later equal quantities share this instance). */
  lastQty: Decimal | undefined;
}

/** Online decimation of a price series to at most ~2 × cap points. */
class PriceSampler {
  readonly ts: number[] = [];
  readonly close: number[] = [];
  private stride = 1;
  private n = 0;
  constructor(private readonly cap: number) {}
  add(ts: number, close: number): void {
    if (this.n++ % this.stride !== 0) return;
    this.ts.push(ts);
    this.close.push(close);
    if (this.ts.length >= 2 * this.cap) {
      let j = 0;
      for (let k = 0; k < this.ts.length; k += 2, j++) {
        this.ts[j] = this.ts[k];
        this.close[j] = this.close[k];
      }
      this.ts.length = j;
      this.close.length = j;
      this.stride *= 2;
    }
  }
}

/**
 * Runs a backtest: merges the instruments' bar streams in time order (ties in instrument order),
 * advances the simulated clock to each bar (firing timers), lets the simulated exchange match
 * resting orders against the bar, then hands the bar to the kernel (portfolio mark, strategies).
 * The kernel is the same one the live engine runs. Equity is sampled at the last bar of each
 * exchange-local day and at the end; analytics and the report are computed from the records.
 */
export async function runBacktest(spec: BacktestSpec): Promise<BacktestResult> {
  if (spec.instruments.length === 0)
    throw new ValidationError('instruments', spec.instruments, 'must name at least one instrument');
  if (spec.strategies.length === 0)
    throw new ValidationError('strategies', spec.strategies, 'must contain at least one strategy');
  const zone = assertZone(spec.timeZone ?? 'America/New_York');
  const startingCash = toDecimal(spec.startingCash, 'cash');
  if (startingCash.lte(0))
    throw new ValidationError('cash', spec.startingCash, 'must be greater than 0');
  const byId = new Map(spec.instruments.map((i) => [i.id, i] as const));

  const requests: readonly BarRequest[] =
    spec.requests ?? spec.instruments.map((i) => ({ instrumentId: i.id }));
  const cursors: Cursor[] = [];
  for (const r of requests) {
    if (!byId.has(r.instrumentId))
      throw new ValidationError(
        'requests.instrumentId',
        r.instrumentId,
        'must be a configured instrument',
      );
    const it = spec.data
      .loadBars({ ...r, from: r.from ?? spec.from, to: r.to ?? spec.to })
      [Symbol.asyncIterator]();
    const c: Cursor = {
      id: r.instrumentId,
      it,
      batch: null,
      i: 0,
      head: Infinity,
      rows: new Float64Array(ROW_CHUNK * 6),
      base: 0,
      length: 0,
      sampler: null,
      // bound below, once the exchange and the tracker exist
      match: () => undefined,
      track: () => undefined,
      dispatch: () => undefined,
    };
    await advanceBatch(c);
    cursors.push(c);
  }
  const firstTs = Math.min(...cursors.map((c) => c.head));
  const clock = new SimulatedClock(Number.isFinite(firstTs) ? firstTs : 0);

  const exchange = new SimulatedExchange({
    clock,
    instruments: spec.instruments,
    fill: spec.fill ?? fillModelConfig(),
    commission: spec.commission ?? commissionModel(),
    slippage: spec.slippage ?? slippageModel(),
    startingCash,
  });
  for (const c of cursors) c.match = exchange.barProcessorFor(c.id);
  const portfolio = new Portfolio({ startingCash, instruments: spec.instruments, timeZone: zone });
  let kernel: TradingKernel | null = null;
  const risk = RiskEngine.create(
    { ...(spec.risk ?? {}), timeZone: spec.risk?.timeZone ?? zone },
    { onEvent: (e) => kernel?.onRiskEvent(e) },
  );
  kernel = new TradingKernel({
    clock,
    broker: exchange,
    portfolio,
    risk,
    instruments: spec.instruments,
    strategies: spec.strategies,
    journal: spec.journal,
    tradingHours: spec.tradingHours,
    onStrategyError: 'throw',
  });

  for (const c of cursors) c.dispatch = kernel.barHandlerFor(c.id);

  const fills: FillRecord[] = [];
  // Per instrument: its definition and the last fill quantity. Every fill is kept for the report:
  // equal quantities/commissions share one Decimal instance (Decimals are immutable and an equal
  // value prints identically), which keeps a long run's memory flat instead of ~150 bytes per
  // repeated value.
  const fillSlots = new Map<string, FillSlot>();
  for (const inst of spec.instruments) fillSlots.set(inst.id, { inst, lastQty: undefined });
  let lastCommission: Decimal | undefined;
  const denials: OrderDenial[] = [];
  const tracker = new RoundTripTracker();
  // metrics' sums, fed as fills and trades are made (see computeMetrics' fillTotals/tradeTotals)
  const fillTotals = new FillTotals();
  const tradeTotals = new TradeTotals();
  const closed = tracker.trades();
  let tradesSummed = 0;
  for (const c of cursors) c.track = tracker.barRecorderFor(c.id);
  let ordersSubmitted = 0;
  kernel.onEvent(
    (e) => {
      if (e.kind === 'order') {
        const ev = e.event;
        if (ev.type === 'OrderSubmitted') ordersSubmitted++;
        else if (ev.type === 'OrderFilled') {
          const order = e.order;
          const slot = fillSlots.get(order.instrumentId)!;
          const inst = slot.inst;
          // (the event's lastQty is the order's last fill's: a published fill was applied)
          let quantity = ev.lastQty.value;
          const prevQty = slot.lastQty;
          // (the same instance first: the exchange and kernel already share order quantities)
          if (
            prevQty !== undefined &&
            (prevQty === quantity || compareDecimals(prevQty, quantity) === 0)
          )
            quantity = prevQty;
          else slot.lastQty = quantity;
          let commission = ev.commission.amount;
          if (
            lastCommission !== undefined &&
            (lastCommission === commission || compareDecimals(lastCommission, commission) === 0)
          )
            commission = lastCommission;
          else lastCommission = commission;
          const f: FillRecord = {
            ts: ev.tsEvent,
            // The instrument's own id string, not the order's copy (one string per fill otherwise).
            instrumentId: inst.id,
            side: order.side,
            quantity,
            price: ev.lastPx.value,
            commission,
            clientOrderId: ev.clientOrderId as ClientOrderId,
            tradeId: ev.tradeId as TradeId,
            multiplier: inst.multiplier,
          };
          fills.push(f);
          fillTotals.add(f);
          tracker.onFill(f, inst.multiplier);
          // the trades this fill closed, summed while they are still in cache (the tracker's list
          // is one array, appended to)
          for (; tradesSummed < closed.length; tradesSummed++)
            tradeTotals.add(closed[tradesSummed]);
        }
      } else if (e.kind === 'denied') denials.push(e.denial);
      spec.onKernelEvent?.(e);
    },
    // only order and denial events unless the caller wants all: fills are then booked without
    // building portfolio events nobody reads
    spec.onKernelEvent === undefined ? { kinds: ['order', 'denied'] } : undefined,
  );

  const curve: EquityPoint[] = [];
  const sample = (ts: number) => {
    kernel!.recordEquity(ts);
    const point: EquityPoint = {
      ts,
      equity: portfolio.equity().amount,
      cash: portfolio.cash().amount,
    };
    if (curve.length > 0 && curve[curve.length - 1].ts === ts) curve[curve.length - 1] = point;
    else curve.push(point);
  };

  const samplers = new Map<InstrumentId, PriceSampler>();
  const collect = spec.collectPrices ?? true;
  if (collect)
    for (const c of cursors) {
      c.sampler = samplers.get(c.id) ?? new PriceSampler(5_000);
      samplers.set(c.id, c.sampler);
    }
  const progressEvery = spec.progressEvery ?? 65_536;
  const onProgress = spec.onProgress;

  kernel.start();
  if (Number.isFinite(firstTs)) sample(firstTs);
  let bars = 0;
  let barsInMarket = 0;
  let lastTs = Number.NaN;
  let dayEnd = Number.isFinite(firstTs) ? nextLocalMidnight(firstTs, zone) : Infinity;
  const n = cursors.length;
  for (;;) {
    // pick the cursor with the earliest bar (ties: request order)
    let c: Cursor | null = null;
    let best = Infinity;
    for (let k = 0; k < n; k++) {
      const h = cursors[k].head;
      if (h < best) {
        best = h;
        c = cursors[k];
      }
    }
    if (c === null) break;
    const rows = c.rows;
    const i = c.i;
    const j = i * 6;
    const ts = rows[j];
    if (ts >= dayEnd) {
      sample(lastTs);
      dayEnd = nextLocalMidnight(ts, zone);
    }
    clock.advanceTo(ts);
    const bar = {
      instrumentId: c.id,
      ts,
      open: rows[j + 1],
      high: rows[j + 2],
      low: rows[j + 3],
      close: rows[j + 4],
      volume: rows[j + 5],
    };
    c.match(bar);
    c.dispatch(bar);
    c.track(ts, bar.high, bar.low);
    if (portfolio.openPositionCount() > 0) barsInMarket++;
    if (c.sampler !== null) c.sampler.add(ts, bar.close);
    lastTs = ts;
    bars++;
    if (onProgress !== undefined && bars % progressEvery === 0) onProgress(bars);
    // next bar of this cursor
    if (i + 1 < c.length) {
      c.i = i + 1;
      c.head = rows[j + 6];
    } else if (c.base + c.length < (c.batch as BarBatch).length) {
      loadChunk(c, c.base + c.length);
    } else {
      await advanceBatch(c);
    }
  }
  if (bars > 0) sample(lastTs);
  kernel.stop();
  spec.onProgress?.(bars);

  const trades = tracker.trades();
  const metrics = computeMetrics({
    equityCurve: curve,
    trades,
    fills,
    startingCash,
    timeZone: zone,
    barsInMarket,
    totalBars: bars,
    fillTotals,
    tradeTotals,
  });
  return {
    fills,
    trades,
    equityCurve: curve,
    metrics,
    startingCash,
    finalCash: portfolio.cash().amount,
    finalEquity: portfolio.equity().amount,
    bars,
    ordersSubmitted,
    denials,
    prices: [...samplers].map(([id, s]) => ({ instrumentId: id, ts: s.ts, close: s.close })),
    firstTs: Number.isFinite(firstTs) ? firstTs : null,
    lastTs: bars > 0 ? lastTs : null,
  };
}

/** Bars per row-major chunk of a cursor. */
const ROW_CHUNK = 4096;

/** Copies bars [from, from + ROW_CHUNK) of the cursor's batch into its rows; points at the first. */
function loadChunk(c: Cursor, from: number): void {
  const b = c.batch as BarBatch;
  const n = Math.min(ROW_CHUNK, b.length - from);
  const rows = c.rows;
  const { ts, open, high, low, close, volume } = b;
  for (let k = from, j = 0, end = from + n; k < end; k++, j += 6) {
    rows[j] = ts[k];
    rows[j + 1] = open[k];
    rows[j + 2] = high[k];
    rows[j + 3] = low[k];
    rows[j + 4] = close[k];
    rows[j + 5] = volume[k];
  }
  c.base = from;
  c.length = n;
  c.i = 0;
  c.head = rows[0];
}

async function advanceBatch(c: Cursor): Promise<void> {
  for (;;) {
    const r = await c.it.next();
    if (r.done) {
      c.batch = null;
      c.head = Infinity;
      return;
    }
    if (r.value.length > 0) {
      c.batch = r.value;
      loadChunk(c, 0);
      return;
    }
  }
}

/** UTC ms of the next local midnight after `ts` in `zone`. */
export function nextLocalMidnight(ts: number, zone: string): number {
  return exchangeDay(ts, zone).end;
}

import {
  clientOrderId,
  InstrumentId,
  MS,
  OrderSide,
  parseTimestamp,
  tradeId,
  TradingDecimal,
} from '@trading/domain';
import { EquityPoint, FillRecord } from '../analytics/analytics.types';
import { computeMetrics } from '../analytics/metrics';
import { RoundTripTracker } from '../analytics/round-trip-tracker';
import { BacktestReportInput, PriceSeries } from './html-report';

/** Options of {@link sampleReportInput}. */
export interface SampleReportOptions {
  /** Instrument ids (any text: the report must escape it). Default `['AAA.SIM', 'BBB.SIM']`. */
  readonly instruments?: readonly string[];
  /** Number of daily bars (default 260). */
  readonly days?: number;
  /** PRNG seed (default 42). */
  readonly seed?: number;
}

/**
 * A deterministic synthetic backtest (seeded random-walk closes, SMA 5/20 crossover, long/short
 * 10 units, 1.00 commission per fill) run through {@link RoundTripTracker} and
 * {@link computeMetrics}: realistic input for report tests and demos. No engine involved.
 */
export function sampleReportInput(options: SampleReportOptions = {}): BacktestReportInput {
  const ids = (options.instruments ?? ['AAA.SIM', 'BBB.SIM']) as InstrumentId[];
  const days = options.days ?? 260;
  let state = (options.seed ?? 42) >>> 0;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  // Weekday 16:00 New York closes from 2023-01-03.
  const times: number[] = [];
  for (let t = parseTimestamp('2023-01-03T21:00:00Z'); times.length < days; t += MS.DAY) {
    const dow = Math.floor(t / MS.DAY + 4) % 7; // 0 = Sunday
    if (dow !== 0 && dow !== 6) times.push(t);
  }
  const closes = ids.map((_, k) => {
    let p = 100 + 50 * k;
    return times.map(() => {
      p = Math.max(1, p * (1 + (rand() - 0.49) * 0.04));
      return Math.round(p * 100) / 100;
    });
  });

  const startingCash = new TradingDecimal(100_000);
  const qty = new TradingDecimal(10);
  const commission = new TradingDecimal(1);
  let cash = startingCash;
  const position = ids.map(() => 0);
  const tracker = new RoundTripTracker();
  const fills: FillRecord[] = [];
  const equityCurve: EquityPoint[] = [
    { ts: times[0] - MS.HOUR * 7, equity: startingCash, cash: startingCash },
  ];
  const sma = (xs: number[], i: number, n: number) =>
    i + 1 < n ? NaN : xs.slice(i + 1 - n, i + 1).reduce((a, b) => a + b, 0) / n;
  let seq = 0;

  times.forEach((ts, i) => {
    let equity = new TradingDecimal(0);
    ids.forEach((id, k) => {
      const close = closes[k][i];
      tracker.onBar(id, ts, close * 1.01, close * 0.99);
      const fast = sma(closes[k], i, 5);
      const slow = sma(closes[k], i, 20);
      const target = Number.isNaN(slow) ? 0 : fast > slow ? 1 : k % 2 === 1 ? -1 : 0;
      let delta = target - position[k];
      while (delta !== 0) {
        const side: OrderSide = delta > 0 ? 'BUY' : 'SELL';
        const price = new TradingDecimal(close);
        seq++;
        const f: FillRecord = {
          ts,
          instrumentId: id,
          side,
          quantity: qty,
          price,
          commission,
          clientOrderId: clientOrderId(`sample-${seq}`),
          tradeId: tradeId(`x-${seq}`),
        };
        fills.push(f);
        tracker.onFill(f);
        cash = cash.sub(price.mul(qty).mul(delta > 0 ? 1 : -1)).sub(commission);
        position[k] += delta > 0 ? 1 : -1;
        delta += delta > 0 ? -1 : 1;
      }
      equity = equity.add(qty.mul(position[k]).mul(close));
    });
    equityCurve.push({ ts, equity: cash.add(equity), cash });
  });

  const trades = [...tracker.trades()];
  const prices: PriceSeries[] = ids.map((id, k) => ({
    instrumentId: id,
    ts: times,
    close: closes[k],
  }));
  return {
    title: 'Sample backtest: SMA 5/20 crossover',
    config: {
      strategy: 'sma-crossover',
      fast: 5,
      slow: 20,
      instruments: ids.join(', '),
      startingCash: startingCash.toFixed(),
      commissionPerFill: '1',
      days,
    },
    metrics: computeMetrics({ equityCurve, trades, fills, startingCash }),
    equityCurve,
    trades,
    fills,
    prices,
  };
}

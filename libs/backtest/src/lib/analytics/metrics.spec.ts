import {
  clientOrderId,
  instrumentId,
  MS,
  OrderSide,
  parseTimestamp,
  tradeId,
  TradingDecimal,
} from '@trading/domain';
import { EquityPoint, FillRecord, RoundTripTrade } from './analytics.types';
import { exchangeDate } from '@trading/domain';
import {
  drawdownPeriods,
  drawdownSeries,
  localDayKeyer,
  resampleToTradingDays,
  simpleReturns,
} from './equity-series';
import { computeMetrics, exposureFromFills, MetricsInput } from './metrics';
import { stableJson } from './stable-json';

const d = (x: string | number) => new TradingDecimal(x);
const AAA = instrumentId('AAA', 'SIM');
/** 2024-01-02 16:00 New York (a Tuesday close). */
const T0 = parseTimestamp('2024-01-02T21:00:00Z');
const day = (i: number) => T0 + i * MS.DAY;

function curve(values: number[], ts: (i: number) => number = day): EquityPoint[] {
  return values.map((v, i) => ({ ts: ts(i), equity: d(v), cash: d(v) }));
}

function trade(net: string): RoundTripTrade {
  const n = d(net);
  return {
    instrumentId: AAA,
    direction: 'LONG',
    entryTs: T0,
    exitTs: T0 + 1,
    quantity: d(1),
    entryPrice: d(100),
    exitPrice: d(100).add(n),
    multiplier: d(1),
    grossPnl: n,
    commission: d(0),
    netPnl: n,
    returnPct: n.div(100).toNumber(),
    mae: 0,
    mfe: 0,
    maeValue: 0,
    mfeValue: 0,
    barsHeld: 1,
    entryClientOrderId: 'a',
    exitClientOrderId: 'b',
  };
}

let seq = 0;
function fill(
  ts: number,
  side: OrderSide,
  qty: string,
  price: string,
  commission = '0',
  multiplier?: string,
): FillRecord {
  seq++;
  return {
    ts,
    instrumentId: AAA,
    side,
    quantity: d(qty),
    price: d(price),
    commission: d(commission),
    clientOrderId: clientOrderId(`o-${seq}`),
    tradeId: tradeId(`t-${seq}`),
    ...(multiplier ? { multiplier: d(multiplier) } : {}),
  };
}

const base = (over: Partial<MetricsInput>): MetricsInput => ({
  equityCurve: [],
  trades: [],
  fills: [],
  startingCash: '100',
  ...over,
});

describe('equity series helpers', () => {
  it('computes simple returns and skips periods starting at non-positive equity', () => {
    expect(simpleReturns([100, 110, 99, 120])).toEqual(
      [0.1, -0.1, 120 / 99 - 1].map((x) => expect.closeTo(x, 15)),
    );
    expect(simpleReturns([100, 50, -20, 10])).toEqual(
      [-0.5, -1.4].map((x) => expect.closeTo(x, 15)),
    );
  });

  it('keeps the last point of each New York calendar day', () => {
    const pts = [
      parseTimestamp('2024-01-02T15:00:00Z'), // 10:00 NY, Jan 2
      parseTimestamp('2024-01-02T20:59:00Z'), // 15:59 NY, Jan 2
      parseTimestamp('2024-01-03T02:00:00Z'), // 21:00 NY, still Jan 2
      parseTimestamp('2024-01-03T15:00:00Z'), // Jan 3
    ].map((ts, i) => ({ ts, i }));
    expect(resampleToTradingDays(pts).map((p) => p.i)).toEqual([2, 3]);
    // In UTC the 02:00Z point belongs to Jan 3.
    expect(resampleToTradingDays(pts, 'UTC').map((p) => p.i)).toEqual([1, 3]);
  });

  it('agrees with exchangeDate across DST changes (day key = local days since epoch)', () => {
    const key = localDayKeyer('America/New_York');
    const epochDay = (date: string) => parseTimestamp(`${date}T00:00:00Z`) / MS.DAY;
    // Every 7 minutes around the 2024 spring-forward and fall-back nights.
    for (const start of ['2024-03-09T12:00:00Z', '2024-11-02T12:00:00Z']) {
      const t0 = parseTimestamp(start);
      for (let t = t0; t < t0 + 2 * MS.DAY; t += 7 * MS.MINUTE) {
        expect(key(t)).toBe(epochDay(exchangeDate(t, 'America/New_York')));
      }
    }
  });

  it('measures drawdown from the running peak and splits episodes', () => {
    const c = [100, 110, 99, 120, 60, 130].map((value, ts) => ({ ts, value }));
    expect(drawdownSeries(c).map((p) => p.drawdown)).toEqual([0, 0, 0.1, 0, 0.5, 0]);
    expect(drawdownPeriods(c)).toEqual([
      { startTs: 1, troughTs: 2, endTs: 3, depth: 0.1, durationMs: 2, recovered: true },
      { startTs: 3, troughTs: 4, endTs: 5, depth: 0.5, durationMs: 2, recovered: true },
    ]);
    expect(drawdownPeriods([100, 90, 95].map((value, ts) => ({ ts, value })))).toEqual([
      { startTs: 0, troughTs: 1, endTs: null, depth: 0.1, durationMs: 2, recovered: false },
    ]);
  });
});

describe('computeMetrics', () => {
  it('equity 100 → 110 → 99 → 120 (daily): returns, drawdown, Sharpe, Sortino, CAGR, Calmar', () => {
    const m = computeMetrics(base({ equityCurve: curve([100, 110, 99, 120]) }));
    expect(m.totalReturn).toBeCloseTo(0.2, 12);
    expect(m.finalEquity).toBe('120');
    expect(m.netProfit).toBe('20');
    expect(m.returnPeriods).toBe(3);
    // Drawdown 110 → 99 = 11/110 = 10 %, from day 1 (peak) to day 2 (trough), recovered day 3.
    expect(m.maxDrawdown).toBeCloseTo(0.1, 12);
    expect([m.maxDrawdownStartTs, m.maxDrawdownTroughTs, m.maxDrawdownEndTs]).toEqual([
      day(1),
      day(2),
      day(3),
    ]);
    expect(m.maxDrawdownDurationMs).toBe(2 * MS.DAY);
    expect(m.maxDrawdownDurationDays).toBe(2);
    // Returns r = [0.1, −0.1, 0.2121…]: mean 0.070707…, sample stdev 0.158109…
    // Sharpe = 0.0707071 / 0.1581090 × √252 = 7.09915; volatility = 0.1581090 × √252 = 2.50993.
    expect(m.sharpe).toBeCloseTo(7.09915, 4);
    expect(m.annualVolatility).toBeCloseTo(2.50993, 4);
    // Downside deviation = √((0 + 0.01 + 0) / 3) = 0.0577350; Sortino = 0.0707071 / 0.0577350 × √252 = 19.4412.
    expect(m.sortino).toBeCloseTo(19.4412, 3);
    // CAGR over 3 calendar days: 1.2^(365.25 / 3) − 1.
    expect(m.cagr).toBeCloseTo(Math.pow(1.2, 365.25 / 3) - 1, 0);
    expect(m.calmar).toBeCloseTo((m.cagr as number) / 0.1, 0);
  });

  it('uses a per-period risk-free rate in Sharpe', () => {
    const rf = 0.05;
    const m = computeMetrics(base({ equityCurve: curve([100, 110, 99, 120]), riskFreeRate: rf }));
    const rfp = Math.pow(1.05, 1 / 252) - 1;
    // The stdev of excess returns equals the stdev of returns; only the mean shifts.
    expect(m.sharpe).toBeCloseTo(((0.0707070707 - rfp) / 0.1581090432) * Math.sqrt(252), 4);
  });

  it('resamples intraday points to New York day closes before return statistics', () => {
    const intraday = [
      { ts: parseTimestamp('2024-01-02T15:00:00Z'), v: 100 },
      { ts: parseTimestamp('2024-01-02T18:00:00Z'), v: 150 }, // intraday spike: not a daily close
      { ts: parseTimestamp('2024-01-02T21:00:00Z'), v: 100 },
      { ts: parseTimestamp('2024-01-03T21:00:00Z'), v: 110 },
      { ts: parseTimestamp('2024-01-04T21:00:00Z'), v: 99 },
    ];
    const c = intraday.map((p) => ({ ts: p.ts, equity: d(p.v), cash: d(p.v) }));
    const m = computeMetrics(base({ equityCurve: c }));
    expect(m.returnPeriods).toBe(2); // 100 → 110 → 99
    expect(m.annualVolatility).toBeCloseTo(Math.sqrt(0.02) * Math.sqrt(252), 10); // stdev(0.1, −0.1) = √0.02
    // Drawdown uses the full-resolution curve: 150 → 99 = 34 %.
    expect(m.maxDrawdown).toBeCloseTo(51 / 150, 12);
    const raw = computeMetrics(base({ equityCurve: c, resample: 'none' }));
    expect(raw.returnPeriods).toBe(4);
  });

  it('reports the longest drawdown duration separately from the deepest drawdown', () => {
    // Deep but short: 100 → 50 → 100 (days 0–2); shallow but long: 100 → 99 … → 101 (days 2–10).
    const m = computeMetrics(
      base({ equityCurve: curve([100, 50, 100, 99, 99, 99, 99, 99, 99, 99, 101]) }),
    );
    expect(m.maxDrawdown).toBeCloseTo(0.5, 12);
    expect([m.maxDrawdownStartTs, m.maxDrawdownTroughTs, m.maxDrawdownEndTs]).toEqual([
      day(0),
      day(1),
      day(2),
    ]);
    expect(m.maxDrawdownDurationDays).toBe(8);
  });

  it('flat equity: zero volatility, no Sharpe/Sortino/Calmar, no drawdown', () => {
    const m = computeMetrics(base({ equityCurve: curve([100, 100, 100, 100]) }));
    expect(m).toMatchObject({
      annualVolatility: 0,
      sharpe: null,
      sortino: null,
      calmar: null,
      maxDrawdown: 0,
      totalReturn: 0,
      cagr: 0,
      maxDrawdownDurationMs: 0,
    });
    expect(m.maxDrawdownStartTs).toBeNull();
  });

  it('single point and empty curve', () => {
    const one = computeMetrics(base({ equityCurve: curve([105]) }));
    expect(one).toMatchObject({
      returnPeriods: 0,
      annualVolatility: null,
      sharpe: null,
      sortino: null,
      cagr: null,
      maxDrawdown: 0,
      exposure: null,
      finalEquity: '105',
    });
    expect(one.totalReturn).toBeCloseTo(0.05, 12);
    const none = computeMetrics(base({}));
    expect(none).toMatchObject({
      startTs: null,
      endTs: null,
      finalEquity: '100',
      totalReturn: 0,
      cagr: null,
      turnover: 0,
    });
  });

  it('negative equity: drawdown beyond 100 %, CAGR −1, returns after ruin skipped', () => {
    const m = computeMetrics(base({ equityCurve: curve([100, 50, -20, 10]) }));
    expect(m.maxDrawdown).toBeCloseTo(1.2, 12);
    expect(m.cagr).toBe(-1);
    expect(m.totalReturn).toBeCloseTo(-0.9, 12);
    expect(m.returnPeriods).toBe(2);
    expect(m.maxDrawdownEndTs).toBeNull();
    expect(m.turnover).toBe(0); // no fills; mean equity (100 + 50 − 20 + 10) / 4 = 35
    // A non-positive mean equity is no base for turnover.
    expect(computeMetrics(base({ equityCurve: curve([-10, -20]) })).turnover).toBeNull();
  });

  it('trade statistics: win rate, profit factor, expectancy, average win/loss', () => {
    const m = computeMetrics(base({ trades: ['10', '-5', '20', '0', '-15'].map(trade) }));
    expect(m).toMatchObject({ tradeCount: 5, winningTrades: 2, losingTrades: 2, winRate: 0.4 });
    expect(m.grossProfit).toBe('30');
    expect(m.grossLoss).toBe('20');
    expect(m.profitFactor).toBe(1.5);
    expect(m.expectancy).toBe('2'); // (10 − 5 + 20 + 0 − 15) / 5
    expect(m.averageWin).toBe('15');
    expect(m.averageLoss).toBe('-10');
    expect(m.totalTradeNetPnl).toBe('10');
  });

  it('no trades: trade statistics are null; only winners: profit factor Infinity → null in JSON', () => {
    const none = computeMetrics(base({}));
    expect(none).toMatchObject({
      tradeCount: 0,
      winRate: null,
      profitFactor: null,
      expectancy: null,
      averageWin: null,
      averageLoss: null,
    });
    const wins = computeMetrics(base({ trades: [trade('5'), trade('7')] }));
    expect(wins.profitFactor).toBe(Infinity);
    expect(JSON.parse(stableJson(wins)).profitFactor).toBeNull();
    expect(wins.averageLoss).toBeNull();
    expect(computeMetrics(base({ trades: [trade('3'), trade('-1')].slice(1) })).profitFactor).toBe(
      0,
    );
  });

  it('rounds money averages to 10 decimal places', () => {
    const m = computeMetrics(base({ trades: ['1', '1', '-1'].map(trade) }));
    expect(m.expectancy).toBe('0.3333333333');
  });

  it('commissions, traded notional (with multiplier) and turnover', () => {
    const fills = [
      fill(day(0), 'BUY', '10', '10', '1'),
      fill(day(1), 'SELL', '10', '12', '1.5'),
      fill(day(2), 'BUY', '1', '5', '0', '50'),
    ];
    const m = computeMetrics(base({ equityCurve: curve([100, 120, 100, 120]), fills }));
    expect(m.totalCommission).toBe('2.5');
    expect(m.tradedNotional).toBe('470'); // 100 + 120 + 1 × 5 × 50
    expect(m.turnover).toBeCloseTo(470 / 110, 12);
    expect(m.fillCount).toBe(3);
  });

  it('exposure: override, bars, or time-weighted from fills', () => {
    const c = curve([100, 100, 100, 100, 100], (i) => i * 10);
    const fills = [fill(10, 'BUY', '5', '1'), fill(30, 'SELL', '5', '1')];
    // Long over [10, 30) of [0, 40].
    expect(exposureFromFills(fills, c)).toBe(0.5);
    expect(computeMetrics(base({ equityCurve: c, fills }))).toMatchObject({
      exposure: 0.5,
      exposureSource: 'fills',
    });
    expect(
      computeMetrics(base({ equityCurve: c, fills, barsInMarket: 3, totalBars: 4 })),
    ).toMatchObject({ exposure: 0.75, exposureSource: 'bars' });
    expect(computeMetrics(base({ equityCurve: c, fills, exposure: 0.2 }))).toMatchObject({
      exposure: 0.2,
      exposureSource: 'input',
    });
    // A flip keeps the position non-flat.
    expect(exposureFromFills([fill(0, 'BUY', '1', '1'), fill(20, 'SELL', '2', '1')], c)).toBe(1);
  });

  it('validates its inputs', () => {
    expect(() => computeMetrics(base({ periodsPerYear: 0 }))).toThrow(/periodsPerYear/);
    expect(() => computeMetrics(base({ riskFreeRate: NaN }))).toThrow(/riskFreeRate/);
    expect(() => computeMetrics(base({ exposure: 1.5 }))).toThrow(/exposure/);
    expect(() => computeMetrics(base({ barsInMarket: 5, totalBars: 4 }))).toThrow(/barsInMarket/);
    expect(() => computeMetrics(base({ timeZone: 'Mars/Base' }))).toThrow(/timeZone/);
    expect(() => computeMetrics(base({ equityCurve: curve([1, 2], (i) => 10 - i) }))).toThrow(
      /equityCurve\[1\]/,
    );
  });

  it('is deterministic: the same input gives byte-identical JSON', () => {
    const input = base({
      equityCurve: curve([100, 101.3, 99.7, 104.1, 103.9]),
      trades: ['1.1', '-0.3'].map(trade),
      fills: [fill(day(0), 'BUY', '3', '33.33', '0.1')],
    });
    expect(stableJson(computeMetrics(input))).toBe(stableJson(computeMetrics(input)));
  });
});

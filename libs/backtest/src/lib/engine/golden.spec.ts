/**
 * Hand-checked golden tests: a spreadsheet-style calculation written out in the test (one row per
 * bar: SMA as a plain average, cross signal, next-open fill, cash, position, equity) must equal
 * every fill price, cash and equity value the backtest produces, exactly (decimal), on real data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Instrument, localToUtc, TradingDecimal, Decimal } from '@trading/domain';
import { CsvHistoricalData } from '@trading/data-providers-file';
import { createStrategy } from '@trading/strategies';
import { commissionModel } from '@trading/brokers';
import { runBacktest } from './backtest-runner';

const FIXTURES = path.resolve(__dirname, '../../../../data-providers-file/fixtures');
const D = (x: string | number) => new TradingDecimal(x);

interface Row {
  date: string;
  open: string;
  close: string;
}

function readRows(file: string, count: number): Row[] {
  const lines = fs
    .readFileSync(path.join(FIXTURES, file), 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1, count + 1);
  return lines.map((l) => {
    const c = l.split(',');
    return { date: c[0], open: c[1], close: c[4] };
  });
}

/** The spreadsheet: returns expected fills and end-of-day cash/equity per row. */
function spreadsheet(
  rows: Row[],
  opts: {
    period: number;
    qty: Decimal;
    commissionPerUnit: Decimal;
    minCommission: Decimal;
    multiplier: Decimal;
    futures: boolean;
    cash: Decimal;
  },
) {
  const closes = rows.map((r) => Number(r.close));
  let lastDiff = 0;
  let pending: 'BUY' | 'SELL' | null = null;
  let pos = D(0);
  let entry = D(0);
  let cash = opts.cash;
  const fills: { date: string; side: string; price: string; commission: string }[] = [];
  const days: { date: string; cash: string; equity: string }[] = [];
  for (let t = 0; t < rows.length; t++) {
    // 1) a signal from yesterday fills at today's open
    if (pending) {
      const px = D(rows[t].open);
      const raw = opts.commissionPerUnit.mul(opts.qty);
      const commission = raw.lt(opts.minCommission) ? opts.minCommission : raw;
      if (pending === 'BUY') {
        pos = opts.qty;
        entry = px;
        cash = opts.futures
          ? cash.sub(commission)
          : cash.sub(px.mul(opts.qty).mul(opts.multiplier)).sub(commission);
      } else {
        cash = opts.futures
          ? cash.add(px.sub(entry).mul(opts.qty).mul(opts.multiplier)).sub(commission)
          : cash.add(px.mul(opts.qty).mul(opts.multiplier)).sub(commission);
        pos = D(0);
      }
      fills.push({
        date: rows[t].date,
        side: pending,
        price: px.toFixed(),
        commission: commission.toFixed(),
      });
      pending = null;
    }
    // 2) end-of-day equity at the close
    const close = D(rows[t].close);
    const equity = opts.futures
      ? cash.add(close.sub(entry).mul(pos).mul(opts.multiplier))
      : cash.add(close.mul(pos).mul(opts.multiplier));
    days.push({ date: rows[t].date, cash: cash.toFixed(), equity: equity.toFixed() });
    // 3) the signal: close vs AVERAGE(last `period` closes), cross = sign change vs the last non-zero difference
    if (t + 1 >= opts.period) {
      const window = closes.slice(t + 1 - opts.period, t + 1);
      const sma = window.reduce((a, b) => a + b, 0) / opts.period;
      const diff = closes[t] - sma;
      if (diff !== 0) {
        if (lastDiff < 0 && diff > 0 && pos.isZero()) pending = 'BUY';
        if (lastDiff > 0 && diff < 0 && pos.gt(0)) pending = 'SELL';
        lastDiff = diff;
      }
    }
  }
  return { fills, days, cash };
}

const dateOf = (ts: number, zone: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(ts);

jest.setTimeout(60_000);

describe('golden: sma-cross on real data equals the spreadsheet', () => {
  it('ORCL daily (shares), first 120 sessions of 1995, SMA(10), 100 shares, 0.005/unit min 1', async () => {
    const rows = readRows('orcl-1995-2014.txt', 120);
    const inst = new Instrument({ id: 'ORCL.SIM', assetClass: 'EQUITY', tickSize: '0.000001' });
    const data = new CsvHistoricalData({
      cacheDir: false,
      series: [
        {
          instrumentId: inst.id,
          path: path.join(FIXTURES, 'orcl-1995-2014.txt'),
          timeZone: 'America/New_York',
        },
      ],
    });
    const to = localToUtc(`${rows[rows.length - 1].date}T23:00:00`, 'America/New_York');
    const res = await runBacktest({
      instruments: [inst],
      data,
      to,
      strategies: [
        createStrategy('sma-cross', {
          id: 'G1',
          instruments: [inst.id],
          params: { period: 10, quantity: 100 },
        }),
      ],
      startingCash: '10000',
      commission: commissionModel({ perUnit: '0.005', minimum: '1' }),
    });
    const sheet = spreadsheet(rows, {
      period: 10,
      qty: D(100),
      commissionPerUnit: D('0.005'),
      minCommission: D(1),
      multiplier: D(1),
      futures: false,
      cash: D(10000),
    });
    expect(res.bars).toBe(120);
    expect(sheet.fills.length).toBeGreaterThanOrEqual(4);
    expect(
      res.fills.map((f) => ({
        date: dateOf(f.ts, 'America/New_York'),
        side: f.side,
        price: f.price.toFixed(),
        commission: f.commission.toFixed(),
      })),
    ).toEqual(sheet.fills);
    expect(
      res.equityCurve.map((p) => ({
        date: dateOf(p.ts, 'America/New_York'),
        cash: p.cash.toFixed(),
        equity: p.equity.toFixed(),
      })),
    ).toEqual(sheet.days);
    expect(res.finalCash.toFixed()).toBe(sheet.cash.toFixed());
  });

  it('futures-style instrument (multiplier 10, 2.00 per contract) on the 2006 daily index series', async () => {
    const rows = readRows('2006-day-001.txt', 255);
    const inst = new Instrument({
      id: 'FDAX.SIM',
      assetClass: 'FUTURE',
      tickSize: '0.01',
      multiplier: '10',
      timeZone: 'Europe/Berlin',
    });
    const data = new CsvHistoricalData({
      cacheDir: false,
      series: [
        {
          instrumentId: inst.id,
          path: path.join(FIXTURES, '2006-day-001.txt'),
          timeZone: 'Europe/Berlin',
          sessionClose: '17:30',
        },
      ],
    });
    const res = await runBacktest({
      instruments: [inst],
      data,
      strategies: [
        createStrategy('sma-cross', {
          id: 'G2',
          instruments: [inst.id],
          params: { period: 15, quantity: 2 },
        }),
      ],
      startingCash: '100000',
      commission: commissionModel({ perUnit: '2' }),
      timeZone: 'Europe/Berlin',
    });
    const sheet = spreadsheet(rows, {
      period: 15,
      qty: D(2),
      commissionPerUnit: D(2),
      minCommission: D(0),
      multiplier: D(10),
      futures: true,
      cash: D(100000),
    });
    expect(res.bars).toBe(255);
    expect(sheet.fills.length).toBeGreaterThanOrEqual(6);
    expect(
      res.fills.map((f) => ({
        date: dateOf(f.ts, 'Europe/Berlin'),
        side: f.side,
        price: f.price.toFixed(),
        commission: f.commission.toFixed(),
      })),
    ).toEqual(sheet.fills);
    expect(
      res.equityCurve.map((p) => ({
        date: dateOf(p.ts, 'Europe/Berlin'),
        cash: p.cash.toFixed(),
        equity: p.equity.toFixed(),
      })),
    ).toEqual(sheet.days);
    // round trips: P&L per trade = (exit − entry) × 2 × 10 − 2 fills × 2 contracts × 2.00
    for (const t of res.trades)
      expect(t.netPnl.toFixed()).toBe(t.exitPrice.sub(t.entryPrice).mul(20).sub(8).toFixed());
  });

  it('is deterministic: the same run twice gives byte-identical result JSON', async () => {
    const { renderJsonReport } = await import('../report/report-files');
    const once = async () => {
      const inst = new Instrument({ id: 'ORCL.SIM', tickSize: '0.000001' });
      const data = new CsvHistoricalData({
        cacheDir: false,
        series: [
          {
            instrumentId: inst.id,
            path: path.join(FIXTURES, 'orcl-1995-2014.txt'),
            timeZone: 'America/New_York',
          },
        ],
      });
      const r = await runBacktest({
        instruments: [inst],
        data,
        strategies: [
          createStrategy('sma-cross', {
            id: 'G3',
            instruments: [inst.id],
            params: { period: 20, quantity: 100 },
          }),
        ],
        startingCash: '100000',
      });
      return renderJsonReport({
        config: { strategy: 'sma-cross' },
        metrics: r.metrics,
        equityCurve: r.equityCurve,
        trades: r.trades,
        fills: r.fills,
        prices: r.prices,
      });
    };
    const a = await once();
    const b = await once();
    expect(a.length).toBeGreaterThan(10_000);
    expect(a).toBe(b);
  }, 120_000);
});

import fc from 'fast-check';
import {
  Bar,
  InstrumentId,
  Instrument,
  strategyId,
  TradingDecimal,
  localToUtc,
  MS,
} from '@trading/domain';
import { testEquity } from '@trading/domain/testing';
import { InMemoryHistoricalData, barsToBatch, syntheticBarBatches } from '@trading/data-providers';
import { Strategy, StrategyContext } from '@trading/engine';
import { commissionModel, fillModelConfig } from '@trading/brokers';
import { runBacktest } from './backtest-runner';

/** Buys `qty` on the first bar, sells on the third: a fixed script for hand-checking. */
function scripted(
  id: string,
  inst: InstrumentId,
  script: Record<number, 'BUY' | 'SELL'>,
  qty = '10',
): Strategy {
  let n = 0;
  return {
    id: strategyId(id),
    instruments: [inst],
    onBar(_bar: Bar, ctx: StrategyContext) {
      const side = script[n++];
      if (side) ctx.submit({ instrumentId: inst, side, quantity: qty });
    },
  };
}

const day = (d: number) => localToUtc(`2024-01-0${d}T16:00:00`, 'America/New_York');

function data(inst: Instrument, rows: [number, number, number, number, number][]) {
  return new InMemoryHistoricalData([
    {
      instrumentId: inst.id,
      source: 'mem',
      batches: [
        barsToBatch(
          inst.id,
          rows.map(([ts, o, h, l, c]) => ({
            ts,
            open: o,
            high: h,
            low: l,
            close: c,
            volume: 1000,
          })),
        ),
      ],
    },
  ]);
}

/** A series of flat bars (all prices 1, volume 1) at the given hours. */
function flatSeries(id: InstrumentId, hours: readonly number[]) {
  const bars = hours.map((t) => ({
    ts: t * MS.HOUR,
    open: 1,
    high: 1,
    low: 1,
    close: 1,
    volume: 1,
  }));
  return { instrumentId: id, source: 'm', batches: [barsToBatch(id, bars)] };
}

describe('runBacktest', () => {
  const inst = testEquity('ABC');
  const rows: [number, number, number, number, number][] = [
    [day(2), 10, 10.5, 9.5, 10.2],
    [day(3), 10.3, 10.9, 10.1, 10.8],
    [day(4), 10.7, 11.2, 10.6, 11.0],
    [day(5), 11.1, 11.3, 10.4, 10.5],
  ];

  it('fills market orders at the next open and accounts cash and equity exactly', async () => {
    const res = await runBacktest({
      instruments: [inst],
      data: data(inst, rows),
      strategies: [scripted('S', inst.id, { 0: 'BUY', 2: 'SELL' })],
      startingCash: '1000',
      commission: commissionModel({ perUnit: '0.01', minimum: '1' }),
    });
    // buy 10 @ 10.3 (open of day 3), commission max(0.10, 1) = 1 → cash 1000 − 103 − 1 = 896
    // sell 10 @ 11.1 (open of day 5), commission 1 → cash 896 + 111 − 1 = 1006
    expect(
      res.fills.map((f) => [
        f.side,
        f.price.toFixed(),
        f.quantity.toFixed(),
        f.commission.toFixed(),
        f.ts,
      ]),
    ).toEqual([
      ['BUY', '10.3', '10', '1', day(3)],
      ['SELL', '11.1', '10', '1', day(5)],
    ]);
    expect(res.finalCash.toFixed()).toBe('1006');
    expect(res.finalEquity.toFixed()).toBe('1006');
    // equity at each day close: 1000, 896 + 108 = 1004, 896 + 110 = 1006, 1006
    expect(res.equityCurve.map((p) => [p.ts, p.equity.toFixed(), p.cash.toFixed()])).toEqual([
      [day(2), '1000', '1000'],
      [day(3), '1004', '896'],
      [day(4), '1006', '896'],
      [day(5), '1006', '1006'],
    ]);
    expect(res.trades).toHaveLength(1);
    expect(res.trades[0].netPnl.toFixed()).toBe('6');
    expect(res.bars).toBe(4);
    expect(res.ordersSubmitted).toBe(2);
  });

  it('fills at the current close with fill=close', async () => {
    const res = await runBacktest({
      instruments: [inst],
      data: data(inst, rows),
      strategies: [scripted('S', inst.id, { 0: 'BUY', 2: 'SELL' })],
      startingCash: '1000',
      fill: fillModelConfig({ marketFill: 'close' }),
    });
    expect(res.fills.map((f) => f.price.toFixed())).toEqual(['10.2', '11']);
    expect(res.finalCash.toFixed()).toBe(new TradingDecimal(1000).sub(102).add(110).toFixed());
  });

  it('denies invalid orders with a reason instead of crashing', async () => {
    const bad: Strategy = {
      id: strategyId('BAD'),
      instruments: [inst.id],
      onBar(_b, ctx) {
        ctx.submit({ instrumentId: inst.id, side: 'BUY', quantity: Number.NaN });
        ctx.submit({ instrumentId: inst.id, side: 'BUY', quantity: '1e308' });
        ctx.submit({ instrumentId: inst.id, side: 'BUY', quantity: -5 });
        ctx.submit({
          instrumentId: inst.id,
          side: 'BUY',
          quantity: '1',
          type: 'LIMIT',
          limitPrice: '10.001',
        });
      },
    };
    const res = await runBacktest({
      instruments: [inst],
      data: data(inst, rows.slice(0, 1)),
      strategies: [bad],
      startingCash: '1000',
    });
    expect(res.fills).toHaveLength(0);
    expect(res.denials).toHaveLength(4);
    expect(res.denials.every((d) => d.reason.length > 0 && d.message.length > 0)).toBe(true);
    expect(res.finalCash.toFixed()).toBe('1000');
  });

  it('merges several instruments in time order', async () => {
    const a = testEquity('AAA');
    const b = testEquity('BBB');
    const seen: string[] = [];
    const watcher: Strategy = {
      id: strategyId('W'),
      instruments: [a.id, b.id],
      onBar: (bar) => void seen.push(`${bar.instrumentId}@${bar.ts}`),
    };
    const hd = new InMemoryHistoricalData([
      flatSeries(a.id, [1, 3, 5]),
      flatSeries(b.id, [2, 3, 4]),
    ]);
    await runBacktest({ instruments: [a, b], data: hd, strategies: [watcher], startingCash: 1 });
    expect(seen).toEqual([
      'AAA.SIM@3600000',
      'BBB.SIM@7200000',
      'AAA.SIM@10800000',
      'BBB.SIM@10800000',
      'BBB.SIM@14400000',
      'AAA.SIM@18000000',
    ]);
  });

  it('hands every bar over intact whatever the batch sizes (batch and row-chunk boundaries)', async () => {
    const insts = [testEquity('AAA'), testEquity('BBB'), testEquity('CCC')];
    const count = 9_000; // over two 4,096-bar row chunks per batch of the largest size
    const run = async (batchSize: number) => {
      const seen: number[] = [];
      const watcher: Strategy = {
        id: strategyId('W'),
        instruments: insts.map((i) => i.id),
        onBar: (bar) => void seen.push(bar.ts, bar.open, bar.high, bar.low, bar.close, bar.volume),
      };
      const hd = new InMemoryHistoricalData(
        insts.map((inst, k) => ({
          instrumentId: inst.id,
          source: 'syn',
          batches: [
            ...syntheticBarBatches({ instrumentId: inst.id, count: count - k, seed: k, batchSize }),
          ],
        })),
      );
      const res = await runBacktest({
        instruments: insts,
        data: hd,
        strategies: [watcher],
        startingCash: 1,
        collectPrices: false,
      });
      return { bars: res.bars, seen };
    };
    // what the columns hold, merged by time (ties in instrument order), read directly
    const want: number[] = [];
    const cols = insts.map((inst, k) => [
      ...syntheticBarBatches({ instrumentId: inst.id, count: count - k, seed: k, batchSize: 1 }),
    ]);
    for (let t = 0; t < count; t++)
      for (const c of cols)
        if (t < c.length) {
          const b = c[t];
          want.push(b.ts[0], b.open[0], b.high[0], b.low[0], b.close[0], b.volume[0]);
        }
    for (const size of [1, 4_095, 4_096, 4_097, 65_536]) {
      const got = await run(size);
      expect(got.bars).toBe(3 * count - 3);
      expect(got.seen).toEqual(want);
    }
  });

  it('merges any mix of shared and distinct timestamps in time order, ties in request order (model)', async () => {
    const insts = [testEquity('AAA'), testEquity('BBB'), testEquity('CCC'), testEquity('DDD')];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 30 }), {
          minLength: insts.length,
          maxLength: insts.length,
        }),
        async (lists) => {
          // strictly increasing hours per instrument, shared across instruments at random
          const hours = lists.map((l) => [...new Set(l)].sort((a, b) => a - b));
          const seen: string[] = [];
          const watcher: Strategy = {
            id: strategyId('W'),
            instruments: insts.map((i) => i.id),
            onBar: (bar) => void seen.push(`${bar.instrumentId}@${bar.ts}`),
          };
          const hd = new InMemoryHistoricalData(
            insts.map((inst, k) => flatSeries(inst.id, hours[k])),
          );
          await runBacktest({
            instruments: insts,
            data: hd,
            strategies: [watcher],
            startingCash: 1,
          });
          const want = insts
            .flatMap((inst, k) => hours[k].map((h) => ({ k, ts: h * MS.HOUR, id: inst.id })))
            .sort((a, b) => a.ts - b.ts || a.k - b.k)
            .map((x) => `${x.id}@${x.ts}`);
          expect(seen).toEqual(want);
        },
      ),
      { numRuns: 150 },
    );
  });
});

import { Bar, clientOrderId, instrumentId } from '@trading/domain';
import type { FillInfo, Strategy } from '@trading/engine';
import { RecordingContext, runBars } from './recording-context';

const ID = instrumentId('RC', 'SIM');
let ts = 0;
const bar = (open: number, high: number, low: number, close: number): Bar => ({
  instrumentId: ID,
  ts: (ts += 1000),
  open,
  high,
  low,
  close,
  volume: 1,
});

describe('RecordingContext', () => {
  it('fills MARKET orders at the current close, tracks position, cash and equity', () => {
    const ctx = new RecordingContext({ cash: 1000 });
    const noop: Strategy = { id: ctx.strategyId, instruments: [ID] };
    expect(ctx.submit({ instrumentId: ID, side: 'BUY', quantity: 1 })).toBe('test-1'); // no price yet → rejected
    expect(ctx.rejections[0].reasons[0]).toMatch(/no price/);
    expect(ctx.order(clientOrderId('test-1'))?.status).toBe('REJECTED');
    ctx.step(noop, bar(10, 10, 10, 10));
    expect(ctx.now()).toBe(ts);
    expect(ctx.lastPrice(ID)).toBe(10);
    ctx.submit({ instrumentId: ID, side: 'BUY', quantity: 3 });
    ctx.submit({ instrumentId: ID, side: 'BUY', quantity: 1 });
    ctx.step(noop, bar(12, 12, 12, 12));
    ctx.submit({ instrumentId: ID, side: 'BUY', quantity: 4 });
    let p = ctx.position(ID);
    expect([p.quantity.toNumber(), p.avgPrice?.toNumber(), p.side]).toEqual([8, 11, 'LONG']);
    expect(ctx.cash().amount.toNumber()).toBe(1000 - 40 - 48);
    expect(ctx.equity().amount.toNumber()).toBe(1000 - 88 + 96);
    ctx.submit({ instrumentId: ID, side: 'SELL', quantity: 10 }); // flips short 2 at 12
    p = ctx.position(ID);
    expect([p.quantity.toNumber(), p.avgPrice?.toNumber(), p.side]).toEqual([-2, 12, 'SHORT']);
    ctx.submit({ instrumentId: ID, side: 'SELL', quantity: 2 });
    expect(ctx.position(ID).avgPrice?.toNumber()).toBe(12);
    ctx.submit({ instrumentId: ID, side: 'BUY', quantity: 4 });
    expect(ctx.position(ID).side).toBe('FLAT');
    expect(ctx.position(instrumentId('X', 'SIM')).avgPrice).toBeNull();
    expect(ctx.order(clientOrderId('test-2'))?.status).toBe('FILLED');
  });

  it('keeps the last price of every instrument', () => {
    const other = instrumentId('OT', 'SIM');
    const ctx = new RecordingContext();
    const s: Strategy = { id: 'test' as never, instruments: [ID, other] };
    ctx.step(s, bar(5, 5, 5, 5));
    ctx.step(s, { ...bar(7, 7, 7, 7), instrumentId: other });
    ctx.step(s, { ...bar(8, 8, 8, 8), instrumentId: other });
    expect([
      ctx.lastPrice(ID),
      ctx.lastPrice(other),
      ctx.lastPrice(instrumentId('NO', 'SIM')),
    ]).toEqual([5, 8, undefined]);
    ctx.submit({ instrumentId: ID, side: 'BUY', quantity: 2 });
    expect(ctx.fills[0].price).toBe('5');
  });

  it('rejects invalid requests without throwing', () => {
    const ctx = new RecordingContext();
    ctx.submit({ instrumentId: ID, side: 'BUY', quantity: 1, type: 'LIMIT' }); // no limit price
    ctx.submit({ instrumentId: ID, side: 'BUY', quantity: 0 });
    ctx.submitBracket({
      instrumentId: ID,
      side: 'BUY',
      quantity: -1,
      takeProfitPrice: 1,
      stopLossPrice: 2,
    });
    expect(ctx.rejections.map((r) => r.reasons[0])).toEqual([
      expect.stringMatching(/limitPrice/),
      expect.stringMatching(/quantity/),
      expect.stringMatching(/quantity/),
      expect.stringMatching(/quantity/),
      expect.stringMatching(/quantity/),
    ]);
    expect(ctx.openOrders()).toEqual([]);
    expect(ctx.decisions.map((d) => d.kind)).toEqual(['submit', 'submit', 'submitBracket']);
  });

  it('matches resting LIMIT and STOP orders on later bars and delivers fills to onFill', () => {
    const got: FillInfo[] = [];
    const s: Strategy = { id: 'test' as never, instruments: [ID], onFill: (f) => got.push(f) };
    const ctx = new RecordingContext();
    ctx.step(s, bar(100, 100, 100, 100));
    const buyLimit = ctx.submit({
      instrumentId: ID,
      side: 'BUY',
      quantity: 1,
      type: 'LIMIT',
      limitPrice: '95',
    });
    const sellLimit = ctx.submit({
      instrumentId: ID,
      side: 'SELL',
      quantity: 1,
      type: 'LIMIT',
      limitPrice: '110',
    });
    const buyStop = ctx.submit({
      instrumentId: ID,
      side: 'BUY',
      quantity: 1,
      type: 'STOP',
      stopPrice: '105',
    });
    const sellStop = ctx.submit({
      instrumentId: ID,
      side: 'SELL',
      quantity: 1,
      type: 'STOP',
      stopPrice: '90',
    });
    const stopLimit = ctx.submit({
      instrumentId: ID,
      side: 'SELL',
      quantity: 1,
      type: 'STOP_LIMIT',
      stopPrice: '90',
      limitPrice: '89',
    });
    expect(ctx.openOrders(ID).length).toBe(5);
    ctx.step(s, bar(101, 104, 96, 102)); // nothing reached
    expect(got).toEqual([]);
    ctx.step(s, bar(94, 106, 93, 100)); // gap below the buy limit → fills at the open 94; buy stop at 105
    expect(got.map((f) => `${f.clientOrderId} ${f.price}`)).toEqual([
      `${buyStop} 105`,
      `${buyLimit} 94`,
    ]);
    ctx.step(s, bar(112, 113, 85, 88)); // sell limit at the open 112, sell stop at 90
    expect(ctx.fills.slice(2).map((f) => `${f.clientOrderId} ${f.price}`)).toEqual([
      `${sellStop} 90`,
      `${sellLimit} 112`,
    ]);
    expect(ctx.openOrders().map((o) => o.clientOrderId)).toEqual([stopLimit]);
    ctx.cancelAll(ID);
    expect(ctx.openOrders()).toEqual([]);
    expect(ctx.order(stopLimit)?.status).toBe('CANCELED');
  });

  it('brackets: exits are held until the entry fills, then OCO', () => {
    const ctx = new RecordingContext();
    const s: Strategy = { id: 'test' as never, instruments: [ID] };
    ctx.step(s, bar(100, 100, 100, 100));
    const ids = ctx.submitBracket({
      instrumentId: ID,
      side: 'BUY',
      quantity: 2,
      entryType: 'LIMIT',
      entryPrice: '98',
      takeProfitPrice: '110',
      stopLossPrice: '95',
    });
    expect(ctx.openOrders().map((o) => `${o.clientOrderId}:${o.status}`)).toEqual([
      `${ids.takeProfit}:INITIALIZED`,
      `${ids.stopLoss}:INITIALIZED`,
      `${ids.entry}:ACCEPTED`,
    ]);
    ctx.replace(ids.entry, { limitPrice: '99' });
    expect(ctx.order(ids.entry)?.limitPrice?.toString()).toBe('99');
    ctx.replace(ids.takeProfit, { limitPrice: '111' });
    expect(ctx.order(ids.takeProfit)?.limitPrice?.toString()).toBe('111');
    ctx.replace(ids.entry, { quantity: 0 }); // invalid → rejected, unchanged
    expect(ctx.order(ids.entry)?.quantity.toString()).toBe('2');
    ctx.step(s, bar(100, 101, 99, 100)); // entry fills at 99, exits released
    expect(ctx.position(ID).quantity.toNumber()).toBe(2);
    expect(ctx.openOrders().map((o) => `${o.clientOrderId}:${o.status}`)).toEqual([
      `${ids.takeProfit}:ACCEPTED`,
      `${ids.stopLoss}:ACCEPTED`,
    ]);
    ctx.step(s, bar(105, 112, 104, 111)); // take-profit
    expect(ctx.order(ids.takeProfit)?.status).toBe('FILLED');
    expect(ctx.order(ids.stopLoss)?.status).toBe('CANCELED');
    expect(ctx.position(ID).side).toBe('FLAT');
    // canceling an unfilled entry cancels its held exits
    const b = ctx.submitBracket({
      instrumentId: ID,
      side: 'BUY',
      quantity: 1,
      entryType: 'LIMIT',
      entryPrice: '50',
      takeProfitPrice: '120',
      stopLossPrice: '40',
    });
    ctx.cancel(b.entry);
    expect([b.entry, b.takeProfit, b.stopLoss].map((i) => ctx.order(i)?.status)).toEqual([
      'CANCELED',
      'CANCELED',
      'CANCELED',
    ]);
    ctx.cancel(clientOrderId('unknown-1'));
    ctx.replace(clientOrderId('unknown-1'), {});
  });

  it('records every decision with its bar index, logs and timers; runBars calls start/stop', () => {
    const events: string[] = [];
    const s: Strategy = {
      id: 'rec' as never,
      instruments: [ID],
      onStart: (ctx) => {
        events.push('start');
        ctx.setTimer('t', 1000, { startAt: 5 });
        ctx.log.info('hello', { a: 1 });
      },
      onBar: (b, ctx) => {
        events.push('bar');
        ctx.setTimeAlert('a', b.ts + 1);
        ctx.log.debug('bar');
      },
      onStop: (ctx) => {
        events.push('stop');
        ctx.cancelTimer('t');
        ctx.log.warn('w');
        ctx.log.error('e');
      },
    };
    const ctx = runBars(s, [bar(1, 1, 1, 1), bar(2, 2, 2, 2)], { stop: true });
    expect(ctx.strategyId).toBe('rec');
    expect(events).toEqual(['start', 'bar', 'bar', 'stop']);
    expect(ctx.decisions.map((d) => `${d.barIndex} ${d.kind}`)).toEqual([
      '-1 setTimer',
      '0 setTimeAlert',
      '1 setTimeAlert',
      '1 cancelTimer',
    ]);
    expect(ctx.decisions[0].key).toBe('setTimer {"name":"t","intervalMs":1000,"startAt":5}');
    expect(ctx.decisionsUpTo(0).length).toBe(2);
    expect(ctx.logs.map((l) => l.level)).toEqual(['info', 'debug', 'debug', 'warn', 'error']);
    expect(ctx.instrument(ID).tickSize.toString()).toBe('0.01');
    const quiet = runBars(s, [bar(1, 1, 1, 1)], { keepLogs: false });
    expect(quiet.logs).toEqual([]);
  });
});

import {
  Bar,
  clientOrderId,
  Instrument,
  InstrumentId,
  Price,
  Quantity,
  TradingDecimal,
  localToUtc,
  MS,
} from '@trading/domain';
import { testEquity, testFuture } from '@trading/domain/testing';
import { describeBrokerContract } from '../../testing';
import { ExecutionReport, SubmitOrderCommand } from '../broker.port';
import { commissionModel, fillModelConfig, slippageModel } from './cost-models';
import { SimulatedExchange } from './simulated-exchange';

class ManualTime {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
}

const DAY1 = localToUtc('2024-01-02T16:00:00', 'America/New_York');
const D = MS.DAY;

function setup(
  opts: Partial<ConstructorParameters<typeof SimulatedExchange>[0]> = {},
  inst: Instrument = testEquity('AAA'),
) {
  const time = new ManualTime(DAY1);
  const ex = new SimulatedExchange({ clock: time, instruments: [inst], ...opts });
  const reports: ExecutionReport[] = [];
  ex.onExecutionReport((r) => reports.push(r));
  let n = 0;
  const bar = (ts: number, o: number, h: number, l: number, c: number, v = 1_000_000): Bar => ({
    instrumentId: inst.id,
    ts,
    open: o,
    high: h,
    low: l,
    close: c,
    volume: v,
  });
  const feed = (b: Bar) => {
    time.t = b.ts;
    ex.processBar(b);
  };
  const submit = (over: Partial<SubmitOrderCommand>) => {
    const cmd: SubmitOrderCommand = {
      clientOrderId: clientOrderId(`T-${++n}`),
      instrumentId: inst.id as InstrumentId,
      side: 'BUY',
      type: 'MARKET',
      quantity: Quantity.of(10),
      timeInForce: 'GTC',
      ts: time.t,
      ...over,
    };
    ex.submitOrder(cmd);
    return cmd.clientOrderId;
  };
  const fills = () =>
    reports.filter((r): r is Extract<ExecutionReport, { kind: 'filled' }> => r.kind === 'filled');
  return { ex, time, reports, bar, feed, submit, fills, inst };
}

describe('SimulatedExchange matching', () => {
  it('fills a market order at the next bar open by default', () => {
    const s = setup();
    s.feed(s.bar(DAY1, 10, 11, 9, 10.5));
    s.submit({});
    expect(s.fills()).toHaveLength(0);
    s.feed(s.bar(DAY1 + D, 10.7, 11, 10.1, 10.9));
    expect(s.fills()[0].lastPx.toString()).toBe('10.7');
    expect(s.fills()[0].lastQty.toString()).toBe('10');
    expect(s.fills()[0].tsEvent).toBe(DAY1 + D);
  });

  it("barProcessorFor(id) matches like processBar and routes another instrument's bar to its book", () => {
    const other = testEquity('BBB');
    const time = new ManualTime(DAY1);
    const ex = new SimulatedExchange({ clock: time, instruments: [testEquity('AAA'), other] });
    const px: string[] = [];
    ex.onExecutionReport((r) => r.kind === 'filled' && px.push(`${r.instrumentId}@${r.lastPx}`));
    const aaa = testEquity('AAA').id as InstrumentId;
    const onAaa = ex.barProcessorFor(aaa);
    const b = (id: string, ts: number, o: number): Bar => ({
      instrumentId: id as InstrumentId,
      ts,
      open: o,
      high: o + 1,
      low: o - 1,
      close: o,
      volume: 1_000_000,
    });
    onAaa(b(aaa, DAY1, 10));
    onAaa(b(other.id, DAY1, 50)); // a BBB bar through AAA's processor: BBB's book
    for (const id of [aaa, other.id as InstrumentId])
      ex.submitOrder({
        clientOrderId: clientOrderId(`B-${id}`),
        instrumentId: id,
        side: 'BUY',
        type: 'MARKET',
        quantity: Quantity.of(1),
        timeInForce: 'GTC',
        ts: DAY1,
      });
    time.t = DAY1 + D;
    onAaa(b(aaa, DAY1 + D, 11));
    expect(px).toEqual(['AAA.SIM@11']); // only AAA's order matched on AAA's bar
    onAaa(b(other.id, DAY1 + D, 52));
    expect(px).toEqual(['AAA.SIM@11', 'BBB.SIM@52']);
  });

  it('fills a market order at the current close with marketFill=close', () => {
    const s = setup({ fill: fillModelConfig({ marketFill: 'close' }) });
    s.feed(s.bar(DAY1, 10, 11, 9, 10.5));
    s.submit({});
    expect(s.fills()[0].lastPx.toString()).toBe('10.5');
  });

  it('limit buy: fills at the limit when touched, at the open when the bar gaps through', () => {
    const s = setup();
    s.feed(s.bar(DAY1, 10, 11, 9, 10.5));
    s.submit({ type: 'LIMIT', limitPrice: Price.of('9.50') });
    s.submit({ type: 'LIMIT', limitPrice: Price.of('9.80') });
    s.feed(s.bar(DAY1 + D, 10, 10.2, 9.6, 10)); // touches 9.80 only
    expect(s.fills().map((f) => f.lastPx.toString())).toEqual(['9.8']);
    s.feed(s.bar(DAY1 + 2 * D, 9.2, 9.4, 9.0, 9.3)); // gaps below 9.50 → open 9.2
    expect(s.fills().map((f) => f.lastPx.toString())).toEqual(['9.8', '9.2']);
    expect(s.fills()[1].liquiditySide).toBe('MAKER');
  });

  it('limit sell mirrors the rules', () => {
    const s = setup();
    s.feed(s.bar(DAY1, 10, 11, 9, 10.5));
    s.submit({ side: 'SELL', type: 'LIMIT', limitPrice: Price.of('11.00') });
    s.submit({ side: 'SELL', type: 'LIMIT', limitPrice: Price.of('12.00') });
    s.feed(s.bar(DAY1 + D, 10.8, 11.2, 10.6, 11));
    s.feed(s.bar(DAY1 + 2 * D, 12.5, 12.9, 12.1, 12.2));
    expect(s.fills().map((f) => f.lastPx.toString())).toEqual(['11', '12.5']);
  });

  it('stop orders: at the stop when touched, at the open on a gap, slippage applied', () => {
    const s = setup({ slippage: slippageModel({ ticks: 1 }) });
    s.feed(s.bar(DAY1, 10, 11, 9, 10.5));
    s.submit({ type: 'STOP', stopPrice: Price.of('11.00') });
    s.submit({ side: 'SELL', type: 'STOP', stopPrice: Price.of('9.00') });
    s.feed(s.bar(DAY1 + D, 10.5, 11.1, 10.2, 10.9)); // buy stop touched at 11 → 11.01
    s.feed(s.bar(DAY1 + 2 * D, 8.5, 8.8, 8.2, 8.4)); // sell stop gapped → open 8.5 → 8.49
    expect(s.fills().map((f) => f.lastPx.toString())).toEqual(['11.01', '8.49']);
  });

  it('stop-limit: triggers, then fills within the limit; emits triggered', () => {
    const s = setup();
    s.feed(s.bar(DAY1, 10, 11, 9, 10.5));
    const id = s.submit({
      type: 'STOP_LIMIT',
      stopPrice: Price.of('11.00'),
      limitPrice: Price.of('11.20'),
    });
    s.feed(s.bar(DAY1 + D, 11.5, 11.8, 11.3, 11.6)); // gap above stop to 11.5 > limit, low 11.3 > limit → triggered, no fill
    expect(s.reports.filter((r) => r.clientOrderId === id).map((r) => r.kind)).toEqual([
      'accepted',
      'triggered',
    ]);
    s.feed(s.bar(DAY1 + 2 * D, 11.4, 11.5, 11.1, 11.2)); // now a limit at 11.20: open 11.4 > limit, low 11.1 touches → 11.2
    expect(s.fills().map((f) => f.lastPx.toString())).toEqual(['11.2']);
  });

  it('trailing stop sell follows the high water mark', () => {
    const s = setup();
    s.feed(s.bar(DAY1, 10, 10, 10, 10));
    s.submit({ side: 'SELL', type: 'TRAILING_STOP', trailingOffset: Price.of('1') });
    s.feed(s.bar(DAY1 + D, 10, 12, 10, 12)); // stop 9 untouched; mark → 12
    s.feed(s.bar(DAY1 + 2 * D, 12, 12.5, 11.5, 11.8)); // stop 11 untouched; mark → 12.5
    s.feed(s.bar(DAY1 + 3 * D, 11.8, 11.9, 11.0, 11.2)); // stop 11.5 touched
    expect(s.fills().map((f) => f.lastPx.toString())).toEqual(['11.5']);
  });

  it('volume participation produces partial fills across bars', () => {
    const s = setup({ fill: fillModelConfig({ participation: '0.1' }) });
    s.feed(s.bar(DAY1, 10, 11, 9, 10.5, 100));
    s.submit({ quantity: Quantity.of(25) });
    s.feed(s.bar(DAY1 + D, 10, 11, 9, 10.5, 100)); // 10
    s.feed(s.bar(DAY1 + 2 * D, 10.1, 11, 9, 10.5, 100)); // 10
    s.feed(s.bar(DAY1 + 3 * D, 10.2, 11, 9, 10.5, 100)); // 5
    expect(
      s
        .fills()
        .map((f) => [f.lastQty.toString(), f.lastPx.toString(), f.cumulativeQty?.toString()]),
    ).toEqual([
      ['10', '10', '10'],
      ['10', '10.1', '20'],
      ['5', '10.2', '25'],
    ]);
  });

  it('FOK is cancelled when the volume cap cannot fill it; IOC fills what it can', () => {
    const s = setup({ fill: fillModelConfig({ participation: '0.1' }) });
    s.feed(s.bar(DAY1, 10, 11, 9, 10.5, 100));
    const fok = s.submit({ quantity: Quantity.of(25), timeInForce: 'FOK' });
    const ioc = s.submit({ quantity: Quantity.of(25), timeInForce: 'IOC' });
    s.feed(s.bar(DAY1 + D, 10, 11, 9, 10.5, 100));
    expect(s.reports.filter((r) => r.clientOrderId === fok).map((r) => r.kind)).toEqual([
      'accepted',
      'canceled',
    ]);
    expect(s.reports.filter((r) => r.clientOrderId === ioc).map((r) => r.kind)).toEqual([
      'accepted',
      'filled',
      'canceled',
    ]);
  });

  it('charges per-order minimum once across partial fills and percent of notional', () => {
    const s = setup({
      fill: fillModelConfig({ participation: '0.5' }),
      commission: commissionModel({ perUnit: '0.005', minimum: '1' }),
    });
    s.feed(s.bar(DAY1, 10, 11, 9, 10.5, 100));
    s.submit({ quantity: Quantity.of(100) });
    s.feed(s.bar(DAY1 + D, 10, 11, 9, 10.5, 100)); // 50 → raw 0.25 → min 1
    s.feed(s.bar(DAY1 + 2 * D, 10, 11, 9, 10.5, 100)); // 100 → raw 0.5 → total still 1 → 0
    expect(s.fills().map((f) => f.commission.amount.toFixed())).toEqual(['1', '0']);
    const p = setup({ commission: commissionModel({ pctOfNotional: '0.001' }) });
    p.feed(p.bar(DAY1, 10, 11, 9, 10.5));
    p.submit({ quantity: Quantity.of(100) });
    p.feed(p.bar(DAY1 + D, 12.34, 13, 12, 12.5));
    expect(p.fills()[0].commission.amount.toFixed()).toBe('1.234');
  });

  it('bps slippage rounds adversely onto the tick', () => {
    const s = setup({ slippage: slippageModel({ bps: 10 }) });
    s.feed(s.bar(DAY1, 10, 11, 9, 10.5));
    s.submit({});
    s.submit({ side: 'SELL' });
    s.feed(s.bar(DAY1 + D, 10.01, 11, 9, 10.5));
    // 10.01 × 1.001 = 10.02001 → up to 10.03; 10.01 × 0.999 = 9.99999 → down to 9.99
    expect(s.fills().map((f) => f.lastPx.toString())).toEqual(['10.03', '9.99']);
  });

  it('latency delays the first bar an order can trade on', () => {
    const s = setup({ fill: fillModelConfig({ latencyMs: 500 }) });
    const m = MS.MINUTE;
    s.feed(s.bar(DAY1, 10, 11, 9, 10.5));
    s.submit({});
    s.feed(s.bar(DAY1 + m, 10.1, 11, 9, 10.5)); // order arrives at +500ms, after this bar opened
    expect(s.fills()).toHaveLength(0);
    s.feed(s.bar(DAY1 + 2 * m, 10.2, 11, 9, 10.5));
    expect(s.fills()[0].lastPx.toString()).toBe('10.2');
    expect(s.reports[0]).toMatchObject({ kind: 'accepted', tsEvent: DAY1 + 500 });
  });

  it('DAY orders expire at the next session; GTD at expireAt', () => {
    const s = setup();
    s.feed(s.bar(DAY1, 10, 11, 9, 10.5));
    const day = s.submit({ type: 'LIMIT', limitPrice: Price.of('5'), timeInForce: 'DAY' });
    const gtd = s.submit({
      type: 'LIMIT',
      limitPrice: Price.of('5'),
      timeInForce: 'GTD',
      expireAt: DAY1 + 2 * D,
    });
    s.feed(s.bar(DAY1 + D, 10, 11, 9, 10.5));
    expect(s.reports.filter((r) => r.kind === 'expired')).toHaveLength(0);
    s.feed(s.bar(DAY1 + 2 * D, 10, 11, 9, 10.5));
    expect(s.reports.filter((r) => r.kind === 'expired').map((r) => r.clientOrderId)).toEqual([
      day,
      gtd,
    ]);
  });

  it('futures: venue cash moves by notional × multiplier and commission per contract', async () => {
    const fut = testFuture('FDAX');
    const s = setup(
      { commission: commissionModel({ perUnit: '2' }), startingCash: new TradingDecimal(100000) },
      fut,
    );
    s.feed(s.bar(DAY1, 3600, 3610, 3590, 3605));
    s.submit({ quantity: Quantity.of(2) });
    s.feed(s.bar(DAY1 + D, 3606.5, 3610, 3590, 3608));
    expect(s.fills()[0].commission.amount.toFixed()).toBe('4');
    const acct = await s.ex.account();
    // cash = 100000 − 2 × 3606.5 × 10 − 4; equity marks 2 × 3608 × 10
    expect(acct.cash.amount.toFixed()).toBe('27866');
    expect(acct.equity.amount.toFixed()).toBe('100026');
  });

  it('rejects invalid orders with reasons and reduceOnly that would not reduce', () => {
    const s = setup();
    s.feed(s.bar(DAY1, 10, 11, 9, 10.5));
    s.submit({ type: 'LIMIT' });
    s.submit({ type: 'STOP' });
    s.submit({ type: 'LIMIT', limitPrice: Price.of('10.001') });
    s.submit({ side: 'SELL', reduceOnly: true });
    s.submit({ type: 'TRAILING_STOP' });
    s.submit({ timeInForce: 'GTD' });
    s.submit({ instrumentId: 'ZZZ.SIM' as InstrumentId });
    const reasons = s.reports.map((r) => (r.kind === 'rejected' ? r.reason : r.kind));
    expect(reasons).toEqual([
      'LIMIT order needs a limitPrice',
      'STOP order needs a stopPrice',
      'limitPrice 10.001 is not on tick 0.01',
      'reduceOnly order would not reduce the position',
      'TRAILING_STOP order needs a positive trailingOffset',
      'GTD order needs expireAt',
      'unknown instrument ZZZ.SIM at venue SIM',
    ]);
  });

  it('positions track flips and averages', async () => {
    const s = setup({ fill: fillModelConfig({ marketFill: 'close' }) });
    s.feed(s.bar(DAY1, 10, 11, 9, 10));
    s.submit({ quantity: Quantity.of(10) });
    s.feed(s.bar(DAY1 + D, 12, 12, 12, 12));
    s.submit({ quantity: Quantity.of(10) });
    expect((await s.ex.positions())[0].avgPrice.toString()).toBe('11');
    s.submit({ side: 'SELL', quantity: Quantity.of(5) });
    expect((await s.ex.positions())[0].avgPrice.toString()).toBe('11');
    s.submit({ side: 'SELL', quantity: Quantity.of(25) });
    const p = (await s.ex.positions())[0];
    expect([p.quantity.toString(), p.avgPrice.toString()]).toEqual(['-10', '12']);
    s.submit({ quantity: Quantity.of(10) });
    expect(await s.ex.positions()).toEqual([]);
  });

  it('forgets closed orders but still tells a closed order from an unknown one', async () => {
    const s = setup({ fill: fillModelConfig({ marketFill: 'close' }) });
    s.feed(s.bar(DAY1, 10, 11, 9, 10));
    const id = s.submit({});
    expect(s.fills()).toHaveLength(1);
    expect(await s.ex.openOrders()).toEqual([]);
    s.ex.cancelOrder({ clientOrderId: id, ts: s.time.t });
    s.ex.cancelOrder({ clientOrderId: clientOrderId('NEVER-SEEN'), ts: s.time.t });
    const reasons = s.reports
      .filter((r) => r.kind === 'cancelRejected')
      .map((r) => (r.kind === 'cancelRejected' ? r.reason : ''));
    expect(reasons).toEqual(['order is not open', 'unknown order']);
    s.submit({ clientOrderId: id });
    expect(s.reports[s.reports.length - 1]).toMatchObject({
      kind: 'rejected',
      reason: `duplicate clientOrderId ${id}`,
    });
  });

  it('replace validates quantity against fills and ticks', () => {
    const s = setup();
    s.feed(s.bar(DAY1, 10, 11, 9, 10.5));
    const id = s.submit({ type: 'LIMIT', limitPrice: Price.of('5') });
    s.ex.replaceOrder({ clientOrderId: id, limitPrice: Price.of('5.001'), ts: s.time.t });
    s.ex.replaceOrder({ clientOrderId: id, stopPrice: Price.of('5'), ts: s.time.t });
    s.ex.replaceOrder({ clientOrderId: clientOrderId('NOPE'), ts: s.time.t });
    s.ex.replaceOrder({ clientOrderId: id, limitPrice: Price.of('9.5'), ts: s.time.t });
    s.feed(s.bar(DAY1 + D, 10, 11, 9, 10.5));
    const kinds = s.reports.filter((r) => r.clientOrderId === id).map((r) => r.kind);
    expect(kinds).toEqual(['accepted', 'replaceRejected', 'replaceRejected', 'replaced', 'filled']);
    expect(s.fills()[0].lastPx.toString()).toBe('9.5');
  });
});

describeBrokerContract('SimulatedExchange', async () => {
  const inst = testEquity('CTR');
  const time = new ManualTime(DAY1);
  const broker = new SimulatedExchange({ clock: time, instruments: [inst] });
  let t = DAY1;
  const bar = () => ({
    instrumentId: inst.id,
    ts: t,
    open: 100,
    high: 101,
    low: 99,
    close: 100,
    volume: 1e9,
  });
  broker.processBar(bar());
  return {
    broker,
    instrument: inst,
    referencePrice: Price.of('100'),
    now: () => time.now(),
    advanceMarket: async () => {
      t += MS.DAY;
      time.t = t;
      broker.processBar(bar());
    },
  };
});

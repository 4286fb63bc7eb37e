import {
  Bar,
  ClientOrderId,
  Instrument,
  InstrumentId,
  localToUtc,
  MS,
  Quantity,
  strategyId,
  TradingDecimal,
} from '@trading/domain';
import { testEquity } from '@trading/domain/testing';
import { SimulatedClock } from '@trading/clock';
import { Broker, ExecutionReport, SimulatedExchange, SubmitOrderCommand } from '@trading/brokers';
import { decodeOrderEvent, OrderEventJson } from '@trading/order-lifecycle';
import { EQUITY_ESTIMATE_MAX_ERROR, Portfolio } from '@trading/portfolio';
import { ESTIMATE_MAX_ERROR, RiskConfigInput, RiskEngine } from '@trading/risk';
import { EventJournal, MemoryJournal } from './event-journal.port';
import { KernelEvent } from './kernel-events';
import { OrderParams, Strategy, StrategyContext } from './strategy.port';
import { TradingKernel } from './trading-kernel';

const T0 = localToUtc('2024-01-02T16:00:00', 'America/New_York');

function setup(opts: {
  strategies: (inst: Instrument) => Strategy[];
  journal?: EventJournal;
  risk?: RiskConfigInput;
  broker?: (clock: SimulatedClock, inst: Instrument) => Broker;
  onStrategyError?: 'throw' | 'isolate';
  /** Subscribe the `events` recorder (default true). */
  listen?: boolean;
}) {
  const inst = testEquity('KRN');
  const clock = new SimulatedClock(T0);
  const exchange = new SimulatedExchange({ clock, instruments: [inst] });
  const broker = opts.broker ? opts.broker(clock, inst) : exchange;
  const portfolio = new Portfolio({ startingCash: '100000', instruments: [inst] });
  const holder: { kernel?: TradingKernel } = {};
  const risk = RiskEngine.create(opts.risk ?? {}, {
    onEvent: (e) => holder.kernel?.onRiskEvent(e),
  });
  const kernel = (holder.kernel = new TradingKernel({
    clock,
    broker,
    portfolio,
    risk,
    instruments: [inst],
    strategies: opts.strategies(inst),
    journal: opts.journal,
    onStrategyError: opts.onStrategyError,
  }));
  const events: KernelEvent[] = [];
  if (opts.listen !== false) kernel.onEvent((e) => events.push(e));
  let t = T0;
  const bar = (o: number, h: number, l: number, c: number): Bar => ({
    instrumentId: inst.id,
    ts: t,
    open: o,
    high: h,
    low: l,
    close: c,
    volume: 1e6,
  });
  const feed = (o: number, h = o, l = o, c = o) => {
    t += MS.DAY;
    clock.advanceTo(t);
    const b = bar(o, h, l, c);
    exchange.processBar(b);
    kernel.onBar(b);
  };
  kernel.start();
  return { kernel, inst, clock, exchange, portfolio, risk, events, feed };
}

const orderTypes = (events: KernelEvent[]) =>
  events
    .filter((e): e is Extract<KernelEvent, { kind: 'order' }> => e.kind === 'order')
    .map((e) => `${e.event.clientOrderId}:${e.event.type}`);

describe('TradingKernel', () => {
  it("passes the portfolio's equity estimate to risk only under risk's error contract", () => {
    // riskContext() hands Portfolio.equityEstimate() to the risk engine as a LazyDecimal: the
    // portfolio's guaranteed error bound must not exceed the bound risk's comparisons assume.
    expect(EQUITY_ESTIMATE_MAX_ERROR).toBeLessThanOrEqual(ESTIMATE_MAX_ERROR);
  });

  it('barHandlerFor(id) dispatches, prices and marks like onBar (another instrument: like onBar too)', () => {
    const seen: string[] = [];
    const watcher = (inst: Instrument): Strategy => ({
      id: strategyId('W'),
      instruments: [inst.id],
      onBar: (b, ctx) => void seen.push(`${b.close}:${ctx.position(inst.id).quantity}`),
    });
    const a = setup({ strategies: (inst) => [watcher(inst)] });
    const handler = a.kernel.barHandlerFor(a.inst.id);
    const bar = (close: number, ts: number, id: InstrumentId = a.inst.id): Bar => ({
      instrumentId: id,
      ts,
      open: close,
      high: close,
      low: close,
      close,
      volume: 1,
    });
    a.exchange.processBar(bar(10, T0));
    handler(bar(10, T0));
    expect(a.kernel.lastPrice(a.inst.id)).toBe(10);
    a.kernel.onBar(bar(11, T0 + 1));
    handler(bar(12, T0 + 2));
    expect(a.kernel.lastPrice(a.inst.id)).toBe(12);
    expect(seen).toEqual(['10:0', '11:0', '12:0']);
    expect(a.portfolio.position(a.inst.id).lastPrice?.toString()).toBe('12');
    // an unknown instrument's bar: the same validation error as onBar gives
    const other = 'NOPE.SIM' as InstrumentId;
    expect(() => handler(bar(5, T0 + 3, other))).toThrow(/instrumentId/);
    expect(() => a.kernel.barHandlerFor(other)(bar(5, T0 + 3, other))).toThrow(/instrumentId/);
  });

  it('onEvent(listener, { kinds }) delivers only those kinds; without portfolio listeners fills book the same', () => {
    const script = (inst: Instrument): Strategy => {
      let n = 0;
      return {
        id: strategyId('K'),
        instruments: [inst.id],
        onBar(_b, ctx) {
          n++;
          if (n === 1) ctx.submit({ instrumentId: inst.id, side: 'BUY', quantity: 10 });
          if (n === 3) ctx.submit({ instrumentId: inst.id, side: 'SELL', quantity: 4 });
        },
      };
    };
    const runWith = (kinds: KernelEvent['kind'][] | undefined) => {
      const s = setup({ strategies: (inst) => [script(inst)], listen: false });
      const got: string[] = [];
      s.kernel.onEvent((e) => got.push(e.kind), kinds === undefined ? undefined : { kinds });
      for (const px of [10, 11, 12, 13]) s.feed(px);
      s.kernel.recordEquity(T0 + 10 * MS.DAY);
      return { s, got };
    };
    const all = runWith(undefined);
    const some = runWith(['order', 'denied']);
    expect(new Set(all.got)).toEqual(new Set(['order', 'portfolio']));
    expect(new Set(some.got)).toEqual(new Set(['order']));
    expect(some.got.length).toBe(all.got.filter((k) => k === 'order').length);
    // no listener at all: fills are booked without building portfolio events, to the same state
    const none = setup({ strategies: (inst) => [script(inst)], listen: false });
    const booked: number[] = [];
    const applyFill = none.portfolio.applyFill.bind(none.portfolio);
    none.portfolio.applyFill = (fill, options) => {
      const out = applyFill(fill, options);
      booked.push(out.length);
      return out;
    };
    for (const px of [10, 11, 12, 13]) none.feed(px);
    none.kernel.recordEquity(T0 + 10 * MS.DAY);
    expect(booked).toEqual([0, 0]); // two fills, no events built
    for (const r of [all, some])
      expect(JSON.stringify(r.s.portfolio.toSnapshot())).toBe(
        JSON.stringify(none.portfolio.toSnapshot()),
      );
  });

  it('routes an order through risk, the broker and the portfolio; callbacks are never nested', () => {
    const log: string[] = [];
    let depth = 0;
    const s: Strategy = {
      id: strategyId('S'),
      instruments: [],
      onBar(_b, ctx) {
        depth++;
        if (ctx.position(_b.instrumentId).quantity.isZero() && ctx.openOrders().length === 0)
          ctx.submit({ instrumentId: _b.instrumentId, side: 'BUY', quantity: 10 });
        depth--;
      },
      onOrderUpdate(u) {
        log.push(`${u.event.type}@${depth}`);
      },
      onFill(f, ctx) {
        log.push(`fill ${f.quantity} @ ${f.price} pos ${ctx.position(f.instrumentId).quantity}`);
      },
    };
    const k = setup({ strategies: (inst) => [{ ...s, instruments: [inst.id] } as Strategy] });
    k.feed(10);
    k.feed(11);
    expect(log).toEqual([
      'OrderSubmitted@0',
      'OrderAccepted@0',
      'OrderFilled@0',
      'fill 10 @ 11 pos 10',
    ]);
    expect(k.portfolio.cash().amount.toFixed()).toBe('99890');
    expect(orderTypes(k.events)).toEqual([
      'S-1:OrderInitialized',
      'S-1:OrderSubmitted',
      'S-1:OrderAccepted',
      'S-1:OrderFilled',
    ]);
  });

  it('makes the intent durable in the journal before the broker is called', async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const journal: EventJournal = {
      append(type, payload) {
        const e = payload as unknown as OrderEventJson;
        order.push(`journal ${type} ${'type' in e ? e.type : ''}`);
        return e && e.type === 'OrderInitialized'
          ? gate.then(() => void order.push('durable'))
          : undefined;
      },
    };
    const spy = (clock: SimulatedClock, inst: Instrument): Broker => {
      const ex = new SimulatedExchange({ clock, instruments: [inst] });
      const submit = ex.submitOrder.bind(ex);
      ex.submitOrder = (cmd: SubmitOrderCommand) => {
        order.push(`broker ${cmd.clientOrderId}`);
        submit(cmd);
      };
      return ex;
    };
    const k = setup({
      journal,
      broker: spy,
      strategies: (inst) => [
        {
          id: strategyId('D'),
          instruments: [inst.id],
          onStart: (ctx) => void ctx.submit({ instrumentId: inst.id, side: 'BUY', quantity: 1 }),
        },
      ],
    });
    expect(order).toEqual(['journal order OrderInitialized']);
    release();
    await gate;
    await Promise.resolve();
    expect(order.slice(0, 4)).toEqual([
      'journal order OrderInitialized',
      'durable',
      'journal order OrderSubmitted',
      'broker D-1',
    ]);
    expect(k.kernel.orders.get('D-1' as ClientOrderId)?.status).toBe('ACCEPTED');
  });

  it('a journal failure rejects the order and stops accepting new ones', async () => {
    const journal: EventJournal = {
      append: (_t, p) =>
        (p as unknown as OrderEventJson).type === 'OrderInitialized'
          ? Promise.reject(new Error('EIO'))
          : undefined,
    };
    let ctxRef!: StrategyContext;
    const k = setup({
      journal,
      strategies: (inst) => [
        { id: strategyId('J'), instruments: [inst.id], onStart: (ctx) => void (ctxRef = ctx) },
      ],
    });
    ctxRef.submit({ instrumentId: k.inst.id, side: 'BUY', quantity: 1 });
    await new Promise((r) => setImmediate(r));
    expect(k.kernel.orders.get('J-1' as ClientOrderId)?.status).toBe('REJECTED');
    expect(k.kernel.acceptingOrders).toBe(false);
    expect(k.events.some((e) => e.kind === 'journal-failure')).toBe(true);
    ctxRef.submit({ instrumentId: k.inst.id, side: 'BUY', quantity: 1 });
    const denial = k.events.find((e) => e.kind === 'denied');
    expect(denial && denial.kind === 'denied' && denial.denial.reason).toBe('NOT_ACCEPTING_ORDERS');
  });

  it('runs a bracket: entry fill releases exits, take-profit fill cancels the stop', () => {
    let ids:
      { entry: ClientOrderId; takeProfit: ClientOrderId; stopLoss: ClientOrderId } | undefined;
    const k = setup({
      strategies: (inst) => [
        {
          id: strategyId('B'),
          instruments: [inst.id],
          onBar(_b, ctx) {
            if (!ids)
              ids = ctx.submitBracket({
                instrumentId: inst.id,
                side: 'BUY',
                quantity: 10,
                takeProfitPrice: '12.00',
                stopLossPrice: '9.00',
              });
          },
        },
      ],
    });
    k.feed(10);
    k.feed(10.5, 10.8, 10.2, 10.6); // entry fills at 10.5, exits released
    const st = () =>
      [ids!.entry, ids!.takeProfit, ids!.stopLoss].map((id) => k.kernel.orders.get(id)?.status);
    expect(st()).toEqual(['FILLED', 'ACCEPTED', 'ACCEPTED']);
    expect(k.kernel.orders.get(ids!.takeProfit)?.quantity.toString()).toBe('10');
    k.feed(11.5, 12.5, 11.4, 12.2); // take profit at 12
    expect(st()).toEqual(['FILLED', 'FILLED', 'CANCELED']);
    expect(k.portfolio.position(k.inst.id).quantity.isZero()).toBe(true);
    expect(k.portfolio.cash().amount.toFixed()).toBe(
      new TradingDecimal(100000).sub(105).add(120).toFixed(),
    );
  });

  it('cancels, replaces and cancels all on behalf of a strategy', () => {
    let ctxRef!: StrategyContext;
    const k = setup({
      strategies: (inst) => [
        { id: strategyId('C'), instruments: [inst.id], onStart: (ctx) => void (ctxRef = ctx) },
      ],
    });
    const a = ctxRef.submit({
      instrumentId: k.inst.id,
      side: 'BUY',
      quantity: 5,
      type: 'LIMIT',
      limitPrice: '5.00',
    });
    const b = ctxRef.submit({
      instrumentId: k.inst.id,
      side: 'BUY',
      quantity: 5,
      type: 'LIMIT',
      limitPrice: '6.00',
    });
    const c = ctxRef.submit({
      instrumentId: k.inst.id,
      side: 'BUY',
      quantity: 5,
      type: 'LIMIT',
      limitPrice: '7.00',
    });
    ctxRef.replace(b, { quantity: 8, limitPrice: '6.50' });
    ctxRef.cancel(a);
    expect(k.kernel.orders.get(a)?.status).toBe('CANCELED');
    expect(k.kernel.orders.get(b)?.quantity.toString()).toBe('8');
    expect(k.kernel.orders.get(b)?.limitPrice?.toString()).toBe('6.5');
    ctxRef.cancelAll();
    expect([b, c].map((id) => k.kernel.orders.get(id)?.status)).toEqual(['CANCELED', 'CANCELED']);
    expect(ctxRef.openOrders()).toEqual([]);
  });

  it('denies orders outside risk limits with the reason code; a kill switch cancels everything', () => {
    let ctxRef!: StrategyContext;
    const k = setup({
      risk: { maxOrderQuantity: 100 },
      strategies: (inst) => [
        { id: strategyId('R'), instruments: [inst.id], onStart: (ctx) => void (ctxRef = ctx) },
      ],
    });
    ctxRef.submit({ instrumentId: k.inst.id, side: 'BUY', quantity: 101 });
    const d = k.events.find((e) => e.kind === 'denied');
    expect(d && d.kind === 'denied' && d.denial.reason).toBe('FAT_FINGER_QUANTITY');
    const open = ctxRef.submit({
      instrumentId: k.inst.id,
      side: 'BUY',
      quantity: 1,
      type: 'LIMIT',
      limitPrice: '1.00',
    });
    k.risk.tripKillSwitch({ operator: 'ops', reason: 'test', ts: k.clock.now() });
    expect(k.kernel.orders.get(open)?.status).toBe('CANCELED');
    expect(k.kernel.acceptingOrders).toBe(false);
    ctxRef.submit({ instrumentId: k.inst.id, side: 'BUY', quantity: 1 });
    expect(
      k.events
        .filter((e) => e.kind === 'denied')
        .map((e) => (e.kind === 'denied' ? e.denial.reason : '')),
    ).toEqual(['FAT_FINGER_QUANTITY', 'NOT_ACCEPTING_ORDERS']);
    expect(k.events.some((e) => e.kind === 'risk' && e.event.type === 'KillSwitchTripped')).toBe(
      true,
    );
  });

  it('strategy errors: throw by default, isolate on request (orders canceled, no more callbacks)', () => {
    const boom: (inst: Instrument) => Strategy[] = (inst) => [
      {
        id: strategyId('E'),
        instruments: [inst.id],
        onStart: (ctx) =>
          void ctx.submit({
            instrumentId: inst.id,
            side: 'BUY',
            quantity: 1,
            type: 'LIMIT',
            limitPrice: '1.00',
          }),
        onBar: () => {
          throw new Error('bug');
        },
      },
    ];
    const thrower = setup({ strategies: boom });
    expect(() => thrower.feed(10)).toThrow('bug');
    const iso = setup({ strategies: boom, onStrategyError: 'isolate' });
    iso.feed(10);
    iso.feed(11);
    expect(iso.kernel.orders.get('E-1' as ClientOrderId)?.status).toBe('CANCELED');
    expect(iso.events.filter((e) => e.kind === 'strategy-error')).toHaveLength(1);
  });

  it('delivers strategy timers from the clock', () => {
    const fired: number[] = [];
    const k = setup({
      strategies: (inst) => [
        {
          id: strategyId('T'),
          instruments: [inst.id],
          onStart: (ctx) => ctx.setTimer('tick', MS.HOUR),
          onTimer: (e) => void fired.push(e.firedAt),
        },
      ],
    });
    k.clock.advanceTo(T0 + 3 * MS.HOUR);
    expect(fired).toEqual([T0 + MS.HOUR, T0 + 2 * MS.HOUR, T0 + 3 * MS.HOUR]);
  });

  it('rebuilds orders and portfolio by replaying the journal', () => {
    const journal = new MemoryJournal();
    const trade = (inst: Instrument): Strategy[] => {
      let n = 0;
      return [
        {
          id: strategyId('P'),
          instruments: [inst.id],
          onBar: (b, ctx) =>
            void (n++ % 2 === 0
              ? ctx.submit({ instrumentId: b.instrumentId, side: 'BUY', quantity: 3 })
              : ctx.submit({ instrumentId: b.instrumentId, side: 'SELL', quantity: 1 })),
        },
      ];
    };
    const live = setup({ journal, strategies: trade });
    for (const px of [10, 11, 12, 11.5, 13, 12.5]) live.feed(px);
    const fresh = setup({ strategies: trade });
    for (const r of journal.records)
      if (r.type === 'order') fresh.kernel.replayOrderEvent(decodeOrderEvent(r.payload));
    expect(fresh.kernel.orders.toSnapshot()).toEqual(live.kernel.orders.toSnapshot());
    expect(fresh.portfolio.cash().amount.toFixed()).toBe(live.portfolio.cash().amount.toFixed());
    expect(fresh.portfolio.position(live.inst.id).quantity.toString()).toBe(
      live.portfolio.position(live.inst.id).quantity.toString(),
    );
    expect(fresh.kernel.snapshot().idSequences).toEqual({ P: 6 });
  });

  it('reports execution anomalies instead of throwing', () => {
    let push!: (r: ExecutionReport) => void;
    const fake = (clock: SimulatedClock, inst: Instrument): Broker => {
      const ex = new SimulatedExchange({ clock, instruments: [inst] });
      const orig = ex.onExecutionReport.bind(ex);
      ex.onExecutionReport = (l) => {
        push = l;
        return orig(l);
      };
      return ex;
    };
    const k = setup({ broker: fake, strategies: () => [] });
    push({ kind: 'canceled', clientOrderId: 'NOPE-1' as ClientOrderId, tsEvent: T0, tsInit: T0 });
    const a = k.events.find((e) => e.kind === 'anomaly');
    expect(a && a.kind === 'anomaly' && a.error.code).toBe('UNKNOWN_ORDER');
  });

  it('validates strategies against instruments', () => {
    expect(() =>
      setup({
        strategies: () => [{ id: strategyId('X'), instruments: ['ZZZ.SIM' as InstrumentId] }],
      }),
    ).toThrow(/must be a configured instrument/);
    expect(() =>
      setup({
        strategies: (i) => [
          { id: strategyId('X'), instruments: [i.id] },
          { id: strategyId('X'), instruments: [i.id] },
        ],
      }),
    ).toThrow(/unique/);
  });

  it('dispatches ticks and quotes, exposes context reads, alerts and stop', () => {
    const seen: string[] = [];
    let ctxRef!: StrategyContext;
    const k = setup({
      strategies: (inst) => [
        {
          id: strategyId('Q'),
          instruments: [inst.id],
          onStart: (ctx) => {
            ctxRef = ctx;
            ctx.setTimeAlert('once', T0 + 5 * MS.MINUTE);
            ctx.setTimer('rep', MS.MINUTE);
            ctx.cancelTimer('rep');
          },
          onTick: (t) => void seen.push(`tick ${t.price}`),
          onQuote: (q) => void seen.push(`quote ${q.bid}/${q.ask}`),
          onTimer: (e) => void seen.push(`timer ${e.name}`),
          onStop: () => void seen.push('stop'),
        },
      ],
    });
    k.kernel.onTick({ instrumentId: k.inst.id, ts: T0 + 1, price: 10.5, size: 100 });
    k.kernel.onQuote({
      instrumentId: k.inst.id,
      ts: T0 + 2,
      bid: 10.4,
      ask: 10.6,
      bidSize: 1,
      askSize: 1,
    });
    k.clock.advanceTo(T0 + 10 * MS.MINUTE);
    expect(ctxRef.lastPrice(k.inst.id)).toBe(10.5);
    expect(k.kernel.lastPrice(k.inst.id)).toBe(10.5);
    expect(ctxRef.now()).toBe(T0 + 10 * MS.MINUTE);
    expect(ctxRef.instrument(k.inst.id).id).toBe(k.inst.id);
    expect(() => ctxRef.instrument('NOPE.SIM' as InstrumentId)).toThrow(/configured instrument/);
    expect(ctxRef.cash().amount.toFixed()).toBe('100000');
    expect(ctxRef.equity().amount.toFixed()).toBe('100000');
    expect(ctxRef.position(k.inst.id)).toMatchObject({ avgPrice: null, side: 'FLAT' });
    const id = ctxRef.submit({
      instrumentId: k.inst.id,
      side: 'BUY',
      quantity: 1,
      type: 'LIMIT',
      limitPrice: '1.00',
    });
    expect(ctxRef.order(id)?.status).toBe('ACCEPTED');
    ctxRef.replace(id, { quantity: 'garbage' });
    expect(ctxRef.order(id)?.quantity.toString()).toBe('1');
    k.kernel.cancelAllOrders('operator');
    expect(ctxRef.order(id)?.status).toBe('CANCELED');
    k.kernel.stop();
    k.kernel.stop();
    expect(seen).toEqual(['tick 10.5', 'quote 10.4/10.6', 'timer once', 'stop']);
    const snap = k.kernel.snapshot();
    expect(snap.idSequences).toEqual({ Q: 1 });
    expect(snap.version).toBe(1);
  });

  it('maps every execution report kind onto the order', () => {
    let push!: (r: ExecutionReport) => void;
    const manual = (clock: SimulatedClock, inst: Instrument): Broker => {
      const ex = new SimulatedExchange({ clock, instruments: [inst] });
      ex.onExecutionReport = (l) => {
        push = l;
        return () => undefined;
      };
      ex.submitOrder = () => undefined;
      ex.cancelOrder = () => undefined;
      ex.replaceOrder = () => undefined;
      return ex;
    };
    let ctxRef!: StrategyContext;
    const k = setup({
      broker: manual,
      strategies: (inst) => [
        { id: strategyId('M'), instruments: [inst.id], onStart: (ctx) => void (ctxRef = ctx) },
      ],
    });
    const id = ctxRef.submit({
      instrumentId: k.inst.id,
      side: 'BUY',
      quantity: 10,
      type: 'STOP',
      stopPrice: '11.00',
    });
    const base = { clientOrderId: id, tsEvent: T0, tsInit: T0 };
    push({ ...base, kind: 'accepted', venueOrderId: 'V1' as never });
    push({ ...base, kind: 'triggered' });
    ctxRef.replace(id, { quantity: 12 });
    push({ ...base, kind: 'replaceRejected', reason: 'no' });
    ctxRef.replace(id, { quantity: 12 });
    push({ ...base, kind: 'replaced', quantity: Quantity.of(12) });
    ctxRef.cancel(id);
    push({ ...base, kind: 'cancelRejected', reason: 'too late' });
    push({ ...base, kind: 'expired' });
    const types = orderTypes(k.events).map((x) => x.split(':')[1]);
    expect(types).toEqual([
      'OrderInitialized',
      'OrderSubmitted',
      'OrderAccepted',
      'OrderTriggered',
      'OrderPendingReplace',
      'OrderReplaceRejected',
      'OrderPendingReplace',
      'OrderReplaced',
      'OrderPendingCancel',
      'OrderCancelRejected',
      'OrderExpired',
    ]);
    expect(k.kernel.orders.get(id)?.quantity.toString()).toBe('12');
    expect(k.kernel.orders.get(id)?.status).toBe('EXPIRED');
    const rej = ctxRef.submit({ instrumentId: k.inst.id, side: 'BUY', quantity: 1 });
    push({
      clientOrderId: rej,
      tsEvent: T0,
      tsInit: T0,
      kind: 'rejected',
      reason: 'venue says no',
    });
    expect(k.kernel.orders.get(rej)?.status).toBe('REJECTED');
  });
});

describe('TradingKernel: risk context (float equity, lazily built exact decimal)', () => {
  /** A strategy that sends plan[n] on its n-th bar (nothing for null). */
  function planned(plan: ReadonlyArray<Partial<OrderParams> | null>) {
    let n = 0;
    return (inst: Instrument): Strategy[] => [
      {
        id: strategyId('S'),
        instruments: [inst.id],
        onBar(b, ctx) {
          const p = plan[n++];
          if (p) ctx.submit({ instrumentId: b.instrumentId, side: 'BUY', quantity: 1, ...p });
        },
      },
    ];
  }

  /** Spies risk.check: each decision and how often the exact equity was built during it. */
  function observe(k: ReturnType<typeof setup>) {
    const seen: { decision: string; exactBuilds: number; equity: unknown }[] = [];
    const equity = jest.spyOn(k.portfolio, 'equity');
    const check = k.risk.check.bind(k.risk);
    jest.spyOn(k.risk, 'check').mockImplementation((request, ctx) => {
      const before = equity.mock.calls.length;
      const d = check(request, ctx);
      // (a copy: the kernel refills one context object for every check)
      const e = ctx.equity;
      seen.push({
        decision: d.approved ? 'APPROVED' : `${d.reason}: ${d.message}`,
        exactBuilds: equity.mock.calls.length - before,
        equity: e instanceof TradingDecimal ? e : { value: e.value, scale: e.scale },
      });
      return d;
    });
    return seen;
  }

  it('decides the % of equity limit exactly, building the decimal only at the cap or for a message', () => {
    const k = setup({
      strategies: planned([
        { quantity: 100 },
        { quantity: 1 },
        { side: 'SELL', quantity: 50 },
        { quantity: 10 },
      ]),
      risk: { maxPositionPctOfEquity: 10 },
    });
    const seen = observe(k);
    for (let i = 0; i < 5; i++) k.feed(100);
    expect(seen.map(({ decision, exactBuilds }) => [decision, exactBuilds])).toEqual([
      ['APPROVED', 1], // 100 × 100 = 10,000: exactly AT 10 % of 100,000 (floats cannot decide)
      [
        'MAX_POSITION_PCT: position notional would be 10100, above 10% of equity 100000 = 10000 (KRN.SIM)',
        1, // decided in floats; the message names the exact equity
      ],
      ['APPROVED', 0], // reducing
      ['APPROVED', 0], // 60 × 100 = 6,000: clearly inside
    ]);
    // The context carried an estimate, not a decimal.
    expect(seen[0].equity).toEqual(expect.objectContaining({ value: 100000, scale: 100000 }));
    expect(k.portfolio.position(k.inst.id).quantity.toString()).toBe('60');
  });

  it('trips the drawdown kill switch exactly AT the limit against the recorded peak', () => {
    const far = { type: 'LIMIT' as const, limitPrice: 1 }; // never fills: state stays put
    const k = setup({
      strategies: planned([{ quantity: 1000 }, null, far, far]),
      risk: { maxDrawdownPct: 10 },
    });
    const seen = observe(k);
    k.feed(100); // BUY 1000
    k.feed(100); // filled at 100: cash 0, position 100,000
    k.kernel.recordEquity(k.clock.now()); // peak 100,000
    k.feed(90.01); // equity 90,010: 9.99 % down
    k.feed(90); // equity 90,000: 10 % down, AT the limit
    expect(seen.map(({ decision, exactBuilds }) => [decision, exactBuilds])).toEqual([
      ['APPROVED', 0],
      ['APPROVED', 0],
      [
        'MAX_DRAWDOWN: drawdown 10% (equity 90000, peak 100000) is at or beyond the limit 10%: kill switch tripped, cancel all',
        1,
      ],
    ]);
    expect(k.risk.mode).toBe('HALTED');
  });
});

describe('TradingKernel: per-order paths', () => {
  /** A strategy that sends plan[n] on its n-th bar (nothing for null), recording its context. */
  function planned(plan: ReadonlyArray<Partial<OrderParams> | null>, ids: ClientOrderId[] = []) {
    let n = 0;
    return (inst: Instrument): Strategy[] => [
      {
        id: strategyId('S'),
        instruments: [inst.id],
        onBar(b, ctx) {
          const p = plan[n++];
          if (p)
            ids.push(ctx.submit({ instrumentId: b.instrumentId, side: 'BUY', quantity: 1, ...p }));
        },
      },
    ];
  }

  const denials = (events: KernelEvent[]) =>
    events.flatMap((e) => (e.kind === 'denied' ? [`${e.denial.reason}: ${e.denial.message}`] : []));

  it('passes ZERO for context values no configured risk control reads, the real ones otherwise', () => {
    const contexts = (risk: RiskConfigInput) => {
      const k = setup({ strategies: planned([{ quantity: 10 }, null, { quantity: 5 }]), risk });
      const seen: string[][] = [];
      const check = k.risk.check.bind(k.risk);
      jest.spyOn(k.risk, 'check').mockImplementation((request, ctx) => {
        const lazy = (x: unknown) =>
          x instanceof TradingDecimal ? x.toFixed() : `~${(x as { value: number }).value}`;
        seen.push([
          lazy(ctx.equity),
          lazy(ctx.peakEquity),
          ctx.startOfDayEquity.toFixed(),
          ctx.position.toFixed(),
          String(ctx.openPositions),
          String(ctx.opensNewPosition),
          String(ctx.lastPrice),
        ]);
        return check(request, ctx);
      });
      for (const px of [100, 101, 102]) k.feed(px);
      k.kernel.recordEquity(k.clock.now());
      k.feed(103);
      return seen;
    };
    expect(contexts({})).toEqual([
      ['0', '0', '0', '0', '0', 'true', '100'],
      ['0', '0', '0', '10', '1', 'false', '102'],
    ]);
    expect(contexts({ maxOrderQuantity: 100, maxOpenPositions: 3 })).toEqual([
      ['0', '0', '0', '0', '0', 'true', '100'],
      ['0', '0', '0', '10', '1', 'false', '102'],
    ]);
    expect(contexts({ dailyLossLimit: 1000 })).toEqual([
      ['~100000', '0', '100000', '0', '0', 'true', '100'],
      ['~100010', '0', '100000', '10', '1', 'false', '102'],
    ]);
    // peak: the equity itself before the first recorded point, then max(recorded peak, equity)
    expect(contexts({ maxDrawdownPct: 50 })).toEqual([
      ['~100000', '~100000', '0', '0', '0', 'true', '100'],
      ['~100010', '~100010', '0', '10', '1', 'false', '102'],
    ]);
  });

  it('gives a risk check nested in another (from a risk event listener) its own request and context', () => {
    const a = testEquity('AAA');
    const b = testEquity('BBB');
    const clock = new SimulatedClock(T0);
    const exchange = new SimulatedExchange({ clock, instruments: [a, b] });
    const portfolio = new Portfolio({ startingCash: '100000', instruments: [a, b] });
    const holder: { kernel?: TradingKernel } = {};
    const risk = RiskEngine.create(
      { dailyLossLimit: 500 },
      { onEvent: (e) => holder.kernel?.onRiskEvent(e) },
    );
    let saved: StrategyContext | undefined;
    const plan: (OrderParams | null)[] = [
      { instrumentId: a.id, side: 'BUY', quantity: 1000 },
      null,
      { instrumentId: a.id, side: 'SELL', quantity: 500 },
    ];
    let n = 0;
    const kernel = (holder.kernel = new TradingKernel({
      clock,
      broker: exchange,
      portfolio,
      risk,
      instruments: [a, b],
      strategies: [
        {
          id: strategyId('S'),
          instruments: [a.id],
          onStart: (ctx) => void (saved = ctx),
          onBar: (_bar, ctx) => {
            const p = plan[n++];
            if (p) ctx.submit(p);
          },
        },
      ],
    }));
    const events: KernelEvent[] = [];
    kernel.onEvent((e) => {
      events.push(e);
      // the daily loss limit trips inside the SELL's check: submit BBB from inside it
      if (e.kind === 'risk' && e.event.type === 'RiskStateChanged')
        saved!.submit({ instrumentId: b.id, side: 'BUY', quantity: 1 });
    });
    const checks: string[] = [];
    const check = risk.check.bind(risk);
    jest.spyOn(risk, 'check').mockImplementation((request, ctx) => {
      const d = check(request, ctx);
      // read after the check returned: a nested check must not have changed these objects
      checks.push(
        `${request.instrumentId} ${request.side} ${String(request.quantity)} pos ${ctx.position.toFixed()}: ${d.approved ? 'APPROVED' : d.reason}`,
      );
      return d;
    });
    kernel.start();
    let t = T0;
    for (const px of [100, 100, 99]) {
      t += MS.DAY;
      clock.advanceTo(t);
      const bar: Bar = {
        instrumentId: a.id,
        ts: t,
        open: px,
        high: px,
        low: px,
        close: px,
        volume: 1e6,
      };
      exchange.processBar(bar);
      kernel.onBar(bar);
    }
    expect(checks).toEqual([
      'AAA.SIM BUY 1000 pos 0: APPROVED',
      'BBB.SIM BUY 1 pos 0: REDUCING_ONLY',
      'AAA.SIM SELL 500 pos 1000: APPROVED',
    ]);
    expect(denials(events)).toEqual([
      'REDUCING_ONLY: daily loss 1000 (equity 99000 vs start of day 100000) is at or beyond the limit 500: reducing only; BUY 1 would not reduce position 0 in BBB.SIM',
    ]);
  });

  it('validates number quantities as before when it reuses the Quantity a number gave', () => {
    const ids: ClientOrderId[] = [];
    const plan: Partial<OrderParams>[] = [
      { quantity: 3 },
      { quantity: 3 },
      { quantity: 0 },
      { quantity: -3 },
      { quantity: NaN },
      { quantity: 1.5 },
      { quantity: 1.5 },
      { quantity: new TradingDecimal(3) },
      { quantity: Quantity.of(3) },
      { quantity: '3' },
    ];
    const k = setup({ strategies: planned(plan, ids) });
    for (let i = 0; i < plan.length; i++) k.feed(100);
    // a fresh kernel for every invalid one: what it says without anything cached
    const fresh = (p: Partial<OrderParams>) => {
      const f = setup({ strategies: planned([p]) });
      f.feed(100);
      return denials(f.events);
    };
    expect(denials(k.events)).toEqual([
      ...fresh({ quantity: 0 }),
      ...fresh({ quantity: -3 }),
      ...fresh({ quantity: NaN }),
      ...fresh({ quantity: 1.5 }),
      ...fresh({ quantity: 1.5 }),
    ]);
    expect(denials(k.events)).toHaveLength(5);
    const quantities = ids.map((id) => k.kernel.orders.get(id)?.quantity.toString());
    expect(quantities).toEqual([
      '3',
      '3',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      '3',
      '3',
      '3',
    ]);
    // many distinct numbers: the bounded cache starts over and every quantity is still right
    const many: ClientOrderId[] = [];
    const m = setup({
      strategies: (inst) => [
        {
          id: strategyId('M'),
          instruments: [inst.id],
          onBar(_b, ctx) {
            for (let q = 1; q <= 300; q++)
              many.push(ctx.submit({ instrumentId: inst.id, side: 'BUY', quantity: q }));
            for (let q = 1; q <= 3; q++)
              many.push(ctx.submit({ instrumentId: inst.id, side: 'BUY', quantity: q }));
          },
        },
      ],
    });
    m.feed(100);
    expect(many.map((id) => m.kernel.orders.get(id)?.quantity.toString())).toEqual([
      ...Array.from({ length: 300 }, (_, i) => String(i + 1)),
      '1',
      '2',
      '3',
    ]);
  });

  it('builds order events only for listeners that take them', () => {
    const k = setup({ strategies: planned([{ quantity: 2 }, null]), listen: false });
    const portfolioOnly: string[] = [];
    const orders: string[] = [];
    k.kernel.onEvent((e) => portfolioOnly.push(e.kind), { kinds: ['portfolio'] });
    const stop = k.kernel.onEvent((e) => orders.push(e.kind), { kinds: ['order'] });
    k.feed(100);
    stop();
    k.feed(101); // the fill: no order listener left
    expect(portfolioOnly).toEqual(['portfolio']);
    expect(orders).toEqual(['order', 'order', 'order']); // OrderInitialized, OrderSubmitted, OrderAccepted
    stop(); // a second call does nothing
    k.kernel.onEvent((e) => orders.push(e.kind), { kinds: ['order'] });
    k.feed(102);
    expect(orders).toHaveLength(3); // nothing happened to the order since
  });
});

import { ClientOrderId, Instrument, localToUtc, MS, strategyId } from '@trading/domain';
import { testEquity } from '@trading/domain/testing';
import { SimulatedClock } from '@trading/clock';
import { SimulatedExchange, SubmitOrderCommand } from '@trading/brokers';
import { decodeOrderEvent } from '@trading/order-lifecycle';
import { InMemoryStateStore } from '@trading/persistence/testing';
import { KernelEvent } from './kernel-events';
import { journalRecordOf, stateStoreJournal } from './state-store-journal';
import { StrategyContext } from './strategy.port';
import { wireTestKernel } from '../testing';

const T0 = localToUtc('2024-01-02T16:00:00', 'America/New_York');
const flush = () => new Promise((r) => setImmediate(r));

function setup(
  store: InMemoryStateStore,
  onSubmit: (cmd: SubmitOrderCommand, inst: Instrument) => void = () => undefined,
) {
  const inst = testEquity('SSJ');
  const clock = new SimulatedClock(T0);
  const exchange = new SimulatedExchange({ clock, instruments: [inst] });
  const submit = exchange.submitOrder.bind(exchange);
  exchange.submitOrder = (cmd: SubmitOrderCommand) => {
    onSubmit(cmd, inst);
    submit(cmd);
  };
  const journal = stateStoreJournal(store);
  let ctx!: StrategyContext;
  const kernel = wireTestKernel({
    clock,
    broker: exchange,
    instruments: [inst],
    strategies: [{ id: strategyId('W'), instruments: [inst.id], onStart: (c) => void (ctx = c) }],
    startingCash: '10000',
    journal,
  });
  const events: KernelEvent[] = [];
  kernel.onEvent((e) => events.push(e));
  kernel.start();
  return { kernel, inst, clock, exchange, journal, events, ctx: () => ctx };
}

describe('stateStoreJournal', () => {
  it('appends each record to the store and the intent is durable before the broker sees the order', async () => {
    const store = new InMemoryStateStore();
    const seenAtBroker: string[][] = [];
    const k = setup(store, () =>
      seenAtBroker.push(
        store.records().map((r) => `${r.type}:${(r.json() as { type?: string }).type}`),
      ),
    );
    const id = k.ctx().submit({
      instrumentId: k.inst.id,
      side: 'BUY',
      quantity: 5,
      type: 'LIMIT',
      limitPrice: '10.00',
    });
    expect(seenAtBroker).toEqual([]); // the broker waits for the durable intent
    await flush();
    expect(seenAtBroker).toEqual([['order:OrderInitialized', 'order:OrderSubmitted']]);
    expect(k.kernel.orders.get(id)?.status).toBe('ACCEPTED');
    const records = store.records().map(journalRecordOf);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(records.map((r) => decodeOrderEvent(r.payload).type)).toEqual([
      'OrderInitialized',
      'OrderSubmitted',
      'OrderAccepted',
    ]);
    expect(decodeOrderEvent(records[0].payload)).toMatchObject({
      clientOrderId: id,
      request: { clientOrderId: id, side: 'BUY' },
    });
    expect(await k.journal.settled()).toBe(3);
  });

  it('journals denials and risk events with their record types', async () => {
    const store = new InMemoryStateStore();
    const k = setup(store);
    k.kernel.risk.tripKillSwitch({ operator: 'ops', reason: 'drill', ts: T0 });
    k.ctx().submit({ instrumentId: k.inst.id, side: 'BUY', quantity: 1 });
    await flush();
    expect(
      store
        .records()
        .map((r) => [
          r.type,
          (r.json() as { type?: string; reason?: string }).type ??
            (r.json() as { reason?: string }).reason,
        ]),
    ).toEqual([
      ['risk', 'KillSwitchTripped'],
      ['denial', 'NOT_ACCEPTING_ORDERS'],
    ]);
  });

  it('a failing store rejects the intent and the kernel stops accepting orders', async () => {
    const store = new InMemoryStateStore();
    const sent: string[] = [];
    const k = setup(store, (cmd) => sent.push(cmd.clientOrderId));
    store.failNextAppend(new Error('EIO: disk gone'));
    const id = k.ctx().submit({ instrumentId: k.inst.id, side: 'BUY', quantity: 1 });
    await flush();
    expect(sent).toEqual([]); // never sent: the intent was not durable
    expect(k.kernel.orders.get(id)?.status).toBe('REJECTED');
    expect(k.kernel.acceptingOrders).toBe(false);
    expect(store.health().status).toBe('failed');
    const failure = k.events.find((e) => e.kind === 'journal-failure');
    expect(failure && failure.kind === 'journal-failure' && failure.error.message).toMatch(
      /EIO: disk gone/,
    );
    const second = k.ctx().submit({ instrumentId: k.inst.id, side: 'BUY', quantity: 1 });
    const denied = k.events.filter((e) => e.kind === 'denied');
    expect(
      denied.map((e) => e.kind === 'denied' && [e.denial.clientOrderId, e.denial.reason]),
    ).toEqual([[second, 'NOT_ACCEPTING_ORDERS']]);
    await flush();
    expect(sent).toEqual([]);
    await expect(k.journal.settled()).rejects.toThrow(/has failed/);
    expect(k.kernel.orders.get('W-2' as ClientOrderId)).toBeUndefined();
  });

  it('settled() is the store position before the first append', async () => {
    const store = new InMemoryStateStore(41);
    const k = setup(store);
    expect(await k.journal.settled()).toBe(41);
    k.clock.advanceTo(T0 + MS.MINUTE);
    k.ctx().submit({
      instrumentId: k.inst.id,
      side: 'BUY',
      quantity: 1,
      type: 'LIMIT',
      limitPrice: '1.00',
    });
    expect(await k.journal.settled()).toBe(42);
    await flush();
    expect(await k.journal.settled()).toBe(44);
  });
});

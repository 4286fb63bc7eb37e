/**
 * Broker contract suite: every `Broker` adapter (simulated exchange, paper, Alpaca, IBKR) must pass
 * it, so the kernel can rely on the same report semantics everywhere.
 */
import { clientOrderId, ClientOrderId, Instrument, Price, Quantity } from '@trading/domain';
import { Broker, ExecutionReport, SubmitOrderCommand } from './lib/broker.port';

/** What the contract suite needs from an adapter under test. */
export interface BrokerContractHarness {
  broker: Broker;
  /** An instrument the venue trades (tick and lot sizes are respected by the suite). */
  instrument: Instrument;
  /** A price at which a market order will fill, and far-away prices for resting limits. */
  referencePrice: Price;
  /** Makes the venue trade so that marketable orders fill (e.g. feed a bar, let a fake venue match). */
  advanceMarket(): Promise<void>;
  /** Current venue time (for command timestamps). */
  now(): number;
  close?(): Promise<void>;
}

/** Registers the shared Broker contract tests under `describe(name)`. */
export function describeBrokerContract(
  name: string,
  setup: () => Promise<BrokerContractHarness>,
): void {
  describe(`Broker contract: ${name}`, () => {
    let h: BrokerContractHarness;
    let reports: ExecutionReport[];
    let seq = 0;
    const nextId = (): ClientOrderId => clientOrderId(`CONTRACT-${++seq}`);
    const cmd = (over: Partial<SubmitOrderCommand> = {}): SubmitOrderCommand => ({
      clientOrderId: nextId(),
      instrumentId: h.instrument.id,
      side: 'BUY',
      type: 'MARKET',
      quantity: Quantity.of(h.instrument.lotSize.mul(10)),
      timeInForce: 'GTC',
      ts: h.now(),
      ...over,
    });
    const of = (id: ClientOrderId) =>
      reports.filter((r) => r.clientOrderId === id).map((r) => r.kind);

    beforeEach(async () => {
      h = await setup();
      reports = [];
      h.broker.onExecutionReport((r) => reports.push(r));
      await h.broker.connect();
    });
    afterEach(async () => {
      await h.broker.disconnect();
      await h.close?.();
    });

    it('accepts then fills a market order for its full quantity with unique trade ids', async () => {
      const c = cmd();
      h.broker.submitOrder(c);
      await h.advanceMarket();
      expect(of(c.clientOrderId)[0]).toBe('accepted');
      const fills = reports.filter(
        (r): r is Extract<ExecutionReport, { kind: 'filled' }> =>
          r.kind === 'filled' && r.clientOrderId === c.clientOrderId,
      );
      expect(fills.length).toBeGreaterThan(0);
      const total = fills.reduce((a, f) => a.add(f.lastQty), Quantity.ZERO);
      expect(total.eq(c.quantity)).toBe(true);
      expect(new Set(fills.map((f) => f.tradeId)).size).toBe(fills.length);
      for (const f of fills) {
        expect(f.lastPx.isPositive()).toBe(true);
        expect(f.instrumentId).toBe(h.instrument.id);
        expect(f.side).toBe('BUY');
        expect(Number.isSafeInteger(f.tsEvent) && Number.isSafeInteger(f.tsInit)).toBe(true);
      }
    });

    it('rejects a duplicate client order id', async () => {
      const c = cmd({
        type: 'LIMIT',
        limitPrice: h.referencePrice.mul('0.5').roundToTick(h.instrument.tickSize),
      });
      h.broker.submitOrder(c);
      h.broker.submitOrder({ ...c });
      await h.advanceMarket();
      expect(of(c.clientOrderId)).toContain('accepted');
      expect(of(c.clientOrderId)).toContain('rejected');
    });

    it('rejects an invalid order with a reason instead of throwing', async () => {
      const c = cmd({ quantity: Quantity.of(h.instrument.lotSize.div(2)) });
      expect(() => h.broker.submitOrder(c)).not.toThrow();
      await h.advanceMarket();
      const r = reports.find((x) => x.clientOrderId === c.clientOrderId);
      expect(r?.kind).toBe('rejected');
      expect(r?.kind === 'rejected' && r.reason.length > 0).toBe(true);
    });

    it('rests a far limit order, lists it as open, cancels it once', async () => {
      const c = cmd({
        type: 'LIMIT',
        limitPrice: h.referencePrice.mul('0.5').roundToTick(h.instrument.tickSize),
      });
      h.broker.submitOrder(c);
      await h.advanceMarket();
      expect(of(c.clientOrderId)).toEqual(['accepted']);
      expect((await h.broker.openOrders()).map((o) => o.clientOrderId)).toContain(c.clientOrderId);
      h.broker.cancelOrder({ clientOrderId: c.clientOrderId, ts: h.now() });
      await h.advanceMarket();
      expect(of(c.clientOrderId)).toEqual(['accepted', 'canceled']);
      expect((await h.broker.openOrders()).map((o) => o.clientOrderId)).not.toContain(
        c.clientOrderId,
      );
      h.broker.cancelOrder({ clientOrderId: c.clientOrderId, ts: h.now() });
      await h.advanceMarket();
      expect(of(c.clientOrderId)).toEqual(['accepted', 'canceled', 'cancelRejected']);
    });

    it('replaces a resting order in place', async () => {
      const c = cmd({
        type: 'LIMIT',
        limitPrice: h.referencePrice.mul('0.5').roundToTick(h.instrument.tickSize),
      });
      h.broker.submitOrder(c);
      const newQty = Quantity.of(h.instrument.lotSize.mul(20));
      h.broker.replaceOrder({ clientOrderId: c.clientOrderId, quantity: newQty, ts: h.now() });
      await h.advanceMarket();
      const rep = reports.find((r) => r.kind === 'replaced' && r.clientOrderId === c.clientOrderId);
      expect(rep && rep.kind === 'replaced' && rep.quantity.eq(newQty)).toBe(true);
      const open = (await h.broker.openOrders()).find((o) => o.clientOrderId === c.clientOrderId);
      expect(open?.quantity.eq(newQty)).toBe(true);
    });

    it('reports positions that reflect fills', async () => {
      const lot = h.instrument.lotSize;
      h.broker.submitOrder(cmd({ quantity: Quantity.of(lot.mul(10)) }));
      await h.advanceMarket();
      h.broker.submitOrder(cmd({ side: 'SELL', quantity: Quantity.of(lot.mul(4)) }));
      await h.advanceMarket();
      const pos = (await h.broker.positions()).find((p) => p.instrumentId === h.instrument.id);
      expect(pos?.quantity.eq(Quantity.of(lot.mul(6)))).toBe(true);
      const acct = await h.broker.account();
      expect(acct.cash.currency).toBe(h.instrument.currency);
    });
  });
}

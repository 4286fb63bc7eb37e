/**
 * Order lifecycle throughput: events applied per second on one core with a realistic mix.
 * Per order (3 patterns, round-robin): submit, accept, 3 partial/complete fills (FILLED);
 * submit, accept, partial fill, cancel request, cancel; submit, accept, 1 complete fill.
 * Goal (order-lifecycle issue): ≥ 2,000,000 events/s for `applyOrderEvent`.
 */
import {
  clientOrderId,
  instrumentId,
  Money,
  Price,
  Quantity,
  strategyId,
  tradeId,
  venueOrderId,
} from '@trading/domain';
import {
  applyOrderEvent,
  Order,
  OrderBook,
  OrderEvent,
  OrderRequest,
} from '@trading/order-lifecycle';
import { BenchResult, throughput } from './harness';

const ORDERS = 3_000;
const sid = strategyId('BENCH');
const iid = instrumentId('AAPL', 'XNAS');
const zero = Money.zero('USD');

function build(): { orders: Order[]; events: OrderEvent[][]; total: number } {
  const orders: Order[] = [];
  const events: OrderEvent[][] = [];
  let ts = 1_700_000_000_000;
  let total = 0;
  for (let i = 0; i < ORDERS; i++) {
    const id = clientOrderId(`BENCH-${i + 1}`);
    const request: OrderRequest = {
      clientOrderId: id,
      strategyId: sid,
      instrumentId: iid,
      side: i % 2 ? 'SELL' : 'BUY',
      type: 'LIMIT',
      quantity: Quantity.of(100),
      limitPrice: Price.of('187.25'),
      timeInForce: 'DAY',
    };
    orders.push(Order.create(request, ts));
    const b = () => ({ clientOrderId: id, tsEvent: ++ts, tsInit: ts });
    const fill = (n: number, qty: number, px: string): OrderEvent => ({
      type: 'OrderFilled',
      ...b(),
      tradeId: tradeId(`E${i}-${n}`),
      lastQty: Quantity.of(qty),
      lastPx: Price.of(px),
      commission: zero,
      liquiditySide: 'MAKER',
    });
    const ev: OrderEvent[] = [
      { type: 'OrderSubmitted', ...b() },
      { type: 'OrderAccepted', ...b(), venueOrderId: venueOrderId(`V${i}`) },
    ];
    switch (i % 3) {
      case 0:
        ev.push(fill(1, 30, '187.25'), fill(2, 30, '187.24'), fill(3, 40, '187.23'));
        break;
      case 1:
        ev.push(
          fill(1, 25, '187.25'),
          { type: 'OrderPendingCancel', ...b() },
          { type: 'OrderCanceled', ...b() },
        );
        break;
      default:
        ev.push(fill(1, 100, '187.26'));
    }
    total += ev.length;
    events.push(ev);
  }
  return { orders, events, total };
}

export async function run(): Promise<BenchResult[]> {
  const { orders, events, total } = build();
  let sink = 0;
  const results: BenchResult[] = [];
  results.push(
    await throughput(
      'orders: applyOrderEvent (submit/accept/partial fills/fill/cancel mix)',
      () => {
        for (let i = 0; i < ORDERS; i++) {
          let o = orders[i];
          const ev = events[i];
          for (let j = 0; j < ev.length; j++) {
            const r = applyOrderEvent(o, ev[j]);
            if (r.ok) o = r.value.order;
            else throw r.error;
          }
          sink += o.eventCount;
        }
      },
      { opsPerCall: total, unit: 'events/s', goal: 2_000_000, timeMs: 2000, warmupMs: 500 },
    ),
  );
  results.push(
    await throughput(
      'orders: OrderBook.apply (same mix, with indexes)',
      () => {
        const book = new OrderBook({ maxClosedOrders: 1_000 });
        for (let i = 0; i < ORDERS; i++) book.add(orders[i]);
        for (let i = 0; i < ORDERS; i++) {
          const ev = events[i];
          for (let j = 0; j < ev.length; j++) {
            const r = book.apply(ev[j]);
            if (!r.ok) throw r.error;
          }
        }
        sink += book.counts().closed;
      },
      { opsPerCall: total, unit: 'events/s', goal: null, timeMs: 2000, warmupMs: 500 },
    ),
  );
  results.push(
    await throughput(
      'orders: avgPx on a filled order (lazy Σ(p·q)/Σq, first read)',
      () => {
        for (let i = 0; i < ORDERS; i += 3) {
          let o = orders[i];
          for (const e of events[i])
            o = (applyOrderEvent(o, e) as { ok: true; value: { order: Order } }).value.order;
          sink += o.avgPx ? 1 : 0;
        }
      },
      { opsPerCall: Math.ceil(ORDERS / 3), unit: 'orders/s', goal: null },
    ),
  );
  if (sink === 42) console.log('');
  return results;
}

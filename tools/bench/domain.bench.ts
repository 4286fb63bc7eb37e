/** Decimal arithmetic on the domain types vs native numbers (ADR 0002 cost of exactness). */
import { Price, Quantity, TradingDecimal } from '@trading/domain';
import { BenchResult, throughput } from './harness';

export async function run(): Promise<BenchResult[]> {
  const N = 10_000;
  const prices = Array.from({ length: N }, (_, i) => Price.of((100 + (i % 97) * 0.01).toFixed(2)));
  const qtys = Array.from({ length: N }, (_, i) => Quantity.of(1 + (i % 13)));
  const pn = prices.map((p) => p.toNumber());
  const qn = qtys.map((q) => q.toNumber());
  let sink = 0;
  const results: BenchResult[] = [];
  results.push(
    await throughput(
      'domain: decimal notional add+mul (Decimal)',
      () => {
        let acc = new TradingDecimal(0);
        for (let i = 0; i < N; i++) acc = acc.add(prices[i].value.mul(qtys[i].value));
        sink += acc.toNumber();
      },
      { opsPerCall: N, goal: 1_000_000 },
    ),
  );
  results.push(
    await throughput(
      'domain: Price.add (wrapper)',
      () => {
        let acc = prices[0];
        for (let i = 1; i < N; i++) acc = acc.add(prices[i]);
        sink += acc.toNumber();
      },
      { opsPerCall: N, goal: 1_000_000 },
    ),
  );
  results.push(
    await throughput(
      'domain: native number add+mul (reference)',
      () => {
        let acc = 0;
        for (let i = 0; i < N; i++) acc += pn[i] * qn[i];
        sink += acc;
      },
      { opsPerCall: N },
    ),
  );
  if (sink === 42) console.log('');
  return results;
}

/**
 * Portfolio ledger hot paths: mark() per bar (backtests: 10 instruments × 1M bars) and applyFill().
 * Fills are pre-built so only the ledger is measured; marks are plain numbers (bar closes).
 */
import { Instrument, Money, Price, Quantity } from '@trading/domain';
import { Fill, Portfolio } from '@trading/portfolio';
import { BenchResult, throughput } from './harness';

const INSTRUMENTS = Array.from({ length: 10 }, (_, i) =>
  i < 8
    ? new Instrument({ id: `EQ${i}.SIM`, assetClass: 'EQUITY' })
    : new Instrument({
        id: `FUT${i}.SIM`,
        assetClass: 'FUTURE',
        tickSize: '0.25',
        multiplier: '50',
      }),
);
const IDS = INSTRUMENTS.map((i) => i.id);

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const N = 100_000;
  let sink = 0;

  // mark(): 10 instruments, a price walk in cents (distinct prices, as in real bars).
  const pf = new Portfolio({ startingCash: '10000000', instruments: INSTRUMENTS });
  for (const id of IDS)
    pf.applyFill({
      instrumentId: id,
      side: 'BUY',
      quantity: Quantity.of(10),
      price: Price.of(100),
      commission: Money.of(1),
      ts: 0,
    });
  const prices = new Float64Array(N);
  let cents = 10_000;
  for (let i = 0; i < N; i++) {
    cents += ((i * 7919) % 11) - 5;
    prices[i] = cents / 100;
  }
  let ts = 1;
  results.push(
    await throughput(
      'portfolio: mark() (number price, 10 instruments)',
      () => {
        for (let i = 0; i < N; i++) pf.mark(IDS[i % 10], prices[i], ts++);
      },
      { opsPerCall: N, unit: 'marks/s', goal: 20_000_000 },
    ),
  );

  // applyFill(): alternating sides and sizes across instruments: adds, partial closes, flips.
  // The second half mirrors the first (opposite sides, reverse order), so every pass over the list
  // ends flat: the workload is the same in every round instead of positions (and their decimal
  // digits) growing with each repetition.
  const FILLS = 10_000;
  const half: Omit<Fill, 'ts' | 'tradeId'>[] = Array.from({ length: FILLS / 2 }, (_, i) => ({
    instrumentId: IDS[i % 10],
    side: (i * 31) % 7 < 3 ? 'SELL' : 'BUY',
    quantity: Quantity.of(1 + ((i * 13) % 40)),
    price: Price.of((100 + ((i * 37) % 200) / 100).toFixed(2)),
    commission: Money.of('0.35'),
  }));
  const mirrored = [...half].reverse().map((f) => ({
    ...f,
    side: f.side === 'BUY' ? ('SELL' as const) : ('BUY' as const),
  }));
  const fills: Fill[] = [...half, ...mirrored].map((f, i) => ({
    ...f,
    ts: 1_700_000_000_000 + i,
    tradeId: `T${i}`,
  }));
  const pf2 = new Portfolio({ startingCash: '10000000', instruments: INSTRUMENTS });
  results.push(
    await throughput(
      'portfolio: applyFill() (events included)',
      () => {
        for (let i = 0; i < FILLS; i++) sink += pf2.applyFill(fills[i]).length;
      },
      { opsPerCall: FILLS, unit: 'fills/s', goal: 200_000 },
    ),
  );

  // Same work measured in process CPU time: robust when the machine is shared (load > cores).
  const cpu0 = process.cpuUsage();
  const ROUNDS = 20;
  for (let r = 0; r < ROUNDS; r++)
    for (let i = 0; i < FILLS; i++) sink += pf2.applyFill(fills[i]).length;
  const cpu = process.cpuUsage(cpu0);
  results.push({
    name: 'portfolio: applyFill() per CPU-second',
    value: Math.round((ROUNDS * FILLS) / ((cpu.user + cpu.system) / 1e6)),
    unit: 'fills/cpu-s',
    goal: 200_000,
    better: 'higher',
  });

  // recordEquity() per bar: 10 marks then one point (lazy valuation of all 10 positions).
  const BARS = 2_000;
  let t2 = 1_700_000_000_000;
  results.push(
    await throughput(
      'portfolio: 10 marks + recordEquity() per bar',
      () => {
        for (let b = 0; b < BARS; b++) {
          for (let k = 0; k < 10; k++) pf.mark(IDS[k], prices[(b * 10 + k) % N], t2);
          sink += pf.recordEquity(t2).length;
          t2 += 60_000;
        }
      },
      { opsPerCall: BARS, unit: 'bars/s' },
    ),
  );
  results.push(
    await throughput(
      'portfolio: equity() after a mark',
      () => {
        for (let b = 0; b < BARS; b++) {
          pf.mark(IDS[b % 10], prices[b], t2);
          sink += pf.equity().amount.isZero() ? 0 : 1;
        }
      },
      { opsPerCall: BARS, unit: 'ops/s' },
    ),
  );
  if (sink === 42) console.log('');
  return results;
}

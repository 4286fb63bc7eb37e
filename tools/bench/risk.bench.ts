/**
 * Pre-trade risk check throughput: one full RiskEngine.check with EVERY control enabled on the
 * approved path (goal ≥ 2,000,000 checks/s on one core).
 *
 * Requests vary (quantity, price, side, market/limit, number and Quantity inputs, three instruments),
 * and so do contexts: 1,024 contexts, each with its own last price, drawn from pools of 11 equity
 * and 7 position values, while start-of-day and peak equity are shared (they change at most once a
 * day / on a new high, as in the engine). Figures:
 *  - wall clock via the shared harness (tinybench), which a loaded machine drags down;
 *  - CPU time of this process (process.cpuUsage) for the same loop: checks per CPU-second, i.e. per core;
 *  - a calibration reference (a trivial call) so a reader can see how loaded the machine was.
 */
import {
  OrderSide,
  OrderType,
  parseTimestamp,
  Price,
  Quantity,
  TradingDecimal,
} from '@trading/domain';
import { RiskContext, RiskEngine, RiskOrderRequest, TradingHours } from '@trading/risk';
import { BenchResult, throughput } from './harness';

export async function run(): Promise<BenchResult[]> {
  const engine = RiskEngine.create({
    maxOrderQuantity: 1000,
    maxOrderNotional: '1000000',
    priceCollarPct: 10,
    maxPositionQuantity: 5000,
    maxPositionNotional: '2000000',
    maxPositionPctOfEquity: 50,
    maxOpenPositions: 20,
    maxOrdersPerDay: 1_000_000,
    maxOrdersPerSecond: 1_000,
    dailyLossLimit: '5000',
    maxDrawdownPct: 20,
    enforceTradingHours: true,
    allowedInstruments: ['AAPL.XNAS', 'MSFT.XNAS', 'SPY.ARCX'],
    deniedInstruments: ['GME.XNYS'],
  });
  const t0 = parseTimestamp('2024-01-03T15:00:00Z');
  const hours: TradingHours = { isOpen: (ts) => ts >= t0 && ts < t0 + 6.5 * 3_600_000 };
  const N = 1024;
  const ids = ['AAPL.XNAS', 'MSFT.XNAS', 'SPY.ARCX'];
  const equities = Array.from(
    { length: 11 },
    (_, i) => new TradingDecimal(`${100000 + i * 10}.25`),
  );
  const positions = Array.from({ length: 7 }, (_, i) => new TradingDecimal(i * 10));
  const sod = new TradingDecimal('100500');
  const peak = new TradingDecimal('101000');
  const requests: RiskOrderRequest[] = [];
  const contexts: RiskContext[] = [];
  for (let i = 0; i < N; i++) {
    const px = (100 + (i % 97) * 0.01).toFixed(2);
    const qty = 1 + (i % 13);
    const side = i % 4 === 3 ? OrderSide.SELL : OrderSide.BUY;
    requests.push({
      instrumentId: ids[i % 3],
      side,
      type: i % 5 === 0 ? OrderType.MARKET : OrderType.LIMIT,
      quantity: i % 3 === 0 ? qty : Quantity.of(qty),
      price: i % 5 === 0 ? undefined : Price.of(px),
      strategyId: 'bench',
      ts: t0 + i,
    });
    contexts.push({
      equity: equities[i % 11],
      position: side === OrderSide.SELL ? positions[6] : positions[i % 7],
      openPositions: 3,
      lastPrice: new TradingDecimal(px),
      startOfDayEquity: sod,
      peakEquity: peak,
      tradingHours: hours,
    });
  }
  for (let i = 0; i < N; i++) {
    const d = engine.check(requests[i], contexts[i]);
    if (!d.approved) throw new Error(`bench request ${i} was rejected: ${d.reason} ${d.message}`);
  }
  let approved = 0;
  const LOOP = 10_000;
  const loop = (): void => {
    for (let i = 0; i < LOOP; i++) {
      const j = i & (N - 1);
      if (engine.check(requests[j], contexts[j]).approved) approved++;
    }
  };
  const wall = await throughput(
    'risk: full pre-trade check, all controls, approved path (wall clock)',
    loop,
    { opsPerCall: LOOP, unit: 'checks/s', goal: 2_000_000 },
  );

  // Same loop, measured in CPU time of this process (best of 5 rounds of 1,000,000 checks).
  let best = 0;
  for (let round = 0; round < 5; round++) {
    const c0 = process.cpuUsage();
    for (let k = 0; k < 100; k++) loop();
    const cu = process.cpuUsage(c0);
    best = Math.max(best, (100 * LOOP) / ((cu.user + cu.system) / 1e6));
  }
  const cpu: BenchResult = {
    name: 'risk: full pre-trade check, all controls, approved path (per CPU-second)',
    value: Math.round(best),
    unit: 'checks/s',
    goal: 2_000_000,
    better: 'higher',
  };

  // Calibration: a trivial monomorphic call (an idle modern core does ≥ 300,000,000/s).
  const probe = { e: 1 };
  let sink = 0;
  const ref = await throughput(
    'risk: reference trivial call (machine load calibration)',
    () => {
      for (let i = 0; i < LOOP; i++) sink += probe.e + i;
    },
    { opsPerCall: LOOP, unit: 'calls/s' },
  );
  if (approved === 0 || sink === 42) throw new Error('nothing approved');
  console.error(
    `risk.bench: wall ${wall.value.toLocaleString('en-US')} checks/s, CPU ${cpu.value.toLocaleString('en-US')} checks/s (goal ≥ 2,000,000)`,
  );
  return [wall, cpu, ref];
}

/**
 * @trading/clock hot paths: SimulatedClock scheduling + firing (the backtester's event loop) and
 * TradingCalendar.isOpen (risk checks / session gating on every order and bar).
 */
import { NyseTradingCalendar, SimulatedClock } from '@trading/clock';
import { BenchResult, throughput, timeOnce } from './harness';

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  let sink = 0;
  const cb = (): void => {
    sink++;
  };

  // 1) Batches of one-shot alerts at pseudo-random times (many ties); one advance fires each batch.
  //    1,000 pending is the goal figure (a backtest keeps a few timers per strategy/instrument);
  //    10,000 pending shows the cost once entries outlive V8's young generation.
  let seed = 42;
  const batch = async (size: number, goal: number | null): Promise<BenchResult> => {
    const names = Array.from({ length: size }, (_, i) => `alert-${i}`);
    const offsets = new Int32Array(size);
    for (let i = 0; i < size; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      offsets[i] = 1 + (seed % 5_000);
    }
    const clock = new SimulatedClock(Date.UTC(2024, 0, 2));
    return throughput(
      `clock: SimulatedClock alerts scheduled+fired (${size.toLocaleString('en-US')} pending)`,
      () => {
        const now = clock.now();
        for (let i = 0; i < size; i++) clock.setTimeAlert(names[i], now + offsets[i], cb);
        clock.advanceTo(now + 5_000);
      },
      { opsPerCall: size, unit: 'timers/s', goal },
    );
  };
  results.push(await batch(1_000, 1_000_000));
  results.push(await batch(10_000, null));

  // 2) Repeating timers: 100 timers with 1..100 ms intervals over one simulated minute.
  const rep = new SimulatedClock(0);
  for (let i = 0; i < 100; i++) rep.setTimer(`t${i}`, 1 + i, cb);
  const firesPerMinute = Array.from({ length: 100 }, (_, i) => Math.floor(60_000 / (1 + i))).reduce(
    (a, b) => a + b,
    0,
  );
  results.push(
    await throughput(
      'clock: SimulatedClock repeating timer fires (100 timers)',
      () => {
        rep.advanceBy(60_000);
      },
      { opsPerCall: firesPerMinute, unit: 'fires/s', goal: 1_000_000 },
    ),
  );

  // 3) One million pending alerts scheduled, then fired by a single advance (cache-bound worst case).
  const N = 1_000_000;
  const bigNames = Array.from({ length: N }, (_, i) => `a${i}`);
  const bigTimes = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    bigTimes[i] = 1 + (seed % 500_000);
  }
  const ms = await timeOnce(() => {
    const c = new SimulatedClock(0);
    for (let i = 0; i < N; i++) c.setTimeAlert(bigNames[i], bigTimes[i], cb);
    c.advanceTo(500_001);
  }, 1);
  results.push({
    name: 'clock: SimulatedClock 1e6 pending alerts scheduled+fired',
    value: Math.round(N / (ms / 1000)),
    unit: 'timers/s',
    goal: null,
    better: 'higher',
  });

  // 4) TradingCalendar.isOpen on random instants across 2000–2030.
  const cal = new NyseTradingCalendar();
  const M = 10_000;
  const stamps = new Float64Array(M);
  const span = cal.rangeEnd - cal.rangeStart;
  for (let i = 0; i < M; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    stamps[i] = cal.rangeStart + Math.floor((seed / 4294967296) * span);
  }
  results.push(
    await throughput(
      'clock: NyseTradingCalendar.isOpen',
      () => {
        let open = 0;
        for (let i = 0; i < M; i++) if (cal.isOpen(stamps[i])) open++;
        sink += open;
      },
      { opsPerCall: M, unit: 'calls/s', goal: 5_000_000 },
    ),
  );

  if (sink === -1) console.log('');
  return results;
}

/**
 * Timed-scenario child of kernel.bench.ts: one kernel scenario in a fresh `node` process on the
 * compiled libraries (dist/node_modules/@trading/*, as deployed), so no scenario runs on a heap or
 * JIT state left by another (a previous run's result, with all its fills and trades, would
 * otherwise still be alive and slow every later GC).
 *
 * One timed backtest per process (cold: a run of millions of bars dwarfs JIT warm-up). The bare
 * typed-array SMA-cross loop over the very same arrays runs in the same process, right before the
 * timed run (its second pass is timed), for the ratio.
 *
 * Usage: node kernel-child.js <sma:PERIOD|quiet|hold|every> <barsPerInstrument>
 * Prints `@@KERNEL@@{ bars, orders, ms, rate, bareRate, bareSignals }`.
 */
const { libraryLoader, syntheticInstruments } = require('./child-common');
const load = libraryLoader('compiled');
const { Instrument, strategyId } = load('domain');
const { InMemoryHistoricalData, syntheticBarBatches } = load('data-providers');
const { createStrategy } = load('strategies');
const { runBacktest } = load('backtest');

const [scenario, perArg] = process.argv.slice(2);
const INSTRUMENTS = 10;
const per = Number(perArg);
if (!Number.isSafeInteger(per) || per <= 0) throw new Error(`bars per instrument: got ${perArg}`);
const instruments = syntheticInstruments(Instrument, INSTRUMENTS);
const ids = instruments.map((i) => i.id);
const series = instruments.map((inst, k) => [
  ...syntheticBarBatches({ instrumentId: inst.id, count: per, seed: 1000 + k }),
]);
const data = new InMemoryHistoricalData(
  instruments.map((inst, k) => ({ instrumentId: inst.id, source: 'syn', batches: series[k] })),
);

/** One market order on every bar, alternating buy and sell per instrument (round trips). */
function everyBar() {
  const flip = new Map();
  return {
    id: strategyId('EVERY'),
    instruments: ids,
    onBar(bar, ctx) {
      const buy = !flip.get(bar.instrumentId);
      flip.set(bar.instrumentId, buy);
      ctx.submit({ instrumentId: bar.instrumentId, side: buy ? 'BUY' : 'SELL', quantity: 1 });
    },
  };
}

/** One market buy per instrument on its first bar, then holds: every bar marks open positions. */
function holdOnce() {
  const bought = new Set();
  return {
    id: strategyId('HOLD'),
    instruments: ids,
    onBar(bar, ctx) {
      if (bought.has(bar.instrumentId)) return;
      bought.add(bar.instrumentId);
      ctx.submit({ instrumentId: bar.instrumentId, side: 'BUY', quantity: 100 });
    },
  };
}

function strategyFor(name) {
  if (name === 'quiet')
    return { id: strategyId('QUIET'), instruments: ids, onBar: () => undefined };
  if (name === 'every') return everyBar();
  if (name === 'hold') return holdOnce();
  const m = /^sma:(\d+)$/.exec(name);
  if (!m) throw new Error(`scenario: expected sma:PERIOD, quiet, hold or every, got ${name}`);
  return createStrategy('sma-cross', {
    id: 'SMA',
    instruments: ids,
    params: { period: Number(m[1]), quantity: 100 },
  });
}

/** The same SMA-cross decision computation as a bare loop over the typed arrays. */
function bareLoop(period) {
  const t0 = process.hrtime.bigint();
  let signals = 0;
  let bars = 0;
  for (const batches of series) {
    const buf = new Float64Array(period);
    let i = 0;
    let n = 0;
    let sum = 0;
    let last = 0;
    for (const b of batches) {
      const close = b.close;
      for (let k = 0; k < b.length; k++) {
        const c = close[k];
        sum += c - buf[i];
        buf[i] = c;
        i = (i + 1) % period;
        bars++;
        if (n < period) {
          n++;
          if (n < period) continue;
        }
        const d = c - sum / period;
        if (d === 0) continue;
        if ((last < 0 && d > 0) || (last > 0 && d < 0)) signals++;
        last = d;
      }
    }
  }
  return { bars, ms: Number(process.hrtime.bigint() - t0) / 1e6, signals };
}

async function once() {
  const t0 = process.hrtime.bigint();
  const res = await runBacktest({
    instruments,
    data,
    strategies: [strategyFor(scenario)],
    startingCash: 100_000_000,
    collectPrices: false,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { bars: res.bars, orders: res.ordersSubmitted, ms };
}

(async () => {
  const m = /^sma:(\d+)$/.exec(scenario);
  const period = m ? Number(m[1]) : 20;
  bareLoop(period);
  const bare = bareLoop(period);
  const run = await once();
  const out = {
    ...run,
    rate: run.bars / (run.ms / 1000),
    bareRate: bare.bars / (bare.ms / 1000),
    bareSignals: bare.signals,
  };
  process.stdout.write('@@KERNEL@@' + JSON.stringify(out) + '\n');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});

/**
 * Peak-RSS child of kernel.bench.ts: runs one streamed backtest and prints `@@RSS@@{...}`.
 * `compiled` loads the built libraries (dist/node_modules/@trading/*, as deployed; no TypeScript
 * compiler in the process); `source` loads the TypeScript sources through @swc-node/register.
 * Usage: node rss-child.js <compiled|source> <quiet|orders> <totalBars>
 */
const { libraryLoader, syntheticInstruments } = require('./child-common');
const [build, mode, totalArg] = process.argv.slice(2);
const load = libraryLoader(build);
const { Instrument } = load('domain');
const { InMemoryHistoricalData, syntheticBarBatches } = load('data-providers');
const { createStrategy } = load('strategies');
const { runBacktest } = load('backtest');

const INSTRUMENTS = 10;
const total = Number(totalArg);
const per = Math.floor(total / INSTRUMENTS);
const instruments = syntheticInstruments(Instrument, INSTRUMENTS);
const ids = instruments.map((i) => i.id);
const data = new InMemoryHistoricalData(
  instruments.map((inst, k) => ({
    instrumentId: inst.id,
    source: 'syn',
    batches: () => syntheticBarBatches({ instrumentId: inst.id, count: per, seed: 7 + k }),
  })),
);
const strategy =
  mode === 'orders'
    ? createStrategy('sma-cross', {
        id: 'RSS',
        instruments: ids,
        params: { period: 2000, quantity: 1 },
      })
    : { id: 'RSS0', instruments: ids, onBar: () => undefined };
runBacktest({
  instruments,
  data,
  strategies: [strategy],
  startingCash: 100_000_000,
  collectPrices: true,
}).then(
  (res) => {
    const out = {
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      bars: res.bars,
      orders: res.ordersSubmitted,
      fills: res.fills.length,
      trades: res.trades.length,
    };
    process.stdout.write('@@RSS@@' + JSON.stringify(out) + '\n');
  },
  (e) => {
    console.error(e);
    process.exit(1);
  },
);

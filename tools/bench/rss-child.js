/**
 * Peak-RSS child of kernel.bench.ts: runs one streamed backtest and prints `@@RSS@@{...}`.
 * `compiled` loads the built libraries (dist/node_modules/@trading/*, as deployed; no TypeScript
 * compiler in the process); `source` loads the TypeScript sources through @swc-node/register.
 * Usage: node rss-child.js <compiled|source> <quiet|orders> <totalBars>
 */
const path = require('path');
const [build, mode, totalArg] = process.argv.slice(2);
const root = path.resolve(__dirname, '../..');
if (build === 'source') {
  process.env.SWC_NODE_PROJECT = path.join(root, 'tsconfig.base.json');
  require('@swc-node/register');
}
// Sources: the lib's index.ts (swc-node maps the @trading/* imports inside it).
const load = (name) =>
  require(
    build === 'source'
      ? path.join(root, 'libs', name, 'src/index.ts')
      : path.join(root, 'dist/node_modules/@trading', name),
  );
require('reflect-metadata');
const { Instrument } = load('domain');
const { InMemoryHistoricalData, syntheticBarBatches } = load('data-providers');
const { createStrategy } = load('strategies');
const { runBacktest } = load('backtest');

const INSTRUMENTS = 10;
const total = Number(totalArg);
const per = Math.floor(total / INSTRUMENTS);
const instruments = Array.from(
  { length: INSTRUMENTS },
  (_, k) => new Instrument({ id: `SYN${k}.SIM`, tickSize: '0.01' }),
);
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

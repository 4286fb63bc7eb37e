/**
 * Shared set-up of the benchmark child processes (kernel-child.js, rss-child.js): loading the
 * libraries, compiled or from source, and the synthetic instruments every kernel scenario trades.
 */
const path = require('path');

const root = path.resolve(__dirname, '../..');

/**
 * A loader of the `@trading/*` libraries. `compiled` (default) loads the built packages
 * (dist/node_modules/@trading/*, as deployed; no TypeScript compiler in the process); `source`
 * loads each lib's index.ts through @swc-node/register (which maps the @trading/* imports inside).
 */
function libraryLoader(build = 'compiled') {
  if (build === 'source') {
    process.env.SWC_NODE_PROJECT = path.join(root, 'tsconfig.base.json');
    require('@swc-node/register');
  }
  require('reflect-metadata');
  return (name) =>
    require(
      build === 'source'
        ? path.join(root, 'libs', name, 'src/index.ts')
        : path.join(root, 'dist/node_modules/@trading', name),
    );
}

/** The benchmark's instruments: SYN0.SIM … SYN<n−1>.SIM, tick 0.01. */
function syntheticInstruments(Instrument, n = 10) {
  return Array.from(
    { length: n },
    (_, k) => new Instrument({ id: `SYN${k}.SIM`, tickSize: '0.01' }),
  );
}

module.exports = { libraryLoader, syntheticInstruments };

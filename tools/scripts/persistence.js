#!/usr/bin/env node
/**
 * Runs the WAL operator CLI from source (TypeScript via @swc-node/register, path aliases from
 * tsconfig.base.json):
 *   node tools/scripts/persistence.js inspect <wal-dir>          exit 0 clean / torn tail, 2 corruption
 *   node tools/scripts/persistence.js repair <wal-dir> [--force] dry run (exit 1) unless --force
 */
const path = require('path');
const root = path.resolve(__dirname, '../..');
process.env.SWC_NODE_PROJECT =
  process.env.SWC_NODE_PROJECT || path.join(root, 'tsconfig.base.json');
require('@swc-node/register');
// Path aliases apply inside transpiled TypeScript only, so resolve @trading/persistence-file here.
const [entry] = require(path.join(root, 'tsconfig.base.json')).compilerOptions.paths[
  '@trading/persistence-file'
];
const { persistenceCli } = require(path.join(root, entry));
persistenceCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`persistence: ${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 3;
  },
);

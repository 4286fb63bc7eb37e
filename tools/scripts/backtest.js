#!/usr/bin/env node
/**
 * Runs the backtest-runner app from source (TypeScript via @swc-node/register, path aliases from
 * tsconfig.base.json): `node tools/scripts/backtest.js run --data ... --strategy ...`.
 */
const path = require('path');
process.env.SWC_NODE_PROJECT =
  process.env.SWC_NODE_PROJECT || path.resolve(__dirname, '../../tsconfig.base.json');
require('@swc-node/register');
require('../../apps/backtest-runner/src/main.ts');

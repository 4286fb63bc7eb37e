#!/usr/bin/env node
/**
 * Byte-identity check of backtest results across changes to the order path.
 *
 * Runs the backtest CLI (from source) on a fixed set of configurations that together exercise
 * every fill, commission, slippage, latency and participation model, brackets, several
 * instruments, a futures-style multiplier in another time zone and intraday bars, then prints the
 * SHA-256 of each `result.json`.
 *
 *   node tools/scripts/result-digests.js           # compare with tools/scripts/result-digests.json
 *   node tools/scripts/result-digests.js --write   # record the current digests as the reference
 *
 * Exit 1 when a digest differs from the recorded one (a changed result file), naming the runs.
 * A performance change to the kernel, exchange, portfolio or analytics must keep every digest.
 */
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const fixtures = 'libs/data-providers-file/fixtures';
const reference = path.join(__dirname, 'result-digests.json');

/** name → CLI arguments after `run` (without --out). */
const RUNS = {
  demo: [
    '--data',
    `ORCL=${fixtures}/orcl-1995-2014.txt`,
    '--strategy',
    'sma-cross',
    '--param',
    'period=20',
    '--quantity',
    '1000',
    '--cash',
    '100000',
    '--commission',
    '0.005/unit,min=1',
  ],
  'sma5-close-pct-bps': [
    '--data',
    `ORCL=${fixtures}/orcl-1995-2014.txt`,
    '--strategy',
    'sma-cross',
    '--param',
    'period=5',
    '--quantity',
    '300',
    '--fill',
    'close',
    '--commission',
    '0.1%',
    '--slippage',
    '5bps',
  ],
  'dual-sma-two-instruments': [
    '--data',
    `ORCL=${fixtures}/orcl-1995-2014.txt`,
    '--data',
    `NVDA=${fixtures}/nvda-1999-2014.txt`,
    '--strategy',
    'dual-sma-cross',
    '--param',
    'fast=10',
    '--param',
    'slow=30',
    '--quantity',
    '200',
    '--commission',
    '1/order',
    '--slippage',
    '1tick',
  ],
  'rsi-yhoo': [
    '--data',
    `YHOO=${fixtures}/yhoo-1996-2015.txt`,
    '--strategy',
    'rsi-mean-reversion',
    '--quantity',
    '500',
    '--commission',
    '0.005/unit,min=1',
  ],
  'liquidity-sweep-brackets': [
    '--data',
    `FDAX=${fixtures}/2006-01-02-volume-min-001.txt`,
    '--strategy',
    'liquidity-sweep',
    '--quantity',
    '2',
    '--cash',
    '1000000',
    '--slippage',
    '1tick',
    '--commission',
    '2/unit',
    '--timezone',
    'Europe/Berlin',
  ],
  'future-x10-berlin': [
    '--data',
    `FDAX=${fixtures}/2006-day-001.txt`,
    '--strategy',
    'sma-cross',
    '--param',
    'period=5',
    '--quantity',
    '3',
    '--cash',
    '1000000',
    '--asset-class',
    'FUTURE',
    '--multiplier',
    '10',
    '--tick-size',
    '0.5',
    '--timezone',
    'Europe/Berlin',
    '--commission',
    '2/unit',
  ],
  'five-minute-bars': [
    '--data',
    `FDAX=${fixtures}/2006-min-005.txt`,
    '--strategy',
    'sma-cross',
    '--param',
    'period=12',
    '--quantity',
    '1',
    '--cash',
    '1000000',
    '--timezone',
    'Europe/Berlin',
    '--commission',
    '5bps',
  ],
  'partial-fills-latency': [
    '--data',
    `FDAX=${fixtures}/2006-01-02-volume-min-001.txt`,
    '--strategy',
    'dual-sma-cross',
    '--param',
    'fast=5',
    '--param',
    'slow=20',
    '--quantity',
    '400',
    '--cash',
    '100000000',
    '--participation',
    '0.05',
    '--latency',
    '30000',
    '--timezone',
    'Europe/Berlin',
    '--commission',
    '0.5/unit,min=3',
    '--slippage',
    '2bps',
  ],
};

function digestOf(name, args, tmp) {
  const out = path.join(tmp, name);
  const r = spawnSync(
    process.execPath,
    [path.join(__dirname, 'backtest.js'), 'run', ...args, '--no-cache', '--out', out],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (r.status !== 0) throw new Error(`${name}: backtest failed (exit ${r.status})\n${r.stderr}`);
  const bytes = readFileSync(path.join(out, 'result.json'));
  return createHash('sha256').update(bytes).digest('hex');
}

function main() {
  const write = process.argv.includes('--write');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'result-digests-'));
  const digests = {};
  try {
    for (const [name, args] of Object.entries(RUNS)) {
      digests[name] = digestOf(name, args, tmp);
      process.stdout.write(`${digests[name]}  ${name}\n`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (write) {
    writeFileSync(reference, JSON.stringify(digests, null, 2) + '\n');
    process.stdout.write(`recorded ${Object.keys(digests).length} digests in ${reference}\n`);
    return;
  }
  if (!existsSync(reference)) throw new Error(`no reference: run with --write first`);
  const want = JSON.parse(readFileSync(reference, 'utf8'));
  const changed = Object.keys(RUNS).filter((k) => want[k] !== digests[k]);
  if (changed.length > 0) {
    process.stderr.write(`result.json changed: ${changed.join(', ')}\n`);
    process.exit(1);
  }
  process.stdout.write(`all ${Object.keys(RUNS).length} result files identical to the reference\n`);
}

main();

#!/usr/bin/env node
/**
 * `npm run bench [filter]`: runs every tools/bench/*.bench.ts in a child process, prints a table of
 * figure vs goal and writes dist/bench/results.json ([{ name, value, unit, goal, better }]).
 * Exits non-zero only when a benchmark throws, never on a missed goal.
 */
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '../..');
const filter = process.argv[2];

if (process.env.BENCH_CHILD) {
  process.env.SWC_NODE_PROJECT = path.join(root, 'tsconfig.base.json');
  require('@swc-node/register');
  const mod = require(process.env.BENCH_CHILD);
  Promise.resolve(mod.run())
    .then((results) => {
      process.stdout.write('\n@@BENCH@@' + JSON.stringify(results) + '\n');
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
  return;
}

const files = fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
  .sort();
const all = [];
let failed = 0;
for (const f of files) {
  process.stderr.write(`running ${f} ...\n`);
  const res = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=4096', __filename],
    {
      env: { ...process.env, BENCH_CHILD: path.join(__dirname, f) },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = (res.stdout || '').split('\n').find((l) => l.startsWith('@@BENCH@@'));
  if (res.status !== 0 || !line) {
    failed++;
    console.error(`bench ${f} failed (exit ${res.status})`);
    continue;
  }
  all.push(...JSON.parse(line.slice('@@BENCH@@'.length)));
}

const fmt = (v) =>
  typeof v === 'number'
    ? Math.abs(v) >= 1000
      ? Math.round(v).toLocaleString('en-US')
      : String(+v.toFixed(3))
    : '-';
const rows = all.map((r) => {
  const met = r.goal == null ? '' : r.better === 'higher' ? r.value >= r.goal : r.value <= r.goal;
  return [
    r.name,
    fmt(r.value),
    r.unit,
    r.goal == null ? '-' : (r.better === 'higher' ? '≥ ' : '≤ ') + fmt(r.goal),
    met === '' ? '' : met ? 'met' : 'MISSED',
  ];
});
const head = ['benchmark', 'value', 'unit', 'goal', 'status'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (cols) =>
  cols
    .map((c, i) => (i === 1 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i])))
    .join(' | ');
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const r of rows) console.log(line(r));
const outDir = path.join(root, 'dist/bench');
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify(all, null, 2) + '\n');
console.log(
  `\nwrote ${path.relative(root, path.join(outDir, 'results.json'))} (${all.length} figures${failed ? `, ${failed} bench file(s) failed` : ''})`,
);
process.exit(failed ? 1 : 0);

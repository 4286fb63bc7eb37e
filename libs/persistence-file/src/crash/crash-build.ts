/**
 * Transpiles the crash child and the libs it needs (domain, persistence, persistence-file) to plain
 * CommonJS in a temp directory with @swc/core, so each child starts in ~0.1 s instead of paying the
 * @swc-node/register start-up on every kill. Returns the launcher to run with `node`.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const LIBS = ['domain', 'persistence', 'persistence-file'];

function walk(dir: string, out: string[]): string[] {
  for (const n of readdirSync(dir)) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (n.endsWith('.ts') && !n.endsWith('.spec.ts') && !n.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Builds into `outDir` and returns the path of the launcher script. */
export function buildCrashChild(root: string, outDir: string): string {
  const swc = require('@swc/core') as typeof import('@swc/core');
  for (const lib of LIBS) {
    for (const file of walk(path.join(root, 'libs', lib, 'src'), [])) {
      const rel = path.relative(root, file).replace(/\.ts$/, '.js');
      const { code } = swc.transformFileSync(file, {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          target: 'es2022',
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: 'commonjs' },
        sourceMaps: false,
        swcrc: false,
      });
      mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
      writeFileSync(path.join(outDir, rel), code);
    }
  }
  const launcher = path.join(outDir, 'launch-crash-child.js');
  writeFileSync(
    launcher,
    `const Module = require('module');
const path = require('path');
const out = ${JSON.stringify(outDir)};
const libs = ${JSON.stringify(LIBS)};
const orig = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const m = /^@trading\\/([^/]+)(\\/testing)?$/.exec(request);
  if (m && libs.includes(m[1])) request = path.join(out, 'libs', m[1], 'src', m[2] ? 'testing.js' : 'index.js');
  return orig.call(this, request, ...rest);
};
module.paths.push(${JSON.stringify(path.join(root, 'node_modules'))});
process.env.NODE_PATH = ${JSON.stringify(path.join(root, 'node_modules'))};
Module._initPaths();
require(path.join(out, 'libs/persistence-file/src/crash/crash-child.js'));
`,
  );
  return launcher;
}

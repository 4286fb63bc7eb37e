/**
 * Proves the workspace lint rules bite: core libs cannot import I/O packages, and only the clock
 * lib may read the system time. Runs the real eslint.config.mjs in a child process.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

interface Probe {
  filePath: string;
  messages: { ruleId: string | null; message: string }[];
}

function lint(cases: { filePath: string; code: string }[]): Probe[] {
  const res = spawnSync(process.execPath, [path.join(__dirname, 'lint-probe.mjs')], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    cwd: path.resolve(__dirname, '../..'),
  });
  if (res.status !== 0) throw new Error(`lint probe failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as Probe[];
}

const rules = (p: Probe) => p.messages.map((m) => m.ruleId);

describe('workspace lint rules', () => {
  const results = lint([
    {
      filePath: 'libs/domain/src/lib/probe.ts',
      code: "import { Client } from 'pg';\nexport const c = Client;\n",
    },
    {
      filePath: 'libs/risk/src/lib/probe.ts',
      code: "import { DataSource } from 'typeorm';\nexport const c = DataSource;\n",
    },
    {
      filePath: 'libs/engine/src/lib/probe.ts',
      code: "import * as fs from 'node:fs';\nexport const c = fs;\n",
    },
    { filePath: 'libs/domain/src/lib/probe.ts', code: 'export const t = Date.now();\n' },
    { filePath: 'libs/engine/src/lib/probe.ts', code: 'export const t = new Date();\n' },
    { filePath: 'libs/clock/src/lib/probe.ts', code: 'export const t = Date.now();\n' },
    {
      filePath: 'libs/persistence-sql/src/lib/probe.ts',
      code: "import { Client } from 'pg';\nexport const c = Client;\n",
    },
    {
      filePath: 'libs/config/src/lib/probe.ts',
      code: "import { x } from '@trading/data-providers-file';\nexport const c = x;\n",
    },
    { filePath: 'libs/domain/src/lib/probe.ts', code: 'export const ok = 1 + 1;\n' },
  ]);

  it('fails when a core lib imports pg or typeorm', () => {
    expect(rules(results[0])).toContain('@nx/enforce-module-boundaries');
    expect(results[0].messages[0].message).toMatch(/type:core.*not allowed to import "pg"/);
    expect(rules(results[1])).toContain('@nx/enforce-module-boundaries');
  });
  it('fails when a core lib imports node:fs', () => {
    expect(rules(results[2])).toContain('no-restricted-imports');
  });
  it('fails on Date.now() and new Date() outside the clock lib', () => {
    expect(rules(results[3])).toEqual(['no-restricted-syntax']);
    expect(results[3].messages[0].message).toMatch(/Clock port/);
    expect(rules(results[4])).toEqual(['no-restricted-syntax']);
  });
  it('allows Date.now() inside the clock lib and pg inside an adapter', () => {
    expect(results[5].messages).toEqual([]);
    expect(results[6].messages).toEqual([]);
  });
  it('fails when a core lib depends on an adapter lib', () => {
    expect(results[7].messages.map((m) => m.message).join('\n')).toMatch(
      /type:core.*can only depend on libs tagged with "type:core"/,
    );
  });
  it('passes clean core code', () => {
    expect(results[8].messages).toEqual([]);
  });
});

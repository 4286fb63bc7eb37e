// Workspace ESLint flat config: Nx module boundaries (tags), time-source ban, strict TS.
import nx from '@nx/eslint-plugin';
import { readdirSync, readFileSync, existsSync } from 'node:fs';

/** Roots of projects tagged type:core (read from their project.json), for rules Nx tags cannot express. */
const coreRoots = ['libs', 'apps']
  .flatMap((dir) => (existsSync(dir) ? readdirSync(dir).map((n) => `${dir}/${n}`) : []))
  .filter((root) => existsSync(`${root}/project.json`))
  .filter((root) =>
    (JSON.parse(readFileSync(`${root}/project.json`, 'utf8')).tags ?? []).includes('type:core'),
  );

/** Node built-ins that do I/O (each also under its `node:` name). */
const ioBuiltins = [
  'fs',
  'fs/promises',
  'http',
  'https',
  'http2',
  'net',
  'dgram',
  'child_process',
  'worker_threads',
].flatMap((name) => [name, `node:${name}`]);

/** I/O packages that core libs may never import (adapters own I/O). */
export const ioPackages = [
  'typeorm',
  'typeorm-*',
  'pg',
  'pg-*',
  '@electric-sql/*',
  'ws',
  ...ioBuiltins,
  'axios',
  'node-fetch',
  'undici',
  'got',
  '@alpacahq/*',
  '@polygon.io/*',
  '@stoqey/*',
  'ioredis',
  'redis',
  'bullmq',
  'playwright-core',
];

const timeSourceBan = [
  'error',
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message:
      'Time comes only from the Clock port (@trading/clock): Date.now() is forbidden outside libs/clock.',
  },
  {
    selector: "NewExpression[callee.name='Date']",
    message:
      'Time comes only from the Clock port (@trading/clock): new Date() is forbidden outside libs/clock.',
  },
  {
    selector: "CallExpression[callee.object.name='DateTime'][callee.property.name=/^(now|local)$/]",
    message:
      'Time comes only from the Clock port (@trading/clock): DateTime.now()/local() is forbidden outside libs/clock.',
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/coverage', '**/.nx', '**/out', '**/tmp'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:core',
              onlyDependOnLibsWithTags: ['type:core'],
              bannedExternalImports: ioPackages,
            },
            { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:core', 'type:adapter'] },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:core', 'type:adapter', 'type:testing'],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:core', 'type:adapter', 'type:testing'],
            },
          ],
        },
      ],
      'no-restricted-syntax': timeSourceBan,
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'tools/**/*.ts', 'tools/**/*.js'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Nx's bannedExternalImports only sees npm packages; Node built-ins that do I/O are banned here.
    files: coreRoots.map((r) => `${r}/src/**/*.ts`),
    ignores: coreRoots.map((r) => `${r}/src/**/*.spec.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioBuiltins.map((name) => ({
            name,
            message:
              'Core libs do no I/O: move this to an adapter lib (type:adapter) behind a port.',
          })),
        },
      ],
    },
  },
  { files: ['libs/clock/src/**/*.ts'], rules: { 'no-restricted-syntax': 'off' } },
  { files: ['**/*.js', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
];

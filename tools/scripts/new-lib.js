#!/usr/bin/env node
/**
 * Scaffolds a library or app with the workspace conventions:
 *   node tools/scripts/new-lib.js <name> <type:core|adapter|testing|app> [--app] [--desc "..."]
 * Creates project.json (tags, build/test/lint/typecheck targets), tsconfigs, jest config,
 * src/index.ts, src/testing.ts, README.md and registers the `@trading/<name>` path aliases.
 */
const fs = require('fs');
const path = require('path');

const [name, type] = process.argv.slice(2);
const isApp = process.argv.includes('--app');
const descIdx = process.argv.indexOf('--desc');
const desc = descIdx > 0 ? process.argv[descIdx + 1] : `${name} library`;
if (!name || !/^[a-z][a-z0-9-]*$/.test(name))
  throw new Error(`name must be kebab-case, got ${name}`);
if (!['core', 'adapter', 'testing', 'app'].includes(type))
  throw new Error(`type must be core|adapter|testing|app, got ${type}`);

const root = path.resolve(__dirname, '../..');
const dir = isApp ? `apps/${name}` : `libs/${name}`;
const abs = path.join(root, dir);
const up = '../..';
fs.mkdirSync(path.join(abs, 'src'), { recursive: true });
const write = (f, content) => {
  const p = path.join(abs, f);
  if (!fs.existsSync(p)) fs.writeFileSync(p, content);
};

const project = {
  name,
  $schema: `${up}/node_modules/nx/schemas/project-schema.json`,
  sourceRoot: `${dir}/src`,
  projectType: isApp ? 'application' : 'library',
  tags: [`type:${type}`, `scope:${name}`],
  targets: {
    build: {
      executor: '@nx/js:tsc',
      outputs: ['{options.outputPath}'],
      options: {
        outputPath: `dist/${dir}`,
        main: `${dir}/src/${isApp ? 'main' : 'index'}.ts`,
        tsConfig: `${dir}/tsconfig.lib.json`,
        assets: [`${dir}/*.md`],
      },
    },
    test: {
      executor: '@nx/jest:jest',
      outputs: ['{workspaceRoot}/coverage/{projectRoot}'],
      options: { jestConfig: `${dir}/jest.config.js`, coverage: true },
    },
    lint: { executor: '@nx/eslint:lint', options: { lintFilePatterns: [`${dir}/src`] } },
    typecheck: {
      executor: 'nx:run-commands',
      options: {
        command: `tsc -p ${dir}/tsconfig.lib.json --noEmit && tsc -p ${dir}/tsconfig.spec.json --noEmit`,
      },
    },
  },
};
write('project.json', JSON.stringify(project, null, 2) + '\n');
write(
  'tsconfig.json',
  JSON.stringify(
    {
      extends: `${up}/tsconfig.base.json`,
      files: [],
      include: [],
      references: [{ path: './tsconfig.lib.json' }, { path: './tsconfig.spec.json' }],
    },
    null,
    2,
  ) + '\n',
);
write(
  'tsconfig.lib.json',
  JSON.stringify(
    {
      extends: './tsconfig.json',
      compilerOptions: { outDir: `${up}/dist/out-tsc`, declaration: true, types: ['node', 'jest'] },
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.spec.ts', 'jest.config.js'],
    },
    null,
    2,
  ) + '\n',
);
write(
  'tsconfig.spec.json',
  JSON.stringify(
    {
      extends: './tsconfig.json',
      compilerOptions: { outDir: `${up}/dist/out-tsc`, types: ['jest', 'node'] },
      include: ['src/**/*.ts'],
    },
    null,
    2,
  ) + '\n',
);
write(
  'jest.config.js',
  `/** Jest config for ${dir}. Coverage thresholds fail the run when missed. */
module.exports = {
  ...require('${up}/jest.preset.js'),
  displayName: '${name}',
  rootDir: __dirname,
  coverageDirectory: '${up}/coverage/${dir}',
  coverageThreshold: { global: { lines: 85 } },
};
`,
);
write(
  'package.json',
  JSON.stringify(
    {
      name: `@trading/${name}`,
      version: '0.1.0',
      private: true,
      main: `./src/${isApp ? 'main' : 'index'}.js`,
      types: `./src/${isApp ? 'main' : 'index'}.d.ts`,
    },
    null,
    2,
  ) + '\n',
);
write('README.md', `# @trading/${name}\n\n${desc}\n`);
if (isApp) {
  write('src/main.ts', `// entry point\n`);
} else {
  write('src/index.ts', `/** Public API of @trading/${name}. */\nexport {};\n`);
  write(
    'src/testing.ts',
    `/** Fakes and contract suites of @trading/${name} for other libs' tests. */\nexport {};\n`,
  );
  const basePath = path.join(root, 'tsconfig.base.json');
  const base = JSON.parse(fs.readFileSync(basePath, 'utf8'));
  base.compilerOptions.paths[`@trading/${name}`] = [`${dir}/src/index.ts`];
  base.compilerOptions.paths[`@trading/${name}/testing`] = [`${dir}/src/testing.ts`];
  const sorted = {};
  for (const k of Object.keys(base.compilerOptions.paths).sort())
    sorted[k] = base.compilerOptions.paths[k];
  base.compilerOptions.paths = sorted;
  fs.writeFileSync(basePath, JSON.stringify(base, null, 2) + '\n');
}
console.log(`created ${dir}`);

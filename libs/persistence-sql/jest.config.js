/**
 * Jest config for libs/persistence-sql. Coverage thresholds fail the run when missed.
 * PGlite needs `NODE_OPTIONS=--experimental-vm-modules` (set by the `test` target in project.json);
 * its start-up takes seconds, hence the longer timeout and at most two workers.
 */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'persistence-sql',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/persistence-sql',
  coverageThreshold: { global: { lines: 85 } },
  testTimeout: 60_000,
  maxWorkers: 2,
};

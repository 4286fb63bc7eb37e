/** Jest config for libs/persistence-sql. Coverage thresholds fail the run when missed. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'persistence-sql',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/persistence-sql',
  coverageThreshold: { global: { lines: 85 } },
};

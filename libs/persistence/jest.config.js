/** Jest config for libs/persistence. Coverage thresholds fail the run when missed. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'persistence',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/persistence',
  coverageThreshold: { global: { lines: 85 } },
};

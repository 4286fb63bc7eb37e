/** Jest config for libs/strategies. Coverage thresholds fail the run when missed. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'strategies',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/strategies',
  coverageThreshold: { global: { lines: 85 } },
};

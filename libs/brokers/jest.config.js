/** Jest config for libs/brokers. Coverage thresholds fail the run when missed. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'brokers',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/brokers',
  coverageThreshold: { global: { lines: 85 } },
};

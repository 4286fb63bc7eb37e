/** Jest config for libs/domain. Coverage thresholds fail the run when missed. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'domain',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/domain',
  coverageThreshold: { global: { lines: 85 } },
};

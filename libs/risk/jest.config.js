/** Jest config for libs/risk. Coverage thresholds fail the run when missed. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'risk',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/risk',
  coverageThreshold: { global: { lines: 85 } },
};

/** Jest config for libs/config. Coverage thresholds fail the run when missed. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'config',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/config',
  coverageThreshold: { global: { lines: 85 } },
};

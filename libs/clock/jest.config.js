/** Jest config for libs/clock. Coverage thresholds fail the run when missed. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'clock',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/clock',
  coverageThreshold: { global: { lines: 90 } },
};

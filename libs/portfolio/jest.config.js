/** Jest config for libs/portfolio. Coverage thresholds fail the run when missed. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'portfolio',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/portfolio',
  coverageThreshold: { global: { lines: 90 } },
};

/** Jest config for libs/portfolio. Coverage thresholds fail the run when missed. */
const preset = require('../../jest.preset.js');
module.exports = {
  ...preset,
  displayName: 'portfolio',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/portfolio',
  // src/reference holds the pre-fixed-point reference ledger used only by the differential test
  collectCoverageFrom: [...preset.collectCoverageFrom, '!<rootDir>/src/reference/**'],
  coverageThreshold: { global: { lines: 90 } },
};

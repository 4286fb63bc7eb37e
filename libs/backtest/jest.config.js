/** Jest config for libs/backtest. Coverage thresholds fail the run when missed. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'backtest',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/backtest',
  coverageThreshold: { global: { lines: 85 } },
};

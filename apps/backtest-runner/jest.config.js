/** Jest config for apps/backtest-runner. Coverage thresholds fail the run when missed. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'backtest-runner',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/backtest-runner',
  coverageThreshold: { global: { lines: 85 } },
};

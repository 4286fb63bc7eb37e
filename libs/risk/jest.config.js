/** Jest config for libs/risk. Coverage thresholds fail the run when missed (safety-critical: 100 %). */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'risk',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/risk',
  coverageThreshold: { global: { branches: 100, lines: 100, functions: 100, statements: 100 } },
};

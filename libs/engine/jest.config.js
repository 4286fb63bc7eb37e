/** Jest config for libs/engine. Coverage thresholds fail the run when missed. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'engine',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/engine',
  coverageThreshold: { global: { lines: 85 } },
};

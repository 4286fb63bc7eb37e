/** Jest config for libs/data-providers. Coverage thresholds fail the run when missed. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'data-providers',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/data-providers',
  coverageThreshold: { global: { lines: 85 } },
};

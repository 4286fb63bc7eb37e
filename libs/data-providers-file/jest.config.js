/** Jest config for libs/data-providers-file. Coverage thresholds fail the run when missed. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'data-providers-file',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/data-providers-file',
  coverageThreshold: { global: { lines: 85 } },
};

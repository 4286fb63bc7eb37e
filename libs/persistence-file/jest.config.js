/** Jest config for libs/persistence-file. Coverage thresholds fail the run when missed. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'persistence-file',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/persistence-file',
  coverageThreshold: { global: { lines: 85 } },
};

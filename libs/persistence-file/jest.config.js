/** Jest config for libs/persistence-file. Coverage thresholds fail the run when missed. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'persistence-file',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/persistence-file',
  // The crash child runs in separate (SIGKILLed) processes, so it cannot report coverage.
  coveragePathIgnorePatterns: ['/node_modules/', 'crash-child\\.ts$'],
  coverageThreshold: { global: { lines: 85 } },
};

/** Jest config for libs/order-lifecycle. Coverage thresholds fail the run when missed. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'order-lifecycle',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/order-lifecycle',
  coverageThreshold: { global: { lines: 90 } },
};

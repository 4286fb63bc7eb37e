/**
 * Shared Jest preset for every project. ts-jest transpiles only (isolatedModules);
 * type checking is the `typecheck` target's job, so tests stay fast.
 */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { tsconfig: '<rootDir>/tsconfig.spec.json', isolatedModules: true, diagnostics: false },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  collectCoverageFrom: [
    '<rootDir>/src/**/*.ts',
    '!<rootDir>/src/**/*.spec.ts',
    '!<rootDir>/src/**/index.ts',
    '!<rootDir>/src/testing.ts',
    '!<rootDir>/src/**/*.bench.ts',
  ],
  coverageReporters: ['text-summary', 'json-summary'],
  moduleNameMapper: require('./tools/jest/module-name-mapper.js'),
};

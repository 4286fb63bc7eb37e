/** Repository contract test suites and in-memory fakes. */
export * from './repository-contract';
export * from './in-memory-repositories';

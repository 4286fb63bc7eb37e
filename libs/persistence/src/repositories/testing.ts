/** Repository contract test suites. */
export {};

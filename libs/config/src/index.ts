/**
 * @trading/config: typed, validated configuration from files (YAML/JSON), environment variables
 * and overrides, with errors that name the field and the value, and secret redaction.
 */
export * from './lib/config';

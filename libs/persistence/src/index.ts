/** Public API of @trading/persistence: WAL/snapshot/recovery core and repository ports. */
export * from './repositories';

/** Public API of @trading/persistence-sql: SQL history over TypeORM (PostgreSQL and PGlite). */
export * from './lib/transformers';
export * from './lib/entities';
export * from './lib/migrations';
export * from './lib/data-source';
export * from './lib/repositories';
export * from './lib/projection-mapping';
export * from './lib/sql-projection-writer';
export * from './lib/sql-persistence.module';

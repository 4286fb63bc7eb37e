/** Public API of @trading/persistence-sql. */
export {};

/** Public API of @trading/persistence-file. */
export {};

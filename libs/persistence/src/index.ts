/** Public API of @trading/persistence. */
export {};

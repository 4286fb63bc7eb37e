/** Public API of @trading/engine. */
export {};

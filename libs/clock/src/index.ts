/** Public API of @trading/clock. */
export {};

/** Public API of @trading/strategies. */
export {};

/** Public API of @trading/risk. */
export {};

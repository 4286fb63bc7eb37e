/** Public API of @trading/config. */
export {};

/** Public API of @trading/data-providers. */
export {};

/** Public API of @trading/data-providers-file. */
export {};

/** Public API of @trading/portfolio. */
export {};

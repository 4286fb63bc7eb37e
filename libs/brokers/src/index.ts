/** Public API of @trading/brokers. */
export {};

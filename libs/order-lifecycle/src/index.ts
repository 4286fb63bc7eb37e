/** Public API of @trading/order-lifecycle. */
export {};

/**
 * Public API of @trading/order-lifecycle: the order state machine (statuses, events, immutable
 * Order snapshots, `applyOrderEvent`, the `ORDER_TRANSITIONS` table), the open-order book,
 * contingent order lists (bracket / OCO / OTO) with their manager, deterministic client order ids,
 * and the `OrderEvents` port.
 */
export * from './lib/order-status';
export * from './lib/order-request';
export * from './lib/order-events';
export * from './lib/order';
export * from './lib/order-state-machine';
export * from './lib/order-book';
export * from './lib/order-list';
export * from './lib/contingency-manager';
export * from './lib/client-order-id-generator';
export * from './lib/order-events.port';

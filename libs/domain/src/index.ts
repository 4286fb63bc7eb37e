/**
 * @trading/domain: the vocabulary every other lib speaks. Decimal money and quantities,
 * instruments, order enums, market data records, typed ids, UTC time helpers, errors.
 */
export * from './lib/errors';
export * from './lib/decimal';
export * from './lib/values';
export * from './lib/ids';
export * from './lib/instrument';
export * from './lib/orders';
export * from './lib/market-data';
export * from './lib/time';
export * from './lib/exact-number';
export * from './lib/seen-ids';

/**
 * @trading/engine: the trading kernel (strategy host → risk → order lifecycle → Broker port;
 * fills → portfolio; typed events out) and the Strategy SDK port. Built once, used unchanged by
 * the backtester and the live engine: only the adapters bound to the ports differ.
 */
export * from './lib/strategy.port';
export * from './lib/event-journal.port';
export * from './lib/kernel-events';
export * from './lib/trading-kernel';
export * from './lib/state-store-journal';
export * from './lib/kernel-recovery';
export * from './lib/kernel-checkpointer';

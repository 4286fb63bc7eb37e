/**
 * @trading/risk: pre-trade risk controls (safety-critical). The RiskCheck port, the RiskEngine with
 * its ACTIVE / REDUCING / HALTED state machine and kill switch, events, snapshots and validated config.
 */
export * from './lib/risk-reason';
export * from './lib/risk-check.port';
export * from './lib/risk-config';
export * from './lib/risk-events';
export * from './lib/risk-snapshot';
export * from './lib/order-rate-limiter';
export * from './lib/risk-engine';
export { approx, fcmp, FLOAT_MARGIN } from './lib/fast-compare';
export * from './lib/lazy-decimal';

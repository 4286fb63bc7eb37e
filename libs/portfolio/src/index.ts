/**
 * @trading/portfolio: exact (decimal) accounting ledger of one account: positions, cash,
 * realised/unrealised P&L, commissions, equity curve, drawdown and daily P&L. Event-sourced and
 * snapshot-able for the WAL. See README.md for the accounting rules and identities.
 */
export * from './lib/portfolio';
export * from './lib/portfolio.events';
export * from './lib/portfolio.snapshot';
export { settlementOf } from './lib/position';
export type { PositionView, SettlementStyle } from './lib/position';

/**
 * @trading/brokers: the `Broker` port (order routing, account, positions) and the simulated
 * exchange used by backtests, with its fill, slippage, commission and latency models. Live venue
 * adapters implement the same port and pass the same contract suite (`@trading/brokers/testing`).
 */
export * from './lib/broker.port';
export * from './lib/simulated/cost-models';
export * from './lib/simulated/simulated-exchange';

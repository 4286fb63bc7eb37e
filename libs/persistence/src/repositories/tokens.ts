/** inversify tokens of the SQL history ports. */
export const PERSISTENCE_TOKENS = {
  OrderRepository: Symbol.for('trading.persistence.OrderRepository'),
  OrderEventRepository: Symbol.for('trading.persistence.OrderEventRepository'),
  FillRepository: Symbol.for('trading.persistence.FillRepository'),
  PositionSnapshotRepository: Symbol.for('trading.persistence.PositionSnapshotRepository'),
  SessionRepository: Symbol.for('trading.persistence.SessionRepository'),
  CandleStore: Symbol.for('trading.persistence.CandleStore'),
  BacktestRunRepository: Symbol.for('trading.persistence.BacktestRunRepository'),
  ProjectionWriter: Symbol.for('trading.persistence.ProjectionWriter'),
  /** The {@link HistoryRepositories} bundle. */
  HistoryRepositories: Symbol.for('trading.persistence.HistoryRepositories'),
} as const;

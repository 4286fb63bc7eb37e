import { BacktestRunEntity } from './backtest-run.entity';
import { CandleEntity } from './candle.entity';
import { FillEntity } from './fill.entity';
import { OrderEventEntity } from './order-event.entity';
import { OrderEntity } from './order.entity';
import { PositionSnapshotEntity } from './position-snapshot.entity';
import { ProjectionCheckpointEntity } from './projection-checkpoint.entity';
import { SessionEntity } from './session.entity';

export {
  BacktestRunEntity,
  CandleEntity,
  FillEntity,
  OrderEventEntity,
  OrderEntity,
  PositionSnapshotEntity,
  ProjectionCheckpointEntity,
  SessionEntity,
};

/** Every entity of the SQL history schema. */
export const HISTORY_ENTITIES = [
  SessionEntity,
  OrderEntity,
  OrderEventEntity,
  FillEntity,
  PositionSnapshotEntity,
  CandleEntity,
  BacktestRunEntity,
  ProjectionCheckpointEntity,
] as const;

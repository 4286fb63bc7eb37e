import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { BacktestRunStatus } from '@trading/persistence';
import { epochMsTransformer, nullableEpochMsTransformer } from '../transformers';

/** Row of `backtest_runs`: one run with its parameters and metrics (JSONB). */
@Entity({ name: 'backtest_runs' })
@Index('backtest_runs_strategy_started_idx', ['strategy', 'startedAt'])
@Index('backtest_runs_started_at_idx', ['startedAt'])
export class BacktestRunEntity {
  @PrimaryColumn({ primaryKeyConstraintName: 'backtest_runs_pkey', type: 'varchar', length: 128 })
  id!: string;
  @Column({ name: 'session_id', type: 'varchar', length: 128, nullable: true })
  sessionId!: string | null;
  @Column({ type: 'varchar', length: 128 })
  strategy!: string;
  @Column({ type: 'jsonb', nullable: true })
  /** JSON (JsonValue); typed `unknown` to keep TypeORM's deep-partial types finite. */
  params!: unknown;
  @Column({ type: 'varchar', length: 16 })
  status!: BacktestRunStatus;
  @Column({ name: 'started_at', type: 'bigint', transformer: epochMsTransformer })
  startedAt!: number;
  @Column({
    name: 'finished_at',
    type: 'bigint',
    nullable: true,
    transformer: nullableEpochMsTransformer,
  })
  finishedAt!: number | null;
  @Column({ type: 'jsonb', nullable: true })
  /** JSON object (JsonObject) or null. */
  metrics!: unknown;
}

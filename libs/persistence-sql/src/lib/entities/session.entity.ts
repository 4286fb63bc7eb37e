import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SessionMode, SessionStatus } from '@trading/persistence';
import { epochMsTransformer, nullableEpochMsTransformer } from '../transformers';

/** Row of `sessions`: one engine session. */
@Entity({ name: 'sessions' })
@Index('sessions_created_at_idx', ['createdAt'])
export class SessionEntity {
  @PrimaryColumn({ primaryKeyConstraintName: 'sessions_pkey', type: 'varchar', length: 128 })
  id!: string;
  @Column({ type: 'varchar', length: 16 })
  mode!: SessionMode;
  @Column({ type: 'varchar', length: 16 })
  status!: SessionStatus;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMsTransformer })
  createdAt!: number;
  @Column({
    name: 'started_at',
    type: 'bigint',
    nullable: true,
    transformer: nullableEpochMsTransformer,
  })
  startedAt!: number | null;
  @Column({
    name: 'stopped_at',
    type: 'bigint',
    nullable: true,
    transformer: nullableEpochMsTransformer,
  })
  stoppedAt!: number | null;
  @Column({ type: 'jsonb', nullable: true })
  /** JSON (JsonValue); typed `unknown` to keep TypeORM's deep-partial types finite. */
  meta!: unknown;
}

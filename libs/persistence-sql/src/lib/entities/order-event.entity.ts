import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMsTransformer } from '../transformers';

/** Row of `order_events`: append-only, keyed by WAL sequence. */
@Entity({ name: 'order_events' })
@Index('order_events_order_idx', ['clientOrderId', 'walSeq'])
@Index('order_events_ts_idx', ['ts'])
export class OrderEventEntity {
  @PrimaryColumn({
    primaryKeyConstraintName: 'order_events_pkey',
    name: 'wal_seq',
    type: 'bigint',
    transformer: epochMsTransformer,
  })
  walSeq!: number;
  @Column({ name: 'client_order_id', type: 'varchar', length: 128 })
  clientOrderId!: string;
  @Column({ type: 'varchar', length: 64 })
  type!: string;
  @Column({ type: 'bigint', transformer: epochMsTransformer })
  ts!: number;
  @Column({ type: 'jsonb', nullable: true })
  /** JSON (JsonValue). */
  payload!: unknown;
}

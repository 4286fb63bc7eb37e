import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { TradingDecimal } from '@trading/domain';
import { decimalTransformer, epochMsTransformer } from '../transformers';

/** Row of `position_snapshots`: append-only, keyed by WAL sequence. */
@Entity({ name: 'position_snapshots' })
@Index('position_snapshots_instrument_ts_idx', ['instrumentId', 'ts', 'walSeq'])
@Index('position_snapshots_session_idx', ['sessionId', 'instrumentId', 'ts'])
export class PositionSnapshotEntity {
  @PrimaryColumn({
    primaryKeyConstraintName: 'position_snapshots_pkey',
    name: 'wal_seq',
    type: 'bigint',
    transformer: epochMsTransformer,
  })
  walSeq!: number;
  @Column({ name: 'session_id', type: 'varchar', length: 128, nullable: true })
  sessionId!: string | null;
  @Column({ name: 'instrument_id', type: 'varchar', length: 64 })
  instrumentId!: string;
  @Column({ type: 'numeric', transformer: decimalTransformer })
  quantity!: TradingDecimal;
  @Column({ name: 'avg_price', type: 'numeric', transformer: decimalTransformer })
  avgPrice!: TradingDecimal;
  @Column({ name: 'realized_pnl', type: 'numeric', transformer: decimalTransformer })
  realizedPnl!: TradingDecimal;
  @Column({ type: 'varchar', length: 10 })
  currency!: string;
  @Column({ type: 'bigint', transformer: epochMsTransformer })
  ts!: number;
}

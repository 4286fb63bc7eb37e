import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { TradingDecimal } from '@trading/domain';
import {
  decimalTransformer,
  epochMsTransformer,
  nullableDecimalTransformer,
  nullableEpochMsTransformer,
} from '../transformers';

/** Row of `orders`: the latest state of one order. */
@Entity({ name: 'orders' })
@Index('orders_session_created_idx', ['sessionId', 'createdAt'])
@Index('orders_instrument_created_idx', ['instrumentId', 'createdAt'])
@Index('orders_created_at_idx', ['createdAt'])
export class OrderEntity {
  @PrimaryColumn({
    primaryKeyConstraintName: 'orders_pkey',
    name: 'client_order_id',
    type: 'varchar',
    length: 128,
  })
  clientOrderId!: string;
  @Column({ name: 'venue_order_id', type: 'varchar', length: 256, nullable: true })
  venueOrderId!: string | null;
  @Column({ name: 'session_id', type: 'varchar', length: 128, nullable: true })
  sessionId!: string | null;
  @Column({ name: 'strategy_id', type: 'varchar', length: 64, nullable: true })
  strategyId!: string | null;
  @Column({ name: 'instrument_id', type: 'varchar', length: 64 })
  instrumentId!: string;
  @Column({ type: 'varchar', length: 8 })
  side!: string;
  @Column({ type: 'varchar', length: 16 })
  type!: string;
  @Column({ name: 'time_in_force', type: 'varchar', length: 8 })
  timeInForce!: string;
  @Column({ type: 'numeric', transformer: decimalTransformer })
  quantity!: TradingDecimal;
  @Column({
    name: 'limit_price',
    type: 'numeric',
    nullable: true,
    transformer: nullableDecimalTransformer,
  })
  limitPrice!: TradingDecimal | null;
  @Column({
    name: 'stop_price',
    type: 'numeric',
    nullable: true,
    transformer: nullableDecimalTransformer,
  })
  stopPrice!: TradingDecimal | null;
  @Column({ name: 'filled_quantity', type: 'numeric', transformer: decimalTransformer })
  filledQuantity!: TradingDecimal;
  @Column({
    name: 'avg_fill_price',
    type: 'numeric',
    nullable: true,
    transformer: nullableDecimalTransformer,
  })
  avgFillPrice!: TradingDecimal | null;
  @Column({ type: 'varchar', length: 32 })
  status!: string;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMsTransformer })
  createdAt!: number;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMsTransformer })
  updatedAt!: number;
  @Column({
    name: 'wal_seq',
    type: 'bigint',
    nullable: true,
    transformer: nullableEpochMsTransformer,
  })
  walSeq!: number | null;
}

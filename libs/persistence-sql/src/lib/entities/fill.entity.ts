import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { TradingDecimal } from '@trading/domain';
import { decimalTransformer, epochMsTransformer } from '../transformers';

/** Row of `fills`: append-only, keyed by WAL sequence, unique venue trade id. */
@Entity({ name: 'fills' })
@Index('fills_trade_id_uq', ['tradeId'], { unique: true })
@Index('fills_order_idx', ['clientOrderId', 'ts'])
@Index('fills_instrument_ts_idx', ['instrumentId', 'ts'])
@Index('fills_session_ts_idx', ['sessionId', 'ts'])
export class FillEntity {
  @PrimaryColumn({
    primaryKeyConstraintName: 'fills_pkey',
    name: 'wal_seq',
    type: 'bigint',
    transformer: epochMsTransformer,
  })
  walSeq!: number;
  @Column({ name: 'trade_id', type: 'varchar', length: 256 })
  tradeId!: string;
  @Column({ name: 'client_order_id', type: 'varchar', length: 128 })
  clientOrderId!: string;
  @Column({ name: 'session_id', type: 'varchar', length: 128, nullable: true })
  sessionId!: string | null;
  @Column({ name: 'instrument_id', type: 'varchar', length: 64 })
  instrumentId!: string;
  @Column({ type: 'varchar', length: 8 })
  side!: string;
  @Column({ type: 'numeric', transformer: decimalTransformer })
  quantity!: TradingDecimal;
  @Column({ type: 'numeric', transformer: decimalTransformer })
  price!: TradingDecimal;
  @Column({ type: 'numeric', transformer: decimalTransformer })
  commission!: TradingDecimal;
  @Column({ type: 'varchar', length: 10 })
  currency!: string;
  @Column({ type: 'varchar', length: 8 })
  liquidity!: string;
  @Column({ type: 'bigint', transformer: epochMsTransformer })
  ts!: number;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMsTransformer } from '../transformers';

const numberTransformer = {
  to: (v: number | undefined) => v,
  from: (v: unknown) => (v === null || v === undefined ? v : Number(v)),
};

/** Row of `candles`, primary key (symbol, timeframe, ts). Values are numbers like the domain Bar. */
@Entity({ name: 'candles' })
export class CandleEntity {
  @PrimaryColumn({ primaryKeyConstraintName: 'candles_pkey', type: 'varchar', length: 64 })
  symbol!: string;
  @PrimaryColumn({ primaryKeyConstraintName: 'candles_pkey', type: 'varchar', length: 16 })
  timeframe!: string;
  @PrimaryColumn({
    primaryKeyConstraintName: 'candles_pkey',
    type: 'bigint',
    transformer: epochMsTransformer,
  })
  ts!: number;
  @Column({ type: 'numeric', transformer: numberTransformer })
  open!: number;
  @Column({ type: 'numeric', transformer: numberTransformer })
  high!: number;
  @Column({ type: 'numeric', transformer: numberTransformer })
  low!: number;
  @Column({ type: 'numeric', transformer: numberTransformer })
  close!: number;
  @Column({ type: 'numeric', transformer: numberTransformer })
  volume!: number;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMsTransformer } from '../transformers';

/** Row of `projection_checkpoints`: highest WAL sequence fully projected, per writer name. */
@Entity({ name: 'projection_checkpoints' })
export class ProjectionCheckpointEntity {
  @PrimaryColumn({
    primaryKeyConstraintName: 'projection_checkpoints_pkey',
    type: 'varchar',
    length: 64,
  })
  name!: string;
  @Column({ name: 'last_seq', type: 'bigint', transformer: epochMsTransformer })
  lastSeq!: number;
}

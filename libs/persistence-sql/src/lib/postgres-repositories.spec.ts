import { describeRepositoryContract } from '@trading/persistence/testing';
import { openTestPostgres } from '../testing';
import { createTypeormRepositories } from './repositories';

// PostgreSQL is guaranteed by CI: an unreachable server fails this suite (no skip).
describeRepositoryContract('PostgreSQL (node-postgres)', async () => {
  const t = await openTestPostgres();
  return {
    repos: createTypeormRepositories(t.ds, { candles: { chunkSize: 1000 } }),
    close: () => t.close(),
  };
});

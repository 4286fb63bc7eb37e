import { describeRepositoryContract } from '@trading/persistence/testing';
import { openTestPglite } from '../testing';
import { createTypeormRepositories } from './repositories';

describeRepositoryContract(
  'PGlite (embedded)',
  async () => {
    const t = await openTestPglite();
    return {
      repos: createTypeormRepositories(t.ds, { candles: { chunkSize: 1000 } }),
      close: () => t.close(),
    };
  },
  { setupTimeoutMs: 180_000 },
);

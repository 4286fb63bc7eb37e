import { createInMemoryRepositories } from './in-memory-repositories';
import { describeRepositoryContract } from './repository-contract';

describeRepositoryContract('in-memory', async () => ({
  repos: createInMemoryRepositories(),
  close: async () => undefined,
}));

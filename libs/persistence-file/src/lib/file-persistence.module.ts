import { ContainerModule } from 'inversify';
import { PERSISTENCE_TOKENS, type SnapshotStore, type StateStore } from '@trading/persistence';

/**
 * inversify module binding an opened file WAL and snapshot store to the persistence ports. Open them
 * first (they are async: `recover({ ..., open: {...} })` and `FileSnapshotStore.open`).
 */
export function filePersistenceModule(stores: {
  stateStore: StateStore;
  snapshotStore?: SnapshotStore;
}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<StateStore>(PERSISTENCE_TOKENS.StateStore).toConstantValue(stores.stateStore);
    if (stores.snapshotStore)
      bind<SnapshotStore>(PERSISTENCE_TOKENS.SnapshotStore).toConstantValue(stores.snapshotStore);
  });
}

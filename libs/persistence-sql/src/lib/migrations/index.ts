import { InitialHistorySchema1732233600000 } from './1732233600000-initial-history-schema';

export { InitialHistorySchema1732233600000 };

/** Every migration of the SQL history schema, oldest first. */
export const HISTORY_MIGRATIONS = [InitialHistorySchema1732233600000] as const;

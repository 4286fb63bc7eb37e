import type { StateStore, WalRecord } from '@trading/persistence';
import type { EventJournal, JournalRecordType } from './event-journal.port';
import type { JsonValue } from './strategy.port';

/** A journal record as recovery reads it back: WAL sequence, record type and JSON payload. */
export interface JournalRecord {
  /** WAL sequence number (strictly increasing). */
  readonly seq: number;
  /** Record type (`order`, `risk`, `denial`, `strategy-state`, `operator`). */
  readonly type: string;
  readonly payload: JsonValue;
}

/** An {@link EventJournal} writing to a {@link StateStore} (the WAL). */
export interface StateStoreJournal extends EventJournal {
  /** The store records go to. */
  readonly store: StateStore;
  /** Appends `payload` as a record of `type`; resolves with its sequence once durable, rejects on a store failure. */
  append(type: JournalRecordType, payload: JsonValue): Promise<number>;
  /**
   * Resolves, once every record appended through this journal so far is durable, with the sequence
   * of the last of them (or the store's `lastSequence()` when nothing was appended). Call it right
   * after `kernel.snapshot()` (no await in between) to get the snapshot's `lastSequence`.
   */
  settled(): Promise<number>;
  /** Records appended through this journal so far (a checkpoint cadence counts them). */
  readonly appended: number;
}

/**
 * The kernel's journal over a {@link StateStore}: every record is `store.append(type, payload)`,
 * and the store's durability promise is returned, so the kernel calls the broker only after an
 * order's `OrderInitialized` intent is durable and stops accepting orders when an append rejects
 * (the store is fail-stop).
 */
export function stateStoreJournal(store: StateStore): StateStoreJournal {
  let last: Promise<number> | null = null;
  let appended = 0;
  return {
    store,
    get appended(): number {
      return appended;
    },
    append(type: JournalRecordType, payload: JsonValue): Promise<number> {
      const p = store.append(type, payload);
      last = p;
      appended++;
      return p;
    },
    settled(): Promise<number> {
      return last ?? Promise.resolve(store.lastSequence());
    },
  };
}

/** Converts a decoded WAL record (JSON kind) into a {@link JournalRecord}. */
export function journalRecordOf(record: WalRecord): JournalRecord {
  return { seq: record.sequence, type: record.type, payload: record.json<JsonValue>() };
}

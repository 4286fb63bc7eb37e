import type { JsonValue } from './strategy.port';

/**
 * Where the kernel writes every state change before/as it acts (the WAL in production).
 *
 * `append` may return a Promise that resolves when the record is durable. The kernel awaits it
 * for order intents (an order's `OrderInitialized` record, with its client order id, is durable
 * before the broker is called) and treats a rejected Promise as a journal failure: it stops
 * accepting orders. A synchronous journal (`undefined` result) keeps backtests allocation-free.
 */
export interface EventJournal {
  append(type: JournalRecordType, payload: JsonValue): void | Promise<unknown>;
}

/** Record types the kernel writes. */
export type JournalRecordType = 'order' | 'risk' | 'denial' | 'strategy-state' | 'operator';

/** A journal that records nothing (backtests without a WAL). */
export const NULL_JOURNAL: EventJournal = { append: () => undefined };

/** A journal that keeps records in memory (tests, replay checks). */
export class MemoryJournal implements EventJournal {
  readonly records: { type: JournalRecordType; payload: JsonValue }[] = [];
  append(type: JournalRecordType, payload: JsonValue): void {
    this.records.push({ type, payload });
  }
}

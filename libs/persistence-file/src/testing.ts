/** Fakes and fault-injection helpers of @trading/persistence-file for other libs' tests. */
export * from './lib/faulty-wal-fs';

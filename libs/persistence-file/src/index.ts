/** Public API of @trading/persistence-file: file WAL, file snapshot store, recovery, repair CLI. */
export * from './lib/wal-fs';
export * from './lib/file-wal';
export * from './lib/file-snapshot-store';
export * from './lib/recover';
export * from './lib/repair';
export * from './lib/cli';
export * from './lib/file-persistence.module';
export { scanWalDir, listSegments, type ScannedWalDir, type TailCutResult } from './lib/wal-dir';

/** Helpers shared by this lib's specs (temp dirs, collecting recovered records). */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WalRecord } from '@trading/persistence';

/** Creates a fresh temp directory; `cleanup()` removes every directory created. */
export function tempDirs(): { make(prefix?: string): string; cleanup(): void } {
  const made: string[] = [];
  return {
    make(prefix = 'wal-') {
      const d = mkdtempSync(path.join(os.tmpdir(), prefix));
      made.push(d);
      return d;
    },
    cleanup() {
      for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** A plain copy of a record for assertions. */
export interface PlainRecord {
  sequence: number;
  type: string;
  value: unknown;
}

/** Converts a record to a plain object (JSON payload parsed, binary as number[]). */
export function plain(r: WalRecord): PlainRecord {
  return {
    sequence: r.sequence,
    type: r.type,
    value: r.kind === 'json' ? r.json() : [...r.payload],
  };
}

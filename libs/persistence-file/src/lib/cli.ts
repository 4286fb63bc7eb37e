/** `persistence inspect <dir>` and `persistence repair <dir> --force` (the app exposes this). */
import { inspectWal, repairWal } from './repair';
import type { WalFs } from './wal-fs';

/** Output sinks of the CLI (default: process stdout/stderr). */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  fs?: WalFs;
}

const USAGE = [
  'usage: persistence inspect <wal-dir>          show segments, records and the first problem',
  '       persistence repair <wal-dir> --force   truncate the log at its first problem (data after it is discarded)',
].join('\n');

const defaultIo: CliIo = {
  out: (l) => process.stdout.write(l + '\n'),
  err: (l) => process.stderr.write(l + '\n'),
};

/**
 * Runs the persistence CLI. `argv` starts at the sub-command (a leading `persistence` is ignored).
 * Exit codes: 0 ok, 1 usage / repair refused without --force, 2 corruption found (inspect), 3 error.
 */
export async function persistenceCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const args = argv[0] === 'persistence' ? argv.slice(1) : argv;
  const [command, dir, ...rest] = args;
  if (
    (command !== 'inspect' && command !== 'repair') ||
    !dir ||
    rest.some((a) => a !== '--force')
  ) {
    io.err(USAGE);
    return 1;
  }
  try {
    if (command === 'inspect') {
      const r = await inspectWal(dir, io.fs);
      io.out(`WAL ${dir} (id ${r.walId ?? '-'})`);
      for (const s of r.segments) {
        io.out(
          `  ${s.name}  ${s.size} bytes  ${s.records} records` +
            (s.firstSequence !== null ? `  first ${s.firstSequence}` : '') +
            (s.lastSequence !== null ? `  last ${s.lastSequence}` : '') +
            (s.headerError ? `  header: ${s.headerError}` : ''),
        );
      }
      io.out(`last valid sequence: ${r.lastSequence}`);
      if (!r.problem) {
        io.out('status: clean');
        return 0;
      }
      const p = r.problem;
      io.out(
        `${p.kind === 'tail' ? 'torn tail' : 'CORRUPTION'} in ${p.segment} at byte offset ${p.offset} (sequence ${p.sequence}): ${p.reason}`,
      );
      if (p.kind === 'tail') {
        io.out(
          `status: torn tail of ${p.bytes} bytes (never acknowledged); it is cut automatically at the next start`,
        );
        return 0;
      }
      io.out(
        `status: corrupt; start-up will refuse. 'persistence repair ${dir} --force' truncates here` +
          (p.laterSegments.length ? ` and quarantines ${p.laterSegments.join(', ')}` : ''),
      );
      return 2;
    }
    const force = rest.includes('--force');
    const r = await repairWal(dir, { force, fs: io.fs });
    if (!r.problem) {
      io.out(`WAL ${dir} is clean (last sequence ${r.lastSequence}); nothing to repair`);
      return 0;
    }
    const p = r.problem;
    const what = `${p.segment} at byte offset ${p.offset} (sequence ${p.sequence}): ${p.reason}`;
    if (!r.applied) {
      io.err(
        `would truncate ${what}; discards ${p.bytes} bytes` +
          (r.quarantined.length ? ` and quarantines ${r.quarantined.join(', ')}` : ''),
      );
      io.err('refusing without --force');
      return 1;
    }
    io.out(`truncated ${what}`);
    if (r.savedTo) io.out(`damaged bytes saved to ${r.savedTo}`);
    if (r.quarantined.length) io.out(`quarantined: ${r.quarantined.join(', ')}`);
    io.out(`last sequence is now ${r.lastSequence}; reconcile with the venue before trading`);
    return 0;
  } catch (e) {
    io.err(`persistence ${command} failed: ${(e as Error).message}`);
    return 3;
  }
}

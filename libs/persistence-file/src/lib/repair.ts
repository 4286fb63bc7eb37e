/** Operator commands over a WAL directory: inspect (read-only) and repair (explicit truncation). */
import * as path from 'node:path';
import type { WalProblem } from '@trading/persistence';
import { cutSegment, scanWalDir } from './wal-dir';
import { NodeWalFs, type WalFs } from './wal-fs';

/** Read-only summary of a WAL directory. */
export interface WalInspection {
  readonly dir: string;
  readonly walId: string | null;
  readonly segments: readonly {
    readonly name: string;
    readonly size: number;
    readonly records: number;
    readonly firstSequence: number | null;
    readonly lastSequence: number | null;
    readonly headerError: string | null;
  }[];
  /** Last valid sequence before the first problem. */
  readonly lastSequence: number;
  /** First problem (tail: cut automatically at start-up; corruption: start-up refuses). */
  readonly problem: WalProblem | null;
}

/** Scans a WAL directory without changing it. */
export async function inspectWal(dir: string, fs: WalFs = new NodeWalFs()): Promise<WalInspection> {
  const { scans, analysis } = await scanWalDir(fs, dir);
  return {
    dir,
    walId: analysis.walId,
    segments: scans.map((s) => ({
      name: s.name,
      size: s.size,
      records: s.records,
      firstSequence: s.header ? s.header.firstSequence : null,
      lastSequence: s.header && s.records > 0 ? s.lastSequence : null,
      headerError: s.headerError,
    })),
    lastSequence: analysis.lastSequence,
    problem: analysis.problem,
  };
}

/** Result of {@link repairWal}. */
export interface RepairResult {
  /** False when nothing was changed (clean log, or `force` not given). */
  readonly applied: boolean;
  /** The problem that was (or would be) cut, null for a clean log. */
  readonly problem: WalProblem | null;
  /** File the damaged bytes were copied to. */
  readonly savedTo: string | null;
  /** Later segments renamed to `<name>.quarantined` (they follow the cut and would break the chain). */
  readonly quarantined: readonly string[];
  /** Last sequence of the log after the repair. */
  readonly lastSequence: number;
}

/**
 * Explicit operator repair: truncates the log at its first problem. The damaged bytes are copied to
 * `<segment>.<offset>.corrupt`, the segment is truncated there (removed if the damage is in its header)
 * and every later segment is renamed to `<name>.quarantined`. Without `force: true` only reports.
 * Records from the cut on are discarded: reconcile with the venue afterwards.
 */
export async function repairWal(
  dir: string,
  opts: { force?: boolean; fs?: WalFs } = {},
): Promise<RepairResult> {
  const fs = opts.fs ?? new NodeWalFs();
  const { buffers, analysis } = await scanWalDir(fs, dir);
  const problem = analysis.problem;
  if (!problem)
    return {
      applied: false,
      problem: null,
      savedTo: null,
      quarantined: [],
      lastSequence: analysis.lastSequence,
    };
  if (!opts.force)
    return {
      applied: false,
      problem,
      savedTo: null,
      quarantined: problem.laterSegments,
      lastSequence: analysis.lastSequence,
    };
  const cut = await cutSegment(
    fs,
    dir,
    problem,
    buffers.get(problem.segment) as Uint8Array,
    problem.kind === 'tail' ? 'torn' : 'corrupt',
  );
  for (const later of problem.laterSegments)
    await fs.rename(path.join(dir, later), path.join(dir, `${later}.quarantined`));
  if (problem.laterSegments.length > 0) await fs.syncDir(dir);
  return {
    applied: true,
    problem,
    savedTo: cut.savedTo,
    quarantined: problem.laterSegments,
    lastSequence: analysis.lastSequence,
  };
}

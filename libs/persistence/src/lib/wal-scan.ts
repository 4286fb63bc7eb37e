/**
 * Pure WAL analysis: scans segment buffers, checks the segment chain and classifies any damage as a
 * cuttable tail or as corruption in the middle. The file adapter does the I/O; this code decides.
 */
import { CorruptionError } from '@trading/domain';
import {
  DEFAULT_MAX_RECORD_BYTES,
  RECORD_HEADER_BYTES,
  RecordKind,
  decodeRecordAt,
  recordChecksum,
  recordErrorReason,
  recordSequence,
  validateRecordAt,
  type WalRecord,
} from './record-format';
import { readU32 } from './bytes';
import { crc32c } from './crc32c';
import {
  SEGMENT_HEADER_BYTES,
  decodeSegmentHeader,
  parseSegmentFileName,
  type SegmentHeader,
} from './segment-format';

/** Where a record scan stopped before the end of a segment. */
export interface ScanStop {
  /** Byte offset of the first bad byte (start of the bad record). */
  readonly offset: number;
  /** Why the bytes at `offset` are not the expected record. */
  readonly reason: string;
  /** Sequence number the record at `offset` should have had. */
  readonly expectedSequence: number;
  /** A valid record found after the bad spot in the same segment (proves damage in the middle). */
  readonly nextValid: { readonly offset: number; readonly sequence: number } | null;
}

/** Result of scanning one segment buffer. */
export interface SegmentScan {
  /** File name (e.g. `wal-0000000001.seg`). */
  readonly name: string;
  /** File size in bytes. */
  readonly size: number;
  /** Decoded header, or null when invalid (see `headerError`). */
  readonly header: SegmentHeader | null;
  /** Why the header is invalid. */
  readonly headerError: string | null;
  /** Number of valid, contiguous records. */
  readonly records: number;
  /** Sequence of the last valid record (header.firstSequence − 1 when empty). */
  readonly lastSequence: number;
  /** CRC32C of the last valid record (header.prevLastCrc when empty). */
  readonly lastCrc: number;
  /** Byte offset just past the last valid record. */
  readonly validEnd: number;
  /** Where and why the scan stopped early, or null when the segment is clean to its end. */
  readonly stop: ScanStop | null;
}

/** Options of {@link scanSegment}. */
export interface ScanOptions {
  /** Upper bound of a record body; longer length fields are treated as damage. */
  readonly maxRecordBytes?: number;
}

/**
 * Scans a segment buffer: decodes the header, then validates records (checksum, bounds, contiguous
 * sequence numbers from `header.firstSequence`). On the first bad record, searches the rest of the
 * buffer for a valid later record to tell a torn tail from damage in the middle.
 */
export function scanSegment(name: string, buf: Uint8Array, opts: ScanOptions = {}): SegmentScan {
  const max = opts.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const decoded = decodeSegmentHeader(buf);
  if (typeof decoded === 'string') {
    return {
      name,
      size: buf.length,
      header: null,
      headerError: decoded,
      records: 0,
      lastSequence: 0,
      lastCrc: 0,
      validEnd: 0,
      stop: null,
    };
  }
  const header = decoded;
  let offset = SEGMENT_HEADER_BYTES;
  let expected = header.firstSequence;
  let lastCrc = header.prevLastCrc;
  let records = 0;
  const end = buf.length;
  let stop: ScanStop | null = null;
  while (offset < end) {
    const size = validateRecordAt(buf, offset, end, max);
    if (size < 0) {
      stop = {
        offset,
        reason: recordErrorReason(size),
        expectedSequence: expected,
        nextValid: findNextValidRecord(buf, offset + 1, end, expected - 1, max),
      };
      break;
    }
    const seq = recordSequence(buf, offset);
    if (seq !== expected) {
      stop = {
        offset,
        reason:
          seq < expected
            ? `sequence went backwards: expected ${expected}, found ${seq}`
            : `sequence gap: expected ${expected}, found ${seq}`,
        expectedSequence: expected,
        nextValid: { offset, sequence: seq },
      };
      break;
    }
    lastCrc = recordChecksum(buf, offset);
    records++;
    expected++;
    offset += size;
  }
  return {
    name,
    size: end,
    header,
    headerError: null,
    records,
    lastSequence: expected - 1,
    lastCrc,
    validEnd: offset,
    stop,
  };
}

/**
 * Looks for a valid record starting anywhere in `buf[from, end)` whose sequence is greater than
 * `afterSequence`. Cheap header checks run before the checksum, so garbage and zero runs are fast.
 */
export function findNextValidRecord(
  buf: Uint8Array,
  from: number,
  end: number,
  afterSequence: number,
  maxRecordBytes: number = DEFAULT_MAX_RECORD_BYTES,
): { offset: number; sequence: number } | null {
  const last = end - RECORD_HEADER_BYTES;
  for (let o = from; o <= last; o++) {
    const kind = buf[o + 16];
    if (kind !== RecordKind.Json && kind !== RecordKind.Binary) continue;
    const typeLength = buf[o + 17];
    if (typeLength === 0 || buf[o + 18] !== 0 || buf[o + 19] !== 0) continue;
    const bodyLength = readU32(buf, o + 4);
    if (
      bodyLength > maxRecordBytes ||
      bodyLength < typeLength ||
      o + RECORD_HEADER_BYTES + bodyLength > end
    )
      continue;
    const seq = recordSequence(buf, o);
    if (!Number.isSafeInteger(seq) || seq <= afterSequence) continue;
    if (crc32c(buf, 0, o + 4, o + RECORD_HEADER_BYTES + bodyLength) !== readU32(buf, o)) continue;
    return { offset: o, sequence: seq };
  }
  return null;
}

/** Damage found by {@link analyzeWal}. */
export interface WalProblem {
  /** `tail`: a torn/partial end that was never acknowledged, cut automatically. `corruption`: stop. */
  readonly kind: 'tail' | 'corruption';
  /** Position of the damaged segment in the scanned list. */
  readonly segmentPosition: number;
  /** File name of the damaged segment. */
  readonly segment: string;
  /** Byte offset in that segment where the damage starts (0: the header). */
  readonly offset: number;
  /** Sequence number expected at the damage. */
  readonly sequence: number;
  /** What is wrong. */
  readonly reason: string;
  /** Bytes from `offset` to the end of the damaged segment. */
  readonly bytes: number;
  /** Segments after the damaged one (would be discarded by a repair). */
  readonly laterSegments: readonly string[];
}

/** Result of {@link analyzeWal}: the valid prefix of the log and the first problem, if any. */
export interface WalAnalysis {
  /** WAL id of the log (from the first valid header), null when there is none. */
  readonly walId: string | null;
  /** Segments whose (possibly truncated) content forms the valid log, in order. */
  readonly segments: readonly SegmentScan[];
  /** First sequence available in the log (0 when there are no segments). */
  readonly firstSequence: number;
  /** Last valid sequence (0 when the log holds no records and no segment). */
  readonly lastSequence: number;
  /** CRC32C of the last valid record (chain value for the next segment). */
  readonly lastCrc: number;
  /** First problem found, or null when the log is clean. */
  readonly problem: WalProblem | null;
}

/**
 * Checks the chain over scanned segments (in file-name order): same WAL id, consecutive indexes that
 * match the file names, each header's previous-last sequence/CRC equal to the predecessor's last record.
 * A bad record followed by valid data, a sequence gap, a bad header or damage in any but the last
 * segment is `corruption`; damage at the very end of the last segment is a `tail`.
 */
export function analyzeWal(scans: readonly SegmentScan[]): WalAnalysis {
  const segments: SegmentScan[] = [];
  let walId: string | null = null;
  let prev: SegmentScan | null = null;
  const problemAt = (
    i: number,
    kind: WalProblem['kind'],
    offset: number,
    sequence: number,
    reason: string,
  ): WalAnalysis => {
    const s = scans[i];
    return {
      walId,
      segments,
      firstSequence: segments[0]?.header?.firstSequence ?? 0,
      lastSequence: prev ? prev.lastSequence : 0,
      lastCrc: prev ? prev.lastCrc : 0,
      problem: {
        kind,
        segmentPosition: i,
        segment: s.name,
        offset,
        sequence,
        reason,
        bytes: Math.max(0, s.size - offset),
        laterSegments: scans.slice(i + 1).map((x) => x.name),
      },
    };
  };
  for (let i = 0; i < scans.length; i++) {
    const s = scans[i];
    const isLast = i === scans.length - 1;
    const expectedSeq = prev ? prev.lastSequence + 1 : 0;
    if (!s.header) {
      // A crash while creating the newest segment leaves a short/torn header: a tail, never acknowledged.
      const torn = isLast && s.size < SEGMENT_HEADER_BYTES + RECORD_HEADER_BYTES;
      return problemAt(
        i,
        torn ? 'tail' : 'corruption',
        0,
        expectedSeq,
        s.headerError ?? 'invalid segment header',
      );
    }
    const h = s.header;
    const nameIndex = parseSegmentFileName(s.name);
    if (nameIndex !== h.segmentIndex) {
      return problemAt(
        i,
        'corruption',
        0,
        h.firstSequence,
        `segment header says index ${h.segmentIndex} but the file name says ${nameIndex} (renamed or swapped segment)`,
      );
    }
    if (walId === null) walId = h.walId;
    else if (h.walId !== walId) {
      return problemAt(
        i,
        'corruption',
        0,
        h.firstSequence,
        `foreign segment: WAL id ${h.walId} differs from ${walId}`,
      );
    }
    if (prev && prev.header) {
      const p = prev.header;
      if (h.segmentIndex !== p.segmentIndex + 1) {
        return problemAt(
          i,
          'corruption',
          0,
          expectedSeq,
          `segment index ${h.segmentIndex} does not follow ${p.segmentIndex} (missing or reordered segment)`,
        );
      }
      if (h.prevLastSequence !== prev.lastSequence || h.firstSequence !== prev.lastSequence + 1) {
        return problemAt(
          i,
          'corruption',
          0,
          expectedSeq,
          `segment starts at sequence ${h.firstSequence} but the previous segment ends at ${prev.lastSequence} (missing, reordered or swapped segment)`,
        );
      }
      if (h.prevLastCrc !== prev.lastCrc) {
        return problemAt(
          i,
          'corruption',
          0,
          expectedSeq,
          `segment chain checksum mismatch: header expects previous last record CRC ${hex(h.prevLastCrc)}, found ${hex(prev.lastCrc)} (swapped or foreign segment)`,
        );
      }
    }
    if (s.stop) {
      const middle = s.stop.nextValid !== null || !isLast;
      segments.push(s);
      prev = s;
      const why = s.stop.nextValid
        ? `${s.stop.reason}; a valid record (sequence ${s.stop.nextValid.sequence}) follows at byte offset ${s.stop.nextValid.offset}`
        : !isLast
          ? `${s.stop.reason}; later segments follow`
          : s.stop.reason;
      return problemAt(
        i,
        middle ? 'corruption' : 'tail',
        s.stop.offset,
        s.stop.expectedSequence,
        why,
      );
    }
    segments.push(s);
    prev = s;
  }
  return {
    walId,
    segments,
    firstSequence: segments[0]?.header?.firstSequence ?? 0,
    lastSequence: prev ? prev.lastSequence : 0,
    lastCrc: prev ? prev.lastCrc : 0,
    problem: null,
  };
}

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

/** Builds the CorruptionError that stops start-up for a `corruption` problem (names file, offset, sequence). */
export function corruptionErrorFor(problem: WalProblem, dir?: string): CorruptionError {
  const where = dir ? `${dir}/${problem.segment}` : problem.segment;
  return new CorruptionError(
    `WAL corruption in segment ${where} at byte offset ${problem.offset} (sequence ${problem.sequence}): ${problem.reason}. ` +
      `Start-up stopped; inspect with 'persistence inspect <dir>' and, to discard everything from this point on, run 'persistence repair <dir> --force'.`,
    {
      segment: problem.segment,
      offset: problem.offset,
      sequence: problem.sequence,
      reason: problem.reason,
      laterSegments: problem.laterSegments,
    },
  );
}

/** How the recovery runner must treat the log, given an analysis and the snapshot's sequence. */
export interface RecoveryPlan {
  /** Replay records with sequence > this (the snapshot's lastSequence, 0 without snapshot). */
  readonly replayAfter: number;
  /** Last sequence after the tail is cut (the next append gets lastSequence + 1). */
  readonly lastSequence: number;
  /** Tail to cut (copy aside to `.torn`, then truncate or remove), or null. */
  readonly tail: WalProblem | null;
  /** Segments to read for replay (those that may contain records > replayAfter). */
  readonly replaySegments: readonly SegmentScan[];
}

/**
 * Decides recovery: throws CorruptionError for corruption, for a log that starts after the snapshot
 * (missing records) or ends before it (the snapshot covers records the log lost); otherwise returns
 * which segments to replay and which tail to cut.
 */
export function planRecovery(
  analysis: WalAnalysis,
  snapshotSequence = 0,
  dir?: string,
): RecoveryPlan {
  if (analysis.problem?.kind === 'corruption') throw corruptionErrorFor(analysis.problem, dir);
  const segs = analysis.segments;
  if (segs.length > 0) {
    const first = segs[0].header as SegmentHeader;
    if (first.firstSequence > snapshotSequence + 1) {
      throw new CorruptionError(
        `WAL segment ${segs[0].name} starts at sequence ${first.firstSequence} but the snapshot covers only through ${snapshotSequence}: ` +
          `records ${snapshotSequence + 1}..${first.firstSequence - 1} are missing (missing segment or wrong snapshot)`,
        { segment: segs[0].name, offset: 0, sequence: snapshotSequence + 1 },
      );
    }
    if (analysis.lastSequence < snapshotSequence) {
      throw new CorruptionError(
        `WAL ends at sequence ${analysis.lastSequence} but the snapshot covers through ${snapshotSequence}: the log lost records the snapshot includes (wrong WAL directory?)`,
        {
          segment: segs[segs.length - 1].name,
          offset: segs[segs.length - 1].validEnd,
          sequence: analysis.lastSequence + 1,
        },
      );
    }
  }
  return {
    replayAfter: snapshotSequence,
    lastSequence: segs.length > 0 ? analysis.lastSequence : snapshotSequence,
    tail: analysis.problem,
    replaySegments: segs.filter((s) => s.lastSequence > snapshotSequence),
  };
}

/**
 * Replays the records of a scanned segment buffer (already validated by {@link scanSegment}) with
 * sequence > `after`, in order, awaiting `visit` only when it returns a promise. Returns the count.
 */
export async function replaySegment(
  buf: Uint8Array,
  scan: SegmentScan,
  after: number,
  visit: (r: WalRecord) => void | Promise<void>,
): Promise<number> {
  let offset = SEGMENT_HEADER_BYTES;
  let n = 0;
  while (offset < scan.validEnd) {
    const size = RECORD_HEADER_BYTES + readU32(buf, offset + 4);
    if (recordSequence(buf, offset) > after) {
      const r = visit(decodeRecordAt(buf, offset));
      if (r !== undefined && typeof (r as Promise<void>).then === 'function') await r;
      n++;
    }
    offset += size;
  }
  return n;
}

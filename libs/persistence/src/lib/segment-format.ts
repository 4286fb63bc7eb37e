/**
 * WAL segment header codec (pure). Every segment file starts with a fixed 64-byte header that names
 * the WAL stream and chains the segment to its predecessor, so a missing, reordered or foreign segment
 * is detected at recovery.
 *
 * | offset | size | field                                                              |
 * |-------:|-----:|--------------------------------------------------------------------|
 * | 0      | 8    | magic `TRDWALS1` (ASCII)                                           |
 * | 8      | 2    | format version (1)                                                 |
 * | 10     | 2    | header size (64)                                                   |
 * | 12     | 4    | flags (0)                                                          |
 * | 16     | 16   | WAL id: random stream id shared by every segment of one log       |
 * | 32     | 4    | segment index (1, 2, 3, …; also in the file name)                  |
 * | 36     | 4    | reserved (0)                                                       |
 * | 40     | 8    | first sequence number stored in this segment                       |
 * | 48     | 8    | last sequence number of the previous segment (first − 1)           |
 * | 56     | 4    | CRC32C stored in the previous segment's last record (0 if none)    |
 * | 60     | 4    | CRC32C of header bytes [0, 60)                                     |
 */
import { ValidationError } from '@trading/domain';
import { readU16, readU32, readU64, writeU16, writeU32, writeU64 } from './bytes';
import { crc32c } from './crc32c';

/** Size of a segment header in bytes. */
export const SEGMENT_HEADER_BYTES = 64;
/** Segment format version written by this code. */
export const SEGMENT_FORMAT_VERSION = 1;
const MAGIC = [0x54, 0x52, 0x44, 0x57, 0x41, 0x4c, 0x53, 0x31]; // "TRDWALS1"

/** Decoded segment header. */
export interface SegmentHeader {
  /** WAL stream id, 32 lowercase hex characters. */
  readonly walId: string;
  /** 1-based position of the segment in the log. */
  readonly segmentIndex: number;
  /** Sequence of the first record in this segment. */
  readonly firstSequence: number;
  /** Last sequence of the previous segment (0 for the very first segment). */
  readonly prevLastSequence: number;
  /** CRC32C of the previous segment's last record (0 if none). */
  readonly prevLastCrc: number;
}

/** Checks a WAL id: 32 lowercase hex characters (16 bytes). */
export function isWalId(id: string): boolean {
  return /^[0-9a-f]{32}$/.test(id);
}

/** Segment file name for an index: `wal-0000000001.seg`. */
export function segmentFileName(segmentIndex: number): string {
  return `wal-${String(segmentIndex).padStart(10, '0')}.seg`;
}

/** Parses a segment file name; returns its index or null when the name is not a segment. */
export function parseSegmentFileName(name: string): number | null {
  const m = /^wal-(\d{10})\.seg$/.exec(name);
  return m ? Number(m[1]) : null;
}

/** Encodes a segment header. */
export function encodeSegmentHeader(h: SegmentHeader): Uint8Array {
  if (!isWalId(h.walId))
    throw new ValidationError('segment.walId', h.walId, '32 lowercase hex characters');
  if (!Number.isSafeInteger(h.segmentIndex) || h.segmentIndex < 1 || h.segmentIndex > 0xffffffff) {
    throw new ValidationError('segment.segmentIndex', h.segmentIndex, 'an integer in [1, 2^32)');
  }
  if (
    !Number.isSafeInteger(h.firstSequence) ||
    h.firstSequence < 1 ||
    h.prevLastSequence !== h.firstSequence - 1
  ) {
    throw new ValidationError(
      'segment.firstSequence',
      h.firstSequence,
      `a positive integer equal to prevLastSequence + 1 (${h.prevLastSequence + 1})`,
    );
  }
  const b = new Uint8Array(SEGMENT_HEADER_BYTES);
  b.set(MAGIC, 0);
  writeU16(b, 8, SEGMENT_FORMAT_VERSION);
  writeU16(b, 10, SEGMENT_HEADER_BYTES);
  for (let i = 0; i < 16; i++) b[16 + i] = parseInt(h.walId.slice(i * 2, i * 2 + 2), 16);
  writeU32(b, 32, h.segmentIndex);
  writeU64(b, 40, h.firstSequence);
  writeU64(b, 48, h.prevLastSequence);
  writeU32(b, 56, h.prevLastCrc >>> 0);
  writeU32(b, 60, crc32c(b, 0, 0, 60));
  return b;
}

/** Decodes a segment header; returns a reason string when the bytes are not a valid header. */
export function decodeSegmentHeader(buf: Uint8Array): SegmentHeader | string {
  if (buf.length < SEGMENT_HEADER_BYTES)
    return `segment shorter than its ${SEGMENT_HEADER_BYTES}-byte header (${buf.length} bytes)`;
  for (let i = 0; i < MAGIC.length; i++)
    if (buf[i] !== MAGIC[i]) return 'bad segment magic (not a WAL segment)';
  if (crc32c(buf, 0, 0, 60) !== readU32(buf, 60)) return 'segment header checksum mismatch';
  const version = readU16(buf, 8);
  if (version !== SEGMENT_FORMAT_VERSION) return `unsupported segment format version ${version}`;
  if (readU16(buf, 10) !== SEGMENT_HEADER_BYTES) return 'unexpected segment header size';
  let walId = '';
  for (let i = 0; i < 16; i++) walId += buf[16 + i].toString(16).padStart(2, '0');
  const firstSequence = readU64(buf, 40);
  const prevLastSequence = readU64(buf, 48);
  if (
    !Number.isSafeInteger(firstSequence) ||
    firstSequence < 1 ||
    prevLastSequence !== firstSequence - 1
  ) {
    return 'inconsistent sequence fields in segment header';
  }
  return {
    walId,
    segmentIndex: readU32(buf, 32),
    firstSequence,
    prevLastSequence,
    prevLastCrc: readU32(buf, 56),
  };
}

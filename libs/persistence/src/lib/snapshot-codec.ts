/**
 * Snapshot file codec (pure). A snapshot is `{ lastSequence, state }` where `state` is JSON; the file
 * is a 32-byte header followed by the UTF-8 JSON payload.
 *
 * | offset | size | field                                         |
 * |-------:|-----:|-----------------------------------------------|
 * | 0      | 8    | magic `TRDSNAP1` (ASCII)                      |
 * | 8      | 4    | format version (1)                            |
 * | 12     | 4    | payload length N                              |
 * | 16     | 8    | lastSequence (u64): state includes ≤ this     |
 * | 24     | 4    | CRC32C of the payload                         |
 * | 28     | 4    | CRC32C of header bytes [0, 28)                |
 * | 32     | N    | payload: UTF-8 JSON `{"state": …, "takenAt"?: ms}` |
 */
import { ValidationError } from '@trading/domain';
import { readU32, readU64, utf8Decode, utf8Encode, writeU32, writeU64 } from './bytes';
import { crc32c } from './crc32c';
import type { WalJsonValue } from './json';

/** Snapshot header size in bytes. */
export const SNAPSHOT_HEADER_BYTES = 32;
const MAGIC = [0x54, 0x52, 0x44, 0x53, 0x4e, 0x41, 0x50, 0x31]; // "TRDSNAP1"

/** A state snapshot: the state after applying every WAL record with sequence ≤ `lastSequence`. */
export interface Snapshot<S extends WalJsonValue = WalJsonValue> {
  /** Last WAL sequence included in `state` (0: none). */
  readonly lastSequence: number;
  /** JSON state. */
  readonly state: S;
  /** Optional UTC epoch ms when it was taken (from the caller's Clock). */
  readonly takenAt?: number;
}

/** Encodes a snapshot with payload and header checksums. */
export function encodeSnapshot(s: Snapshot): Uint8Array {
  if (!Number.isSafeInteger(s.lastSequence) || s.lastSequence < 0) {
    throw new ValidationError(
      'snapshot.lastSequence',
      s.lastSequence,
      'a non-negative safe integer',
    );
  }
  const text = JSON.stringify(
    s.takenAt === undefined ? { state: s.state } : { state: s.state, takenAt: s.takenAt },
  );
  if (text === undefined)
    throw new ValidationError('snapshot.state', s.state, 'a JSON-serialisable value');
  const payload = utf8Encode(text);
  const out = new Uint8Array(SNAPSHOT_HEADER_BYTES + payload.length);
  out.set(MAGIC, 0);
  writeU32(out, 8, 1);
  writeU32(out, 12, payload.length);
  writeU64(out, 16, s.lastSequence);
  out.set(payload, SNAPSHOT_HEADER_BYTES);
  writeU32(out, 24, crc32c(payload));
  writeU32(out, 28, crc32c(out, 0, 0, 28));
  return out;
}

/** Decodes a snapshot; returns a reason string when the bytes are incomplete or fail a checksum. */
export function decodeSnapshot(buf: Uint8Array): Snapshot | string {
  if (buf.length < SNAPSHOT_HEADER_BYTES)
    return `snapshot shorter than its header (${buf.length} bytes)`;
  for (let i = 0; i < MAGIC.length; i++) if (buf[i] !== MAGIC[i]) return 'bad snapshot magic';
  if (crc32c(buf, 0, 0, 28) !== readU32(buf, 28)) return 'snapshot header checksum mismatch';
  if (readU32(buf, 8) !== 1) return `unsupported snapshot version ${readU32(buf, 8)}`;
  const length = readU32(buf, 12);
  if (buf.length !== SNAPSHOT_HEADER_BYTES + length)
    return `snapshot length mismatch: header says ${length} payload bytes, file has ${buf.length - SNAPSHOT_HEADER_BYTES}`;
  if (crc32c(buf, 0, SNAPSHOT_HEADER_BYTES, buf.length) !== readU32(buf, 24))
    return 'snapshot payload checksum mismatch';
  let parsed: { state?: WalJsonValue; takenAt?: number };
  try {
    parsed = JSON.parse(utf8Decode(buf, SNAPSHOT_HEADER_BYTES, buf.length)) as {
      state?: WalJsonValue;
      takenAt?: number;
    };
  } catch (e) {
    return `snapshot payload is not JSON: ${(e as Error).message}`;
  }
  if (parsed === null || typeof parsed !== 'object' || !('state' in parsed))
    return 'snapshot payload has no state';
  const lastSequence = readU64(buf, 16);
  return parsed.takenAt === undefined
    ? { lastSequence, state: parsed.state as WalJsonValue }
    : { lastSequence, state: parsed.state as WalJsonValue, takenAt: parsed.takenAt };
}

/** Snapshot file name for a sequence: `snapshot-00000000000000000042.snap`. */
export function snapshotFileName(lastSequence: number): string {
  return `snapshot-${String(lastSequence).padStart(20, '0')}.snap`;
}

/** Parses a snapshot file name; returns its sequence or null. */
export function parseSnapshotFileName(name: string): number | null {
  const m = /^snapshot-(\d{20})\.snap$/.exec(name);
  return m ? Number(m[1]) : null;
}

/**
 * WAL record codec (pure, over Uint8Array).
 *
 * Byte layout of one record (all integers little-endian):
 *
 * | offset | size | field                                                                  |
 * |-------:|-----:|------------------------------------------------------------------------|
 * | 0      | 4    | CRC32C of bytes [4, 20 + L) (length, sequence, kind, type, payload)    |
 * | 4      | 4    | L = body length = T + N (bytes after the 20-byte header)               |
 * | 8      | 8    | sequence number (u64, 1, 2, 3, … ≤ 2^53 − 1)                           |
 * | 16     | 1    | kind: 1 = JSON payload (UTF-8), 2 = binary payload                     |
 * | 17     | 1    | T = type name length (1..255)                                          |
 * | 18     | 2    | reserved, 0                                                            |
 * | 20     | T    | record type name (UTF-8, e.g. `order.intent`)                          |
 * | 20 + T | N    | payload                                                                |
 *
 * L is checked against `maxRecordBytes` before anything is allocated or read, so a corrupt length
 * (e.g. 2^31) can never cause a huge allocation.
 */
import { ValidationError } from '@trading/domain';
import { readU16, readU32, readU64, utf8Decode, utf8Encode, writeU32, writeU64 } from './bytes';
import { crc32c } from './crc32c';
import type { WalJsonValue } from './json';

/** Size of the fixed record header in bytes. */
export const RECORD_HEADER_BYTES = 20;
/** Default upper bound of a record body (type + payload): 16 MiB. */
export const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;
/** Hard upper bound any configuration may choose for `maxRecordBytes` (256 MiB). */
export const MAX_RECORD_BYTES_LIMIT = 256 * 1024 * 1024;
/** Longest record type name in UTF-8 bytes. */
export const MAX_RECORD_TYPE_BYTES = 255;

/** Payload encodings of a record (the `kind` byte). */
export const RecordKind = { Json: 1, Binary: 2 } as const;
/** A payload encoding value. */
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

/** Why a record failed validation (negative codes returned by {@link validateRecordAt}). */
export const RecordError = {
  ShortHeader: -1,
  BadLength: -2,
  ShortRecord: -3,
  BadKind: -4,
  BadTypeLength: -5,
  BadReserved: -6,
  BadChecksum: -7,
} as const;

const REASONS: Record<number, string> = {
  [RecordError.ShortHeader]: 'incomplete record header',
  [RecordError.BadLength]: 'record length out of bounds',
  [RecordError.ShortRecord]: 'record extends past the end of the segment',
  [RecordError.BadKind]: 'unknown record kind',
  [RecordError.BadTypeLength]: 'bad record type length',
  [RecordError.BadReserved]: 'non-zero reserved header bytes',
  [RecordError.BadChecksum]: 'record checksum mismatch',
};

/** Human-readable reason of a negative {@link validateRecordAt} code. */
export function recordErrorReason(code: number): string {
  return REASONS[code] ?? `unknown record error ${code}`;
}

/** A decoded WAL record. `payload` is a view into the segment buffer: copy it if you keep it. */
export interface WalRecord {
  /** Sequence number (strictly increasing by 1 across the log). */
  readonly sequence: number;
  /** Record type name, e.g. `order.intent`. */
  readonly type: string;
  /** Payload encoding. */
  readonly kind: 'json' | 'binary';
  /** Raw payload bytes (UTF-8 JSON text when `kind === 'json'`). */
  readonly payload: Uint8Array;
  /** Parses a JSON payload; throws a ValidationError for binary records. */
  json<T extends WalJsonValue = WalJsonValue>(): T;
}

class DecodedRecord implements WalRecord {
  constructor(
    readonly sequence: number,
    readonly type: string,
    readonly kind: 'json' | 'binary',
    readonly payload: Uint8Array,
  ) {}

  json<T extends WalJsonValue = WalJsonValue>(): T {
    if (this.kind !== 'json') throw new ValidationError('record.kind', this.kind, 'a JSON record');
    return JSON.parse(utf8Decode(this.payload)) as T;
  }
}

const typeCache = new Map<string, Uint8Array>();

function encodeType(type: string): Uint8Array {
  let bytes = typeCache.get(type);
  if (bytes === undefined) {
    if (typeof type !== 'string' || type.length === 0) {
      throw new ValidationError('record.type', type, 'a non-empty string');
    }
    bytes = utf8Encode(type);
    if (bytes.length > MAX_RECORD_TYPE_BYTES) {
      throw new ValidationError(
        'record.type',
        type,
        `at most ${MAX_RECORD_TYPE_BYTES} UTF-8 bytes`,
      );
    }
    if (typeCache.size < 4096) typeCache.set(type, bytes);
  }
  return bytes;
}

/** Serialises a payload: Uint8Array stays binary, anything else is JSON text. */
export function encodePayload(payload: Uint8Array | WalJsonValue): {
  kind: RecordKind;
  bytes: Uint8Array;
} {
  if (payload instanceof Uint8Array) return { kind: RecordKind.Binary, bytes: payload };
  const text = JSON.stringify(payload);
  if (text === undefined)
    throw new ValidationError('record.payload', payload, 'a JSON-serialisable value or Uint8Array');
  return { kind: RecordKind.Json, bytes: utf8Encode(text) };
}

/**
 * Encodes one record. Throws ValidationError for an empty/too long type, a non-serialisable payload,
 * a body above `maxRecordBytes` or a sequence that is not a positive safe integer.
 */
export function encodeRecord(
  sequence: number,
  type: string,
  payload: Uint8Array | WalJsonValue,
  maxRecordBytes: number = DEFAULT_MAX_RECORD_BYTES,
): Uint8Array {
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new ValidationError('record.sequence', sequence, 'a positive safe integer');
  }
  const t = encodeType(type);
  const { kind, bytes } = encodePayload(payload);
  const bodyLength = t.length + bytes.length;
  if (bodyLength > maxRecordBytes) {
    throw new ValidationError(
      'record.payload',
      `${bodyLength} bytes`,
      `at most ${maxRecordBytes} bytes (type + payload)`,
    );
  }
  const out = new Uint8Array(RECORD_HEADER_BYTES + bodyLength);
  writeU32(out, 4, bodyLength);
  writeU64(out, 8, sequence);
  out[16] = kind;
  out[17] = t.length;
  out.set(t, RECORD_HEADER_BYTES);
  out.set(bytes, RECORD_HEADER_BYTES + t.length);
  writeU32(out, 0, crc32c(out, 0, 4));
  return out;
}

const textEncoder = new TextEncoder();

/**
 * Encodes one record directly into `target` at `offset` (no intermediate allocation). Returns the
 * record size, or a negative number whose magnitude is the space needed when `target` is too small
 * (grow the buffer and call again). Throws ValidationError like {@link encodeRecord}.
 */
export function encodeRecordInto(
  target: Uint8Array,
  offset: number,
  sequence: number,
  type: string,
  payload: Uint8Array | WalJsonValue,
  maxRecordBytes: number = DEFAULT_MAX_RECORD_BYTES,
): number {
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new ValidationError('record.sequence', sequence, 'a positive safe integer');
  }
  const t = encodeType(type);
  const bodyStart = offset + RECORD_HEADER_BYTES;
  const payloadStart = bodyStart + t.length;
  let payloadLength: number;
  let kind: RecordKind;
  if (payload instanceof Uint8Array) {
    kind = RecordKind.Binary;
    payloadLength = payload.length;
    if (t.length + payloadLength > maxRecordBytes) {
      throw new ValidationError(
        'record.payload',
        `${t.length + payloadLength} bytes`,
        `at most ${maxRecordBytes} bytes (type + payload)`,
      );
    }
    if (payloadStart + payloadLength > target.length)
      return -(RECORD_HEADER_BYTES + t.length + payloadLength);
    target.set(payload, payloadStart);
  } else {
    kind = RecordKind.Json;
    const text = JSON.stringify(payload);
    if (text === undefined)
      throw new ValidationError(
        'record.payload',
        payload,
        'a JSON-serialisable value or Uint8Array',
      );
    const worst = text.length * 3;
    if (payloadStart + worst > target.length) {
      // Not enough room for the worst case: measure exactly only when it might still fit.
      const exact = utf8Encode(text);
      if (t.length + exact.length > maxRecordBytes) {
        throw new ValidationError(
          'record.payload',
          `${t.length + exact.length} bytes`,
          `at most ${maxRecordBytes} bytes (type + payload)`,
        );
      }
      if (payloadStart + exact.length > target.length)
        return -(RECORD_HEADER_BYTES + t.length + exact.length);
      target.set(exact, payloadStart);
      payloadLength = exact.length;
    } else {
      payloadLength = textEncoder.encodeInto(
        text,
        target.subarray(payloadStart, payloadStart + worst),
      ).written;
      if (t.length + payloadLength > maxRecordBytes) {
        throw new ValidationError(
          'record.payload',
          `${t.length + payloadLength} bytes`,
          `at most ${maxRecordBytes} bytes (type + payload)`,
        );
      }
    }
  }
  const bodyLength = t.length + payloadLength;
  writeU32(target, offset + 4, bodyLength);
  writeU64(target, offset + 8, sequence);
  target[offset + 16] = kind;
  target[offset + 17] = t.length;
  target[offset + 18] = 0;
  target[offset + 19] = 0;
  target.set(t, bodyStart);
  const end = bodyStart + bodyLength;
  writeU32(target, offset, crc32c(target, 0, offset + 4, end));
  return RECORD_HEADER_BYTES + bodyLength;
}

/** The CRC32C stored in the record starting at `offset`. */
export function recordChecksum(buf: Uint8Array, offset: number): number {
  return readU32(buf, offset);
}

/** The sequence number stored in the record starting at `offset` (no validation). */
export function recordSequence(buf: Uint8Array, offset: number): number {
  return readU64(buf, offset + 8);
}

/**
 * Validates the record at `buf[offset…end)`. Returns its total size in bytes (> 0) or a negative
 * {@link RecordError} code. The length is bounds-checked before the checksum is computed.
 */
export function validateRecordAt(
  buf: Uint8Array,
  offset: number,
  end: number,
  maxRecordBytes: number,
): number {
  if (end - offset < RECORD_HEADER_BYTES) return RecordError.ShortHeader;
  const bodyLength = readU32(buf, offset + 4);
  if (bodyLength > maxRecordBytes) return RecordError.BadLength;
  const kind = buf[offset + 16];
  if (kind !== RecordKind.Json && kind !== RecordKind.Binary) return RecordError.BadKind;
  const typeLength = buf[offset + 17];
  if (typeLength === 0 || typeLength > bodyLength) return RecordError.BadTypeLength;
  if (readU16(buf, offset + 18) !== 0) return RecordError.BadReserved;
  const total = RECORD_HEADER_BYTES + bodyLength;
  if (end - offset < total) return RecordError.ShortRecord;
  if (crc32c(buf, 0, offset + 4, offset + total) !== readU32(buf, offset))
    return RecordError.BadChecksum;
  return total;
}

// Replay sees few distinct types: reuse the string of the previous record when the bytes match.
let lastTypeBytes = new Uint8Array(0);
let lastTypeString = '';

function decodeType(buf: Uint8Array, start: number, length: number): string {
  if (length === lastTypeBytes.length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (buf[start + i] !== lastTypeBytes[i]) {
        same = false;
        break;
      }
    }
    if (same) return lastTypeString;
  }
  lastTypeBytes = buf.slice(start, start + length);
  lastTypeString = utf8Decode(buf, start, start + length);
  return lastTypeString;
}

/** Decodes the (already validated) record at `offset`. */
export function decodeRecordAt(buf: Uint8Array, offset: number): WalRecord {
  const bodyLength = readU32(buf, offset + 4);
  const typeLength = buf[offset + 17];
  const typeStart = offset + RECORD_HEADER_BYTES;
  return new DecodedRecord(
    readU64(buf, offset + 8),
    decodeType(buf, typeStart, typeLength),
    buf[offset + 16] === RecordKind.Json ? 'json' : 'binary',
    buf.subarray(typeStart + typeLength, offset + RECORD_HEADER_BYTES + bodyLength),
  );
}

/** Decodes a single, complete encoded record (validating it); throws ValidationError when invalid. */
export function decodeRecord(
  bytes: Uint8Array,
  maxRecordBytes: number = DEFAULT_MAX_RECORD_BYTES,
): WalRecord {
  const size = validateRecordAt(bytes, 0, bytes.length, maxRecordBytes);
  if (size < 0)
    throw new ValidationError(
      'record',
      `${bytes.length} bytes`,
      `a valid WAL record (${recordErrorReason(size)})`,
    );
  return decodeRecordAt(bytes, 0);
}

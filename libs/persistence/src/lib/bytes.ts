/** Little-endian integer helpers over Uint8Array (no Buffer: this lib is pure). */

/** Reads an unsigned 32-bit little-endian integer. */
export function readU32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

/** Writes an unsigned 32-bit little-endian integer. */
export function writeU32(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
}

/** Reads an unsigned 16-bit little-endian integer. */
export function readU16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

/** Writes an unsigned 16-bit little-endian integer. */
export function writeU16(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
}

const TWO_32 = 0x1_0000_0000;

/** Reads a 64-bit little-endian unsigned integer as a number (callers check it is ≤ 2^53 − 1). */
export function readU64(b: Uint8Array, o: number): number {
  return readU32(b, o + 4) * TWO_32 + readU32(b, o);
}

/** Writes a non-negative safe integer as a 64-bit little-endian unsigned integer. */
export function writeU64(b: Uint8Array, o: number, v: number): void {
  writeU32(b, o, v >>> 0);
  writeU32(b, o + 4, Math.floor(v / TWO_32) >>> 0);
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/** UTF-8 encodes a string. */
export function utf8Encode(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

/** UTF-8 decodes `b[start, end)`; short pure-ASCII input takes a fast path. */
export function utf8Decode(b: Uint8Array, start = 0, end = b.length): string {
  if (end - start <= 32) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (b[i] > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii)
      return String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
  }
  return utf8Decoder.decode(b.subarray(start, end));
}

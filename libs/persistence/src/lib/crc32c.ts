/**
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78), table-driven with slicing-by-8.
 * Pure code over Uint8Array; no Node APIs. `crc32c(ascii("123456789")) === 0xe3069283`.
 */

const POLY = 0x82f63b78;

/** 8 lookup tables of 256 entries each, laid out contiguously (table k at offset k*256). */
const TABLE: Int32Array = (() => {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n];
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
})();

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Inputs at least this long are read as aligned 32-bit words (faster; needs a fresh typed-array view). */
const WORD_THRESHOLD = 512;

/**
 * Computes CRC32C of `data[start, end)`, continuing from `previous` (the result of an earlier call over
 * the preceding bytes, 0 to start). Returns an unsigned 32-bit integer.
 */
export function crc32c(
  data: Uint8Array,
  previous = 0,
  start = 0,
  end: number = data.length,
): number {
  const t = TABLE;
  let crc = ~previous | 0;
  let i = start;
  if (LITTLE_ENDIAN && end - i >= WORD_THRESHOLD) {
    // Bytes until the absolute address is 4-aligned, then 8 bytes per step through an Int32Array view.
    let head = (4 - ((data.byteOffset + i) & 3)) & 3;
    while (head-- > 0) crc = t[(crc ^ data[i++]) & 0xff] ^ (crc >>> 8);
    const n8 = (end - i) >>> 3;
    const w = new Int32Array(data.buffer, data.byteOffset + i, n8 * 2);
    for (let k = 0; k < w.length; k += 2) {
      const lo = crc ^ w[k];
      const hi = w[k + 1];
      crc =
        t[1792 + (lo & 0xff)] ^
        t[1536 + ((lo >>> 8) & 0xff)] ^
        t[1280 + ((lo >>> 16) & 0xff)] ^
        t[1024 + (lo >>> 24)] ^
        t[768 + (hi & 0xff)] ^
        t[512 + ((hi >>> 8) & 0xff)] ^
        t[256 + ((hi >>> 16) & 0xff)] ^
        t[hi >>> 24];
    }
    i += n8 * 8;
  } else {
    const end8 = end - ((end - i) & 7);
    while (i < end8) {
      const lo = crc ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
      crc =
        t[1792 + (lo & 0xff)] ^
        t[1536 + ((lo >>> 8) & 0xff)] ^
        t[1280 + ((lo >>> 16) & 0xff)] ^
        t[1024 + (lo >>> 24)] ^
        t[768 + data[i + 4]] ^
        t[512 + data[i + 5]] ^
        t[256 + data[i + 6]] ^
        t[data[i + 7]];
      i += 8;
    }
  }
  while (i < end) crc = t[(crc ^ data[i++]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** Reference bit-at-a-time CRC32C (slow); used by tests to cross-check the table-driven version. */
export function crc32cBitwise(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    crc ^= data[i];
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ POLY : crc >>> 1;
  }
  return ~crc >>> 0;
}

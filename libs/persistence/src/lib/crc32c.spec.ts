import fc from 'fast-check';
import { crc32c, crc32cBitwise } from './crc32c';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('crc32c', () => {
  it('matches the standard check value and RFC 3720 vectors', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });

  it('equals the bitwise reference for any input, offset and length (both code paths)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(7), (data, shift) => {
        // Shifted copy exercises unaligned starts of the word path.
        const buf = new Uint8Array(data.length + shift);
        buf.set(data, shift);
        const view = buf.subarray(shift);
        expect(crc32c(view)).toBe(crc32cBitwise(data));
        expect(crc32c(buf, 0, shift, buf.length)).toBe(crc32cBitwise(data));
      }),
      { numRuns: 300 },
    );
  });

  it('continues across chunks: crc(a ++ b) = crc(b, crc(a))', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 1500 }),
        fc.uint8Array({ maxLength: 1500 }),
        (a, b) => {
          const ab = new Uint8Array(a.length + b.length);
          ab.set(a);
          ab.set(b, a.length);
          expect(crc32c(b, crc32c(a))).toBe(crc32c(ab));
        },
      ),
    );
  });

  it('detects any single flipped bit', () => {
    const data = Uint8Array.from({ length: 700 }, (_, i) => (i * 7) & 0xff);
    const base = crc32c(data);
    for (let bit = 0; bit < data.length * 8; bit += 13) {
      data[bit >> 3] ^= 1 << (bit & 7);
      expect(crc32c(data)).not.toBe(base);
      data[bit >> 3] ^= 1 << (bit & 7);
    }
  });
});

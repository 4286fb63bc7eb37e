import { ValidationError } from '@trading/domain';
import { writeU32 } from './bytes';
import { crc32c } from './crc32c';
import {
  SNAPSHOT_HEADER_BYTES,
  decodeSnapshot,
  encodeSnapshot,
  parseSnapshotFileName,
  snapshotFileName,
} from './snapshot-codec';

describe('snapshot codec', () => {
  const snap = {
    lastSequence: 1234,
    state: { cash: '1000.50', positions: { AAPL: '10' } },
    takenAt: 1_700_000_000_000,
  };

  it('round-trips state, sequence and takenAt', () => {
    const b = encodeSnapshot(snap);
    expect(new TextDecoder().decode(b.subarray(0, 8))).toBe('TRDSNAP1');
    expect(decodeSnapshot(b)).toEqual(snap);
    expect(decodeSnapshot(encodeSnapshot({ lastSequence: 0, state: null }))).toEqual({
      lastSequence: 0,
      state: null,
    });
  });

  it('rejects truncation at any length and any flipped byte', () => {
    const b = encodeSnapshot(snap);
    for (let len = 0; len < b.length; len++)
      expect(typeof decodeSnapshot(b.subarray(0, len))).toBe('string');
    for (let i = 0; i < b.length; i++) {
      const c = b.slice();
      c[i] ^= 0x01;
      expect(typeof decodeSnapshot(c)).toBe('string');
    }
  });

  it('explains what is wrong', () => {
    const b = encodeSnapshot(snap);
    const magic = b.slice();
    magic[0] = 0;
    expect(decodeSnapshot(magic)).toMatch(/magic/);
    const payload = b.slice();
    payload[SNAPSHOT_HEADER_BYTES] ^= 1;
    expect(decodeSnapshot(payload)).toMatch(/payload checksum/);
    // Valid checksums around a payload that is not JSON / has no state.
    const forge = (text: string, version = 1) => {
      const p = new TextEncoder().encode(text);
      const out = new Uint8Array(SNAPSHOT_HEADER_BYTES + p.length);
      out.set(b.subarray(0, 8));
      writeU32(out, 8, version);
      writeU32(out, 12, p.length);
      out.set(p, SNAPSHOT_HEADER_BYTES);
      writeU32(out, 24, crc32c(p));
      writeU32(out, 28, crc32c(out, 0, 0, 28));
      return out;
    };
    expect(decodeSnapshot(forge('{not json'))).toMatch(/not JSON/);
    expect(decodeSnapshot(forge('{"x":1}'))).toMatch(/no state/);
    expect(decodeSnapshot(forge('{"state":1}', 2))).toMatch(/version 2/);
  });

  it('validates input', () => {
    expect(() => encodeSnapshot({ lastSequence: -1, state: 1 })).toThrow(ValidationError);
    expect(() => encodeSnapshot({ lastSequence: 1, state: undefined as never })).not.toThrow();
  });

  it('names files by sequence so they sort', () => {
    expect(snapshotFileName(42)).toBe('snapshot-00000000000000000042.snap');
    expect(parseSnapshotFileName(snapshotFileName(42))).toBe(42);
    expect(parseSnapshotFileName('snapshot-42.snap')).toBeNull();
    expect(parseSnapshotFileName(snapshotFileName(42) + '.tmp')).toBeNull();
  });
});

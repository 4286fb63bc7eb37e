import { ValidationError } from '@trading/domain';
import {
  SEGMENT_HEADER_BYTES,
  decodeSegmentHeader,
  encodeSegmentHeader,
  isWalId,
  parseSegmentFileName,
  segmentFileName,
} from './segment-format';

const walId = '0123456789abcdef0123456789abcdef';

describe('segment header', () => {
  it('round-trips and has a fixed 64-byte size', () => {
    const h = {
      walId,
      segmentIndex: 3,
      firstSequence: 1001,
      prevLastSequence: 1000,
      prevLastCrc: 0xdeadbeef,
    };
    const b = encodeSegmentHeader(h);
    expect(b.length).toBe(SEGMENT_HEADER_BYTES);
    expect(new TextDecoder().decode(b.subarray(0, 8))).toBe('TRDWALS1');
    expect(decodeSegmentHeader(b)).toEqual(h);
  });

  it('reports short, foreign, corrupt and inconsistent headers', () => {
    const b = encodeSegmentHeader({
      walId,
      segmentIndex: 1,
      firstSequence: 1,
      prevLastSequence: 0,
      prevLastCrc: 0,
    });
    expect(decodeSegmentHeader(b.subarray(0, 10))).toMatch(/shorter/);
    const notWal = b.slice();
    notWal[0] = 0;
    expect(decodeSegmentHeader(notWal)).toMatch(/magic/);
    for (const at of [8, 20, 33, 41, 57, 61]) {
      const c = b.slice();
      c[at] ^= 4;
      expect(decodeSegmentHeader(c)).toMatch(/checksum/);
    }
  });

  it('validates inputs', () => {
    expect(() =>
      encodeSegmentHeader({
        walId: 'xyz',
        segmentIndex: 1,
        firstSequence: 1,
        prevLastSequence: 0,
        prevLastCrc: 0,
      }),
    ).toThrow(ValidationError);
    expect(() =>
      encodeSegmentHeader({
        walId,
        segmentIndex: 0,
        firstSequence: 1,
        prevLastSequence: 0,
        prevLastCrc: 0,
      }),
    ).toThrow(ValidationError);
    expect(() =>
      encodeSegmentHeader({
        walId,
        segmentIndex: 1,
        firstSequence: 5,
        prevLastSequence: 0,
        prevLastCrc: 0,
      }),
    ).toThrow(ValidationError);
    expect(isWalId(walId)).toBe(true);
    expect(isWalId(walId.toUpperCase())).toBe(false);
  });

  it('names segment files by index', () => {
    expect(segmentFileName(12)).toBe('wal-0000000012.seg');
    expect(parseSegmentFileName('wal-0000000012.seg')).toBe(12);
    expect(parseSegmentFileName('wal-12.seg')).toBeNull();
    expect(parseSegmentFileName('wal-0000000012.seg.torn')).toBeNull();
  });
});

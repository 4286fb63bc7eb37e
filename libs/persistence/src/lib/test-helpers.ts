/** Builders shared by the specs of this lib (not exported from the package). */
import { encodeRecord } from './record-format';
import { encodeSegmentHeader, segmentFileName } from './segment-format';
import { readU32 } from './bytes';

/** WAL id used by specs. */
export const TEST_WAL_ID = 'aaaaaaaabbbbbbbbccccccccdddddddd';

/** A segment built in memory. */
export interface BuiltSegment {
  name: string;
  buf: Uint8Array;
  lastSequence: number;
  lastCrc: number;
  recordOffsets: number[];
}

/** Builds a segment with `count` JSON records `{ n: seq }` starting at `firstSequence`. */
export function buildSegment(
  index: number,
  firstSequence: number,
  count: number,
  prevLastCrc = 0,
  walId = TEST_WAL_ID,
): BuiltSegment {
  const header = encodeSegmentHeader({
    walId,
    segmentIndex: index,
    firstSequence,
    prevLastSequence: firstSequence - 1,
    prevLastCrc,
  });
  const recs = Array.from({ length: count }, (_, i) =>
    encodeRecord(firstSequence + i, 'test.add', { n: firstSequence + i, pad: 'x'.repeat(i % 7) }),
  );
  const buf = new Uint8Array(header.length + recs.reduce((a, r) => a + r.length, 0));
  buf.set(header);
  const recordOffsets: number[] = [];
  let o = header.length;
  let lastCrc = prevLastCrc;
  for (const r of recs) {
    recordOffsets.push(o);
    buf.set(r, o);
    lastCrc = readU32(r, 0);
    o += r.length;
  }
  return {
    name: segmentFileName(index),
    buf,
    lastSequence: firstSequence + count - 1,
    lastCrc,
    recordOffsets,
  };
}

/** Builds a chain of segments with `counts[i]` records each. */
export function buildChain(counts: number[], walId = TEST_WAL_ID): BuiltSegment[] {
  const out: BuiltSegment[] = [];
  let seq = 1;
  let crc = 0;
  counts.forEach((c, i) => {
    const s = buildSegment(i + 1, seq, c, crc, walId);
    out.push(s);
    seq += c;
    crc = s.lastCrc;
  });
  return out;
}

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

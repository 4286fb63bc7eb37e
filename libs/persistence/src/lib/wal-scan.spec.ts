import fc from 'fast-check';
import { CorruptionError } from '@trading/domain';
import { writeU32 } from './bytes';
import { encodeRecord, type WalRecord } from './record-format';
import { SEGMENT_HEADER_BYTES, segmentFileName } from './segment-format';
import {
  analyzeWal,
  corruptionErrorFor,
  findNextValidRecord,
  planRecovery,
  replaySegment,
  scanSegment,
  type SegmentScan,
} from './wal-scan';
import { TEST_WAL_ID, buildChain, buildSegment, concat } from './test-helpers';

const scanAll = (segs: { name: string; buf: Uint8Array }[]) =>
  segs.map((s) => scanSegment(s.name, s.buf));

describe('scanSegment / analyzeWal', () => {
  it('accepts a clean chain of segments', () => {
    const chain = buildChain([5, 3, 4]);
    const a = analyzeWal(scanAll(chain));
    expect(a.problem).toBeNull();
    expect(a.walId).toBe(TEST_WAL_ID);
    expect(a.firstSequence).toBe(1);
    expect(a.lastSequence).toBe(12);
    expect(a.lastCrc).toBe(chain[2].lastCrc);
    expect(a.segments.map((s) => s.records)).toEqual([5, 3, 4]);
  });

  it('treats an empty directory and an empty newest segment as clean', () => {
    expect(analyzeWal([])).toMatchObject({ walId: null, lastSequence: 0, problem: null });
    const chain = buildChain([4, 0]);
    const a = analyzeWal(scanAll(chain));
    expect(a.problem).toBeNull();
    expect(a.lastSequence).toBe(4);
    expect(a.segments[1].lastCrc).toBe(chain[0].lastCrc);
  });

  it('cuts a torn last record at every byte offset as a tail', () => {
    const seg = buildSegment(1, 1, 4);
    const lastStart = seg.recordOffsets[3];
    for (let cut = lastStart; cut < seg.buf.length; cut++) {
      const a = analyzeWal([scanSegment(seg.name, seg.buf.subarray(0, cut))]);
      expect(a.lastSequence).toBe(3);
      if (cut === lastStart) expect(a.problem).toBeNull();
      else
        expect(a.problem).toMatchObject({
          kind: 'tail',
          offset: lastStart,
          sequence: 4,
          bytes: cut - lastStart,
        });
    }
  });

  it('cuts zeros or random garbage after the last record as a tail', () => {
    const seg = buildSegment(1, 1, 3);
    const zeros = analyzeWal([scanSegment(seg.name, concat(seg.buf, new Uint8Array(4096)))]);
    expect(zeros.problem).toMatchObject({
      kind: 'tail',
      offset: seg.buf.length,
      bytes: 4096,
      sequence: 4,
    });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 3000 }), (garbage) => {
        const a = analyzeWal([scanSegment(seg.name, concat(seg.buf, garbage))]);
        expect(a.lastSequence).toBe(3);
        expect(a.problem).toMatchObject({
          kind: 'tail',
          offset: seg.buf.length,
          bytes: garbage.length,
        });
      }),
    );
  });

  it.each([
    ['length', 5],
    ['checksum', 1],
    ['type', 21],
    ['payload', 30],
    ['kind', 16],
    ['sequence', 9],
  ])('reports one flipped bit in the %s of a middle record as corruption', (_field, byte) => {
    const seg = buildSegment(1, 1, 6);
    const at = seg.recordOffsets[2];
    const b = seg.buf.slice();
    b[at + byte] ^= 0x10;
    const a = analyzeWal([scanSegment(seg.name, b)]);
    expect(a.lastSequence).toBe(2);
    expect(a.problem).toMatchObject({
      kind: 'corruption',
      segment: seg.name,
      offset: at,
      sequence: 3,
    });
    expect(a.problem?.reason).toMatch(/follows at byte offset/);
    const err = corruptionErrorFor(a.problem!, '/data/wal');
    expect(err).toBeInstanceOf(CorruptionError);
    expect(err.code).toBe('CORRUPTION');
    expect(err.message).toContain(`/data/wal/${seg.name}`);
    expect(err.message).toContain(`byte offset ${at}`);
    expect(err.message).toContain('sequence 3');
    expect(() => planRecovery(a)).toThrow(CorruptionError);
  });

  it('handles a length field of 2^31 without allocating: corruption in the middle, tail at the end', () => {
    const seg = buildSegment(1, 1, 5);
    const mid = seg.buf.slice();
    writeU32(mid, seg.recordOffsets[1] + 4, 2 ** 31);
    expect(analyzeWal([scanSegment(seg.name, mid)]).problem).toMatchObject({
      kind: 'corruption',
      offset: seg.recordOffsets[1],
      sequence: 2,
    });
    const last = seg.buf.slice();
    writeU32(last, seg.recordOffsets[4] + 4, 2 ** 31);
    const a = analyzeWal([scanSegment(seg.name, last)]);
    expect(a.problem).toMatchObject({ kind: 'tail', offset: seg.recordOffsets[4] });
    expect(a.problem?.reason).toMatch(/length out of bounds/);
  });

  it('reports a sequence gap or a repeated sequence as corruption', () => {
    const header = buildSegment(1, 1, 0).buf;
    const gap = concat(header, encodeRecord(1, 't', 1), encodeRecord(3, 't', 3));
    const a = analyzeWal([scanSegment(segmentFileName(1), gap)]);
    expect(a.problem).toMatchObject({ kind: 'corruption', sequence: 2 });
    expect(a.problem?.reason).toMatch(/sequence gap: expected 2, found 3/);
    const back = concat(header, encodeRecord(1, 't', 1), encodeRecord(1, 't', 1));
    expect(analyzeWal([scanSegment(segmentFileName(1), back)]).problem?.reason).toMatch(
      /backwards/,
    );
  });

  it('reports damage in a segment that is not the newest as corruption', () => {
    const chain = buildChain([3, 3]);
    const torn = chain[0].buf.subarray(0, chain[0].buf.length - 2);
    const a = analyzeWal(scanAll([{ name: chain[0].name, buf: torn }, chain[1]]));
    expect(a.problem).toMatchObject({
      kind: 'corruption',
      segment: chain[0].name,
      laterSegments: [chain[1].name],
    });
  });

  it('detects a missing, swapped, renamed or foreign segment', () => {
    const chain = buildChain([2, 2, 2]);
    const missing = analyzeWal(scanAll([chain[0], chain[2]]));
    expect(missing.problem).toMatchObject({
      kind: 'corruption',
      segment: chain[2].name,
      offset: 0,
    });
    expect(missing.problem?.reason).toMatch(/missing or reordered/);

    const swapped = analyzeWal(
      scanAll([
        chain[0],
        { name: chain[1].name, buf: chain[2].buf },
        { name: chain[2].name, buf: chain[1].buf },
      ]),
    );
    expect(swapped.problem?.kind).toBe('corruption');
    expect(swapped.problem?.reason).toMatch(/file name says|swapped/);

    const foreign = buildChain([2, 2], 'ffffffffffffffffffffffffffffffff');
    const f = analyzeWal(scanAll([chain[0], foreign[1]]));
    expect(f.problem?.reason).toMatch(/foreign segment/);

    // Same WAL id and index but the chain CRC does not match the predecessor's last record.
    const other = buildChain([2, 2]);
    const wrongCrc = buildSegment(2, 3, 2, chain[0].lastCrc ^ 1);
    expect(analyzeWal(scanAll([other[0], wrongCrc])).problem?.reason).toMatch(
      /chain checksum mismatch/,
    );
    // Header claims a different start sequence.
    const wrongStart = buildSegment(2, 5, 2, chain[0].lastCrc);
    expect(analyzeWal(scanAll([chain[0], wrongStart])).problem?.reason).toMatch(
      /starts at sequence 5/,
    );
  });

  it('treats a torn header of the newest segment as a tail, a bad header elsewhere as corruption', () => {
    const chain = buildChain([2, 0]);
    const torn = analyzeWal(
      scanAll([chain[0], { name: chain[1].name, buf: chain[1].buf.subarray(0, 30) }]),
    );
    expect(torn.problem).toMatchObject({
      kind: 'tail',
      segment: chain[1].name,
      offset: 0,
      bytes: 30,
    });
    expect(torn.lastSequence).toBe(2);
    const bad = buildChain([2, 2]);
    const b0 = bad[0].buf.slice();
    b0[20] ^= 1;
    expect(analyzeWal(scanAll([{ name: bad[0].name, buf: b0 }, bad[1]])).problem).toMatchObject({
      kind: 'corruption',
      offset: 0,
    });
  });

  it('findNextValidRecord skips garbage and only finds later sequences', () => {
    const seg = buildSegment(1, 10, 3);
    expect(findNextValidRecord(seg.buf, SEGMENT_HEADER_BYTES + 1, seg.buf.length, 10)).toEqual({
      offset: seg.recordOffsets[1],
      sequence: 11,
    });
    expect(findNextValidRecord(seg.buf, SEGMENT_HEADER_BYTES + 1, seg.buf.length, 12)).toBeNull();
  });
});

describe('planRecovery', () => {
  it('replays only segments with records after the snapshot and passes the tail on', () => {
    const chain = buildChain([5, 5, 5]);
    const scans = scanAll([
      chain[0],
      chain[1],
      { name: chain[2].name, buf: concat(chain[2].buf, new Uint8Array(10)) },
    ]);
    const plan = planRecovery(analyzeWal(scans), 7);
    expect(plan.replayAfter).toBe(7);
    expect(plan.replaySegments.map((s) => s.name)).toEqual([chain[1].name, chain[2].name]);
    expect(plan.lastSequence).toBe(15);
    expect(plan.tail).toMatchObject({ kind: 'tail', bytes: 10 });
  });

  it('accepts a compacted log that starts at or before snapshot + 1', () => {
    const chain = buildChain([5, 5, 5]);
    const plan = planRecovery(analyzeWal(scanAll(chain.slice(1))), 5);
    expect(plan.lastSequence).toBe(15);
  });

  it('refuses a log that starts after the snapshot (missing records) or ends before it', () => {
    const chain = buildChain([5, 5, 5]);
    expect(() => planRecovery(analyzeWal(scanAll(chain.slice(1))), 3)).toThrow(
      /records 4..5 are missing/,
    );
    expect(() => planRecovery(analyzeWal(scanAll(chain)), 20)).toThrow(/ends at sequence 15/);
  });

  it('continues after the snapshot when there is no log yet', () => {
    expect(planRecovery(analyzeWal([]), 42)).toMatchObject({
      lastSequence: 42,
      tail: null,
      replaySegments: [],
    });
  });
});

describe('replaySegment', () => {
  it('visits records after the given sequence, awaiting async visitors in order', async () => {
    const seg = buildSegment(1, 1, 6);
    const scan: SegmentScan = scanSegment(seg.name, seg.buf);
    const seen: number[] = [];
    const n = await replaySegment(seg.buf, scan, 2, async (r: WalRecord) => {
      await Promise.resolve();
      seen.push(r.json<{ n: number }>().n);
    });
    expect(n).toBe(4);
    expect(seen).toEqual([3, 4, 5, 6]);
    const sync: number[] = [];
    await replaySegment(seg.buf, scan, 0, (r) => void sync.push(r.sequence));
    expect(sync).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

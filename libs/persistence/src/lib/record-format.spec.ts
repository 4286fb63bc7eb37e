import fc from 'fast-check';
import { ValidationError } from '@trading/domain';
import { readU32, writeU32 } from './bytes';
import {
  MAX_RECORD_TYPE_BYTES,
  RECORD_HEADER_BYTES,
  RecordError,
  decodeRecord,
  decodeRecordAt,
  encodePayload,
  encodeRecord,
  encodeRecordInto,
  recordErrorReason,
  validateRecordAt,
} from './record-format';

describe('record format', () => {
  it('round-trips JSON and binary payloads with the documented layout', () => {
    const r = encodeRecord(42, 'order.intent', { id: 'c-1', qty: '10' });
    const text = JSON.stringify({ id: 'c-1', qty: '10' });
    expect(r.length).toBe(RECORD_HEADER_BYTES + 'order.intent'.length + text.length);
    expect(readU32(r, 4)).toBe('order.intent'.length + text.length);
    expect(r[16]).toBe(1);
    expect(r[17]).toBe('order.intent'.length);
    const d = decodeRecord(r);
    expect(d).toMatchObject({ sequence: 42, type: 'order.intent', kind: 'json' });
    expect(d.json()).toEqual({ id: 'c-1', qty: '10' });

    const bin = decodeRecord(encodeRecord(2 ** 40 + 3, 'tick', Uint8Array.of(1, 2, 3)));
    expect(bin.sequence).toBe(2 ** 40 + 3);
    expect(bin.kind).toBe('binary');
    expect([...bin.payload]).toEqual([1, 2, 3]);
    expect(() => bin.json()).toThrow(ValidationError);
  });

  it('round-trips arbitrary JSON, unicode types and sequences (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.jsonValue(),
        (seq, type, value) => {
          const d = decodeRecord(encodeRecord(seq, type, value as never));
          expect(d.sequence).toBe(seq);
          expect(d.type).toBe(type);
          expect(d.json()).toEqual(JSON.parse(JSON.stringify(value)));
        },
      ),
    );
  });

  it('rejects bad input with ValidationError', () => {
    expect(() => encodeRecord(0, 't', 1)).toThrow(ValidationError);
    expect(() => encodeRecord(1.5, 't', 1)).toThrow(ValidationError);
    expect(() => encodeRecord(1, '', 1)).toThrow(ValidationError);
    expect(() => encodeRecord(1, 'x'.repeat(MAX_RECORD_TYPE_BYTES + 1), 1)).toThrow(/at most 255/);
    expect(() => encodeRecord(1, 't', new Uint8Array(101), 100)).toThrow(/at most 100 bytes/);
    expect(() => encodePayload(undefined as never)).toThrow(ValidationError);
    expect(() => decodeRecord(new Uint8Array(10))).toThrow(/incomplete record header/);
  });

  it('classifies every kind of damage', () => {
    const good = encodeRecord(7, 'fill', { px: '1.5' });
    const max = 1024;
    expect(validateRecordAt(good, 0, good.length, max)).toBe(good.length);
    const mutate = (f: (b: Uint8Array) => void) => {
      const b = good.slice();
      f(b);
      return validateRecordAt(b, 0, b.length, max);
    };
    expect(validateRecordAt(good, 0, 19, max)).toBe(RecordError.ShortHeader);
    expect(validateRecordAt(good, 0, good.length - 1, max)).toBe(RecordError.ShortRecord);
    expect(mutate((b) => writeU32(b, 4, 2 ** 31))).toBe(RecordError.BadLength);
    expect(mutate((b) => (b[16] = 9))).toBe(RecordError.BadKind);
    expect(mutate((b) => (b[17] = 0))).toBe(RecordError.BadTypeLength);
    expect(mutate((b) => (b[18] = 1))).toBe(RecordError.BadReserved);
    expect(mutate((b) => (b[good.length - 1] ^= 1))).toBe(RecordError.BadChecksum);
    expect(mutate((b) => (b[0] ^= 0x80))).toBe(RecordError.BadChecksum);
    expect(mutate((b) => (b[9] ^= 1))).toBe(RecordError.BadChecksum); // sequence bit
    expect(recordErrorReason(RecordError.BadLength)).toMatch(/length/);
    expect(recordErrorReason(-99)).toMatch(/unknown/);
  });

  it('detects every single-bit flip anywhere in a record', () => {
    const good = encodeRecord(123456, 'position.update', {
      sym: 'AAPL',
      qty: '100',
      avg: '187.25',
    });
    for (let bit = 0; bit < good.length * 8; bit++) {
      const b = good.slice();
      b[bit >> 3] ^= 1 << (bit & 7);
      expect(validateRecordAt(b, 0, b.length, 1 << 20)).toBeLessThan(0);
    }
  });

  it('decodes a record inside a larger buffer without copying the payload', () => {
    const r = encodeRecord(5, 'x', Uint8Array.of(9, 8));
    const buf = new Uint8Array(r.length + 7);
    buf.set(r, 7);
    const d = decodeRecordAt(buf, 7);
    expect(d.payload.buffer).toBe(buf.buffer);
    expect([...d.payload]).toEqual([9, 8]);
  });

  it('encodeRecordInto writes the same bytes as encodeRecord, in place', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.oneof(fc.jsonValue(), fc.uint8Array()),
        fc.nat(30),
        (seq, type, value, at) => {
          const expected = encodeRecord(seq, type, value as never);
          const target = new Uint8Array(at + expected.length * 4 + 64);
          const n = encodeRecordInto(target, at, seq, type, value as never);
          expect(n).toBe(expected.length);
          expect(target.subarray(at, at + n)).toEqual(expected);
        },
      ),
    );
  });

  it('encodeRecordInto asks for more room instead of overflowing, and validates', () => {
    const json = { s: 'é'.repeat(50) };
    const exact = encodeRecord(1, 't', json).length;
    expect(encodeRecordInto(new Uint8Array(30), 0, 1, 't', json)).toBe(-exact);
    const tight = new Uint8Array(exact);
    expect(encodeRecordInto(tight, 0, 1, 't', json)).toBe(exact);
    expect(tight).toEqual(encodeRecord(1, 't', json));
    expect(encodeRecordInto(new Uint8Array(10), 0, 1, 't', Uint8Array.of(1, 2))).toBe(-23);
    expect(() => encodeRecordInto(new Uint8Array(100), 0, 0, 't', 1)).toThrow(ValidationError);
    expect(() => encodeRecordInto(new Uint8Array(1000), 0, 1, 't', 'x'.repeat(100), 50)).toThrow(
      /at most 50/,
    );
    expect(() => encodeRecordInto(new Uint8Array(40), 0, 1, 't', 'x'.repeat(100), 50)).toThrow(
      /at most 50/,
    );
    expect(() => encodeRecordInto(new Uint8Array(1000), 0, 1, 't', new Uint8Array(60), 50)).toThrow(
      /at most 50/,
    );
    expect(() => encodeRecordInto(new Uint8Array(1000), 0, 1, 't', undefined as never)).toThrow(
      ValidationError,
    );
  });
});

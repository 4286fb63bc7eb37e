import fc from 'fast-check';
import { SeenIds } from './seen-ids';

describe('SeenIds', () => {
  it('answers exactly like a Set of every id added (model)', () => {
    const id = fc.oneof(
      // canonical ids of a few prefixes, dense and sparse sequence numbers
      fc
        .tuple(fc.constantFrom('S', 'SMA-1', 'x.y'), fc.integer({ min: 1, max: 5000 }))
        .map(([p, n]) => `${p}-${n}`),
      // small numbers, with and without leading zeros ('S-01' is not 'S-1')
      fc
        .tuple(fc.constantFrom('S', 'S-'), fc.constantFrom('', '0', '00'), fc.nat(12))
        .map(([p, z, n]) => `${p}-${z}${n}`),
      fc
        .tuple(fc.constantFrom('S', 'T'), fc.integer({ min: 1, max: 2 ** 31 - 1 }))
        .map(([p, n]) => `${p}-${n}`),
      // non-canonical: leading zero, zero, no prefix, no digits, too large, other characters
      fc.constantFrom(
        'S-01',
        'S-0',
        '-5',
        'S-',
        'S',
        'S-2147483648',
        'S-4294967297',
        'S-4294967296',
        'S-99999999999',
        'S-1a',
        'S-1-',
      ),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), id), { maxLength: 300 }), (ops) => {
        const seen = new SeenIds();
        const model = new Set<string>();
        for (const [add, x] of ops) {
          if (add) {
            expect(seen.add(x)).toBe(!model.has(x));
            model.add(x);
          } else expect(seen.has(x)).toBe(model.has(x));
        }
        expect(seen.size).toBe(model.size);
        for (const [, x] of ops) expect(seen.has(x)).toBe(model.has(x));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps long dense runs in its bitsets and far-off numbers in the string set', () => {
    const seen = new SeenIds();
    for (let n = 1; n <= 200_000; n++) expect(seen.add(`A-${n}`)).toBe(true);
    expect(seen.add('A-150000')).toBe(false);
    expect(seen.has('A-200001')).toBe(false);
    // far beyond the range: no 256 MB bitset, still exact
    expect(seen.add('A-2000000000')).toBe(true);
    expect(seen.has('A-2000000000')).toBe(true);
    expect(seen.add('A-2000000000')).toBe(false);
    // the bitset grows over it later: the string set still answers for it
    for (let n = 200_001; n <= 400_000; n++) seen.add(`A-${n}`);
    expect(seen.add('A-2000000000')).toBe(false);
    // 1 << 31 lands in the sign bit of a word
    expect(seen.add('B-31')).toBe(true);
    expect(seen.has('B-31')).toBe(true);
    expect(seen.has('B-63')).toBe(false);
    expect(seen.size).toBe(400_002);
  });

  it("with otherIds 'forget', is exact for <prefix>-<n> ids and stores nothing else (model)", () => {
    const canonical = /^[^]+-[1-9][0-9]*$/;
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.boolean(),
            fc.oneof(
              fc
                .tuple(fc.constantFrom('S', 'T'), fc.integer({ min: 1, max: 3000 }))
                .map(([p, n]) => `${p}-${n}`),
              fc.constantFrom('S-01', 'S-0', 'X', 'S-4294967297', 'S-2147483647', 'uuid-like-id'),
            ),
          ),
          { maxLength: 300 },
        ),
        (ops) => {
          const seen = new SeenIds({ otherIds: 'forget' });
          const model = new Set<string>();
          for (const [add, x] of ops) {
            // the bitset range: ≤ 2^31 − 1 without leading zeros (others are "other ids")
            const exact = canonical.test(x) && Number(x.slice(x.lastIndexOf('-') + 1)) < 2 ** 31;
            if (add) {
              seen.add(x);
              if (exact) model.add(x);
            } else if (exact) expect(seen.mightHave(x)).toBe(model.has(x));
            else expect(seen.mightHave(x)).toBe(true);
          }
          expect(seen.size).toBe(model.size);
        },
      ),
      { numRuns: 300 },
    );
    const kept = new SeenIds();
    kept.add('uuid-like-id');
    expect(kept.mightHave('uuid-like-id')).toBe(true);
    expect(kept.mightHave('other')).toBe(false);
  });
  it('addIfNew answers !mightHave(id) and records the id like add(id), in both modes (differential)', () => {
    const id = fc.oneof(
      fc
        .tuple(fc.constantFrom('S', 'T', 'SMA-1'), fc.integer({ min: 1, max: 3000 }))
        .map(([p, n]) => `${p}-${n}`),
      fc.constantFrom('S-01', 'S-0', 'X', '-5', 'S-4294967297', 'S-2147483647', 'uuid-like-id'),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom<'keep' | 'forget'>('keep', 'forget'),
        fc.array(fc.tuple(fc.nat(2), id), { maxLength: 300 }),
        (otherIds, ops) => {
          const fast = new SeenIds({ otherIds });
          const ref = new SeenIds({ otherIds });
          for (const [op, x] of ops) {
            if (op === 0) {
              const expected = !ref.mightHave(x);
              ref.add(x);
              expect(fast.addIfNew(x)).toBe(expected);
            } else if (op === 1) expect(fast.add(x)).toBe(ref.add(x));
            else expect([fast.has(x), fast.mightHave(x)]).toEqual([ref.has(x), ref.mightHave(x)]);
            expect(fast.size).toBe(ref.size);
          }
          for (const [, x] of ops) expect(fast.has(x)).toBe(ref.has(x));
        },
      ),
      { numRuns: 300 },
    );
    const s = new SeenIds({ otherIds: 'forget' });
    expect([s.addIfNew('S-7'), s.addIfNew('S-7'), s.has('S-7')]).toEqual([true, false, true]);
    // an id of another form is not stored and is never "certainly new"
    expect([s.addIfNew('S-07'), s.addIfNew('S-07'), s.size]).toEqual([false, false, 1]);
  });
});

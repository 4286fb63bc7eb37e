import fc from 'fast-check';
import { clientOrderId, MAX_CLIENT_ORDER_ID_LENGTH } from '@trading/domain';
import { ClientOrderIdGenerator } from './client-order-id-generator';

describe('ClientOrderIdGenerator', () => {
  it('produces deterministic, unique ids <strategyId>-<seq>', () => {
    const g = new ClientOrderIdGenerator('MOM-1');
    expect([g.next(), g.next(), g.next()]).toEqual(['MOM-1-1', 'MOM-1-2', 'MOM-1-3']);
    expect(g.sequence).toBe(3);
    expect(g.sequenceOf('MOM-1-2')).toBe(2);
    expect(g.sequenceOf('MOM-1-02')).toBeUndefined();
    expect(g.sequenceOf('OTHER-2')).toBeUndefined();
  });

  it('continues after a recovered sequence (restart) without reusing ids', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_]{1,64}$/),
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 1, max: 20 }),
        (sid, start, n) => {
          const a = new ClientOrderIdGenerator(sid, start);
          const before = Array.from({ length: n }, () => a.next());
          const b = new ClientOrderIdGenerator(sid, a.sequence);
          const after = Array.from({ length: n }, () => b.next());
          const all = new Set([...before, ...after]);
          expect(all.size).toBe(2 * n);
          for (const id of all) expect(id.length).toBeLessThanOrEqual(MAX_CLIENT_ORDER_ID_LENGTH);
          const recovered = ClientOrderIdGenerator.recover(sid, [...before, ...after, 'foreign-1']);
          expect(recovered.sequence).toBe(start + 2 * n);
        },
      ),
    );
  });

  it('hands out ids that pass clientOrderId() unchanged (built without re-validating them)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9._:\-/]{1,64}$/),
        fc.oneof(
          fc.integer({ min: 0, max: 1e6 }),
          fc.constant(Number.MAX_SAFE_INTEGER - 3),
          fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - 3 }),
        ),
        (sid, start) => {
          const g = new ClientOrderIdGenerator(sid, start);
          for (let k = 1; k <= 3; k++) {
            const id = g.next();
            expect(id).toBe(`${sid}-${start + k}`);
            expect(clientOrderId(id)).toBe(id);
          }
        },
      ),
    );
  });

  it('validates its inputs', () => {
    expect(() => new ClientOrderIdGenerator('bad id')).toThrow(/strategyId/);
    expect(() => new ClientOrderIdGenerator('S', -1)).toThrow(/lastSequence/);
    expect(() => new ClientOrderIdGenerator('S', Number.MAX_SAFE_INTEGER).next()).toThrow(
      /exhausted/,
    );
  });
});

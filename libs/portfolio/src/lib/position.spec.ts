import fc from 'fast-check';
import { Instrument } from '@trading/domain';
import { OpenPositions, PositionState } from './position';

/**
 * The portfolio keeps its open positions in an intrusive list instead of a Set; equity, exposure
 * and unrealised P&L sum them in list order, so the list must hold exactly what a Set would, in
 * the Set's order (insertion order; re-adding a member keeps its place; a deleted and re-added
 * member goes last).
 */
describe('OpenPositions', () => {
  const positions = Array.from(
    { length: 6 },
    (_, k) => new PositionState(new Instrument({ id: `P${k}.SIM`, tickSize: '0.01' })),
  );
  const list = (l: OpenPositions): string[] => {
    const out: string[] = [];
    for (let p = l.head; p !== null; p = p.nextOpen) out.push(p.id);
    return out;
  };

  it('behaves as a Set of positions (members, order, size) under any adds and deletes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: positions.length - 1 })), {
          maxLength: 60,
        }),
        (ops) => {
          // fresh link fields: the positions are shared between runs
          for (const p of positions) {
            p.isOpen = false;
            p.nextOpen = null;
            p.prevOpen = null;
          }
          const l = new OpenPositions();
          const model = new Set<PositionState>();
          for (const [add, k] of ops) {
            if (add) {
              l.add(positions[k]);
              model.add(positions[k]);
            } else {
              l.delete(positions[k]);
              model.delete(positions[k]);
            }
            const want = [...model].map((p) => p.id);
            expect(list(l)).toEqual(want);
            expect(l.toArray().map((p) => p.id)).toEqual(want);
            expect(l.size).toBe(model.size);
            // the backward links mirror the forward ones
            const back: string[] = [];
            let last = l.head;
            while (last !== null && last.nextOpen !== null) last = last.nextOpen;
            for (let p = last; p !== null; p = p.prevOpen) back.push(p.id);
            expect(back.reverse()).toEqual(want);
            for (const p of positions) expect(p.isOpen).toBe(model.has(p));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

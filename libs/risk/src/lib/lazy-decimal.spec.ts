import { Decimal, TradingDecimal } from '@trading/domain';
import { approx, fcmp } from './fast-compare';
import {
  exactOf,
  lazyDecimal,
  LazyDecimalCell,
  lazyMax,
  LazyMaxCell,
  LazyDecimal,
} from './lazy-decimal';

const dec = (v: string | number): Decimal => new TradingDecimal(v);

/** A LazyDecimal of `d` (estimate = its float, scale = |float| + extra) counting its builds. */
function counted(d: Decimal, extraScale = 0) {
  const calls = { n: 0 };
  const l = lazyDecimal(d.toNumber(), Math.abs(d.toNumber()) + extraScale, () => {
    calls.n++;
    return d;
  });
  return { l, calls };
}

describe('lazyDecimal', () => {
  it('carries the estimate and scale and builds the exact value once, on demand', () => {
    const { l, calls } = counted(dec('12.5'), 100);
    expect([l.value, l.scale]).toEqual([12.5, 112.5]);
    expect(calls.n).toBe(0);
    expect(l.exact().toFixed()).toBe('12.5');
    expect(l.exact().toFixed()).toBe('12.5');
    expect(calls.n).toBe(1);
  });
});

describe('exactOf', () => {
  it('returns a Decimal as is and builds a LazyDecimal', () => {
    const d = dec('3.25');
    expect(exactOf(d)).toBe(d);
    expect(exactOf(counted(d).l)).toBe(d);
  });
});

describe('lazyMax', () => {
  it('estimates max(a, b) with the sum of the scales (a Decimal counts as |its float|)', () => {
    const m = lazyMax(dec('-100'), counted(dec('40'), 1000).l);
    expect([m.value, m.scale]).toEqual([40, 100 + 1040]);
  });

  it('reads only the exact value of the side the floats prove larger', () => {
    const a = counted(dec('100'));
    const b = counted(dec('50'));
    expect(lazyMax(a.l, b.l).exact().toFixed()).toBe('100');
    expect(lazyMax(b.l, a.l).exact().toFixed()).toBe('100');
    expect([a.calls.n, b.calls.n]).toEqual([1, 0]);
  });

  it('compares exactly when the floats are too close to call (ties give the first)', () => {
    const big = dec('100000000000000001'); // 1e17 + 1: the same double as 1e17
    const small = dec('100000000000000000');
    expect(lazyMax(small, counted(big).l).exact()).toBe(big);
    expect(lazyMax(counted(big).l, small).exact()).toBe(big);
    const tieA = dec('7.50');
    const tieB = dec('7.5');
    expect(lazyMax(tieA, tieB).exact()).toBe(tieA);
  });

  it('gives a NaN estimate for a non-finite Decimal', () => {
    const m: LazyDecimal = lazyMax(dec(NaN), dec(1));
    expect(m.value).toBeNaN();
  });
});

describe('LazyDecimalCell', () => {
  it('has a NaN estimate until set, then builds the exact value once per set', () => {
    let exact = dec('1.5');
    let calls = 0;
    const cell = new LazyDecimalCell(() => {
      calls++;
      return exact;
    });
    expect([cell.value, cell.scale]).toEqual([NaN, NaN]);
    expect(cell.set(1.5, 10)).toBe(cell);
    expect([cell.value, cell.scale]).toEqual([1.5, 10]);
    expect(calls).toBe(0);
    expect(cell.exact()).toBe(exact);
    expect(cell.exact()).toBe(exact);
    expect(calls).toBe(1);
    // a new estimate forgets the old exact value
    exact = dec('-2.25');
    cell.set(-2.25, 3);
    expect([cell.value, cell.scale]).toEqual([-2.25, 3]);
    expect(cell.exact().toFixed()).toBe('-2.25');
    expect(calls).toBe(2);
  });
});

describe('LazyMaxCell', () => {
  it('throws when read before it was set', () => {
    const cell = new LazyMaxCell();
    expect([cell.value, cell.scale]).toEqual([NaN, NaN]);
    expect(() => cell.exact()).toThrow('LazyMaxCell: exact() before set()');
  });

  it('gives max(a, b) as lazyMax does, and forgets it on the next set', () => {
    const cell = new LazyMaxCell();
    const a = counted(dec('100'));
    const b = counted(dec('50'), 7);
    expect(cell.set(a.l, b.l)).toBe(cell);
    expect([cell.value, cell.scale]).toEqual([100, 100 + 57]);
    expect(cell.exact().toFixed()).toBe('100');
    expect(cell.exact().toFixed()).toBe('100');
    expect([a.calls.n, b.calls.n]).toEqual([1, 0]);
    // new operands: a new estimate and exact value
    const c = counted(dec('200'));
    cell.set(dec('-5'), c.l);
    expect([cell.value, cell.scale]).toEqual([200, 5 + 200]);
    expect(cell.exact().toFixed()).toBe('200');
    expect(c.calls.n).toBe(1);
    // too close to call in floats: exact comparison, ties give the first
    const tieA = dec('7.50');
    const tieB = dec('7.5');
    expect(cell.set(tieA, tieB).exact()).toBe(tieA);
    const big = dec('100000000000000001');
    expect(cell.set(dec('100000000000000000'), big).exact()).toBe(big);
  });

  it('decides like the closure-based lazyMax it replaced (differential)', () => {
    /** lazyMax before the cells (kept verbatim as the reference). */
    function referenceLazyMax(a: Decimal | LazyDecimal, b: Decimal | LazyDecimal): LazyDecimal {
      const af = a instanceof Decimal ? approx(a) : a.value;
      const bf = b instanceof Decimal ? approx(b) : b.value;
      const as = a instanceof Decimal ? Math.abs(af) : a.scale;
      const bs = b instanceof Decimal ? Math.abs(bf) : b.scale;
      const scale = as + bs;
      return lazyDecimal(Math.max(af, bf), scale, () => {
        const c = fcmp(af, bf, scale);
        if (c > 0) return exactOf(a);
        if (c < 0) return exactOf(b);
        const ad = exactOf(a);
        const bd = exactOf(b);
        return ad.gte(bd) ? ad : bd;
      });
    }
    const cell = new LazyMaxCell();
    const values = ['0', '1', '-1', '7.5', '7.50', '1e17', '100000000000000001', '-3.25', '1e-12'];
    const forms = (d: Decimal): (Decimal | LazyDecimal)[] => [d, counted(d).l, counted(d, 1e6).l];
    let n = 0;
    for (const x of values)
      for (const y of values)
        for (const a of forms(dec(x)))
          for (const b of forms(dec(y))) {
            const ref = referenceLazyMax(a, b);
            cell.set(a, b);
            expect([cell.value, cell.scale]).toEqual([ref.value, ref.scale]);
            expect(cell.exact()).toBe(ref.exact());
            expect(lazyMax(a, b).exact()).toBe(ref.exact());
            n++;
          }
    expect(n).toBe(values.length ** 2 * 9);
  });
});

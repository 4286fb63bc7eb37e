import { Decimal, TradingDecimal } from '@trading/domain';
import { exactOf, lazyDecimal, lazyMax, LazyDecimal } from './lazy-decimal';

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

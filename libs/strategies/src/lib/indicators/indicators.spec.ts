import fc from 'fast-check';
import { ValidationError } from '@trading/domain';
import { Atr, BollingerBands, Crossover, Ema, Highest, Lowest, Macd, Rsi, Sma } from './index';

const closeTo = (a: number, b: number, tol = 1e-9) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Naive EMA reference: SMA seed then recurrence. */
function naiveEma(xs: number[], period: number): number[] {
  const out: number[] = [];
  const a = 2 / (period + 1);
  let e = NaN;
  xs.forEach((x, i) => {
    if (i + 1 < period) out.push(NaN);
    else if (i + 1 === period) out.push((e = mean(xs.slice(0, period))));
    else out.push((e = e + a * (x - e)));
  });
  return out;
}

describe('Sma', () => {
  it('averages the last period values by hand', () => {
    const s = new Sma(3);
    expect(s.update(1)).toBeNaN();
    expect(s.ready).toBe(false);
    expect(s.update(2)).toBeNaN();
    expect(s.update(3)).toBe(2);
    expect(s.ready).toBe(true);
    expect(s.update(10)).toBe(5);
    expect(s.update({ close: 20 })).toBe(11);
    expect(s.count).toBe(5);
    s.reset();
    expect(s.value).toBeNaN();
    expect(s.count).toBe(0);
    s.update(4);
    s.update(4);
    expect(s.update(4)).toBe(4);
  });

  it('rejects bad periods', () => {
    expect(() => new Sma(0)).toThrow(ValidationError);
    expect(() => new Sma(1.5)).toThrow(/period/);
  });

  it('property: equals the naive mean of the last N values within 1e-9 relative', () => {
    // price-like magnitudes (|x| in [1e-6, 1e6] or 0, either sign); subnormals are not prices
    const value = fc.oneof(
      fc.constant(0),
      fc.integer({ min: -100_000_000, max: 100_000_000 }).map((c) => c / 100),
      fc
        .tuple(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), fc.boolean())
        .map(([m, neg]) => (neg ? -m : m)),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(value, { minLength: 1, maxLength: 300 }),
        (period, xs) => {
          const s = new Sma(period);
          let worst = 0;
          xs.forEach((x, i) => {
            const v = s.update(x);
            if (i + 1 < period) {
              if (!Number.isNaN(v)) worst = Infinity;
              return;
            }
            let sum = 0;
            let scale = 0;
            for (let j = i + 1 - period; j <= i; j++) {
              sum += xs[j];
              scale = Math.max(scale, Math.abs(xs[j]));
            }
            const err = Math.abs(v - sum / period) / Math.max(scale, 1e-300);
            if (err > worst) worst = err;
          });
          expect(worst).toBeLessThanOrEqual(1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not drift over a long stream (compensated running sum)', () => {
    const s = new Sma(20);
    const b = new BollingerBands(20);
    const gen = (i: number) => 100 + Math.sin(i * 0.37) * 0.05 + (i % 7) * 0.001;
    const N = 100_000;
    for (let i = 0; i < N; i++) {
      s.update(gen(i));
      b.update(gen(i));
    }
    const win = Array.from({ length: 20 }, (_, k) => gen(N - 20 + k));
    const m = mean(win);
    expect(Math.abs(s.value - m)).toBeLessThan(1e-12);
    expect(Math.abs(b.value - m)).toBeLessThan(1e-12);
    const sd = Math.sqrt(win.reduce((acc, w) => acc + (w - m) ** 2, 0) / 20);
    expect(Math.abs(b.stdev - sd)).toBeLessThan(1e-9);
  });

  it('round-trips its state through JSON exactly', () => {
    const a = new Sma(4);
    [1.1, 2.2, 3.3, 4.4, 5.5, 6.6].forEach((x) => a.update(x));
    const b = new Sma(4);
    b.fromState(JSON.parse(JSON.stringify(a.toState())));
    expect(b.value).toBe(a.value);
    expect(b.ready).toBe(true);
    [7.7, 0.3, 9.1].forEach((x) => expect(b.update(x)).toBe(a.update(x)));
    expect(() => new Sma(5).fromState(a.toState())).toThrow(/period/);
    expect(() => b.fromState({ kind: 'EMA' })).toThrow(/kind/);
    expect(() => b.fromState({ ...(a.toState() as object), buf: [1] })).toThrow(ValidationError);
  });
});

describe('Ema', () => {
  it('is seeded with the SMA of the first period values, then smooths (hand computed)', () => {
    const e = new Ema(3); // alpha = 0.5
    expect(e.update(2)).toBeNaN();
    expect(e.update(4)).toBeNaN();
    expect(e.update(6)).toBe(4); // seed (2+4+6)/3
    expect(e.ready).toBe(true);
    expect(e.update(8)).toBe(6); // 4 + .5(8-4)
    expect(e.update({ close: 2 })).toBe(4); // 6 + .5(2-6)
    expect(e.alpha).toBe(0.5);
  });

  it('matches an independent implementation on a longer array', () => {
    const xs = Array.from({ length: 60 }, (_, i) => 100 + Math.sin(i / 3) * 5 + i * 0.1);
    const ref = naiveEma(xs, 10);
    const e = new Ema(10);
    xs.forEach((x, i) =>
      Number.isNaN(ref[i]) ? expect(e.update(x)).toBeNaN() : closeTo(e.update(x), ref[i], 1e-12),
    );
  });

  it('state round-trip and reset', () => {
    const a = new Ema(5);
    [1, 2, 3].forEach((x) => a.update(x));
    const b = new Ema(5);
    b.fromState(JSON.parse(JSON.stringify(a.toState())));
    [4, 5, 6, 7].forEach((x) => expect(b.update(x)).toBe(a.update(x)));
    a.reset();
    expect(a.ready).toBe(false);
    expect(a.count).toBe(0);
  });
});

describe('Rsi', () => {
  it('hand-computed period 3', () => {
    const r = new Rsi(3);
    // closes 1,2,3,2 → changes +1,+1,-1 → avgGain 2/3, avgLoss 1/3 → RS 2 → RSI 66.67
    [1, 2, 3].forEach((x) => expect(r.update(x)).toBeNaN());
    closeTo(r.update(2), 100 - 100 / 3);
    expect(r.ready).toBe(true);
    // +1: avgGain (2/3·2+1)/3 = 7/9, avgLoss (1/3·2)/3 = 2/9 → RS 3.5 → 77.78
    closeTo(r.update(3), 100 - 100 / 4.5);
    closeTo(r.avgGain, 7 / 9);
    closeTo(r.avgLoss, 2 / 9);
  });

  it('reproduces the classic Wilder/StockCharts 14-period example', () => {
    const closes = [
      44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61,
      46.28, 46.28, 46.0, 46.03, 46.41, 46.22, 45.64,
    ];
    const r = new Rsi(14);
    const out = closes.map((c) => r.update(c));
    expect(out.slice(0, 14).every(Number.isNaN)).toBe(true);
    // StockCharts "RSI" spreadsheet (Wilder's method), 2 decimals
    [70.46, 66.25, 66.48, 69.35, 66.29, 57.92].forEach((v, i) =>
      expect(out[14 + i]).toBeCloseTo(v, 2),
    );
  });

  it('flat market is 50, only gains is 100, only losses is 0', () => {
    const flat = new Rsi(2);
    [5, 5, 5].forEach((x) => flat.update(x));
    expect(flat.value).toBe(50);
    const up = new Rsi(2);
    [1, 2, 3, 4].forEach((x) => up.update(x));
    expect(up.value).toBe(100);
    const down = new Rsi(2);
    [4, 3, 2, 1].forEach((x) => down.update(x));
    expect(down.value).toBe(0);
  });

  it('state round-trip (mid warm-up and after) and reset', () => {
    const xs = [10, 11, 10.5, 12, 11, 11.5, 13, 12, 12.5, 14];
    for (const cut of [1, 3, 6]) {
      const a = new Rsi(4);
      xs.slice(0, cut).forEach((x) => a.update(x));
      const b = new Rsi(4);
      b.fromState(JSON.parse(JSON.stringify(a.toState())));
      xs.slice(cut).forEach((x) => expect(b.update({ close: x })).toBe(a.update(x)));
    }
    const r = new Rsi(4);
    xs.forEach((x) => r.update(x));
    r.reset();
    expect(r.value).toBeNaN();
    expect(r.count).toBe(0);
  });
});

describe('Atr', () => {
  it('true range and Wilder smoothing (hand computed)', () => {
    const a = new Atr(2);
    expect(a.update({ high: 10, low: 8, close: 9 })).toBeNaN(); // TR 2
    expect(a.trueRange).toBe(2);
    expect(a.update({ high: 12, low: 10, close: 11 })).toBe(2.5); // TR max(2, |12-9|=3, |10-9|=1) = 3 → seed (2+3)/2
    expect(a.ready).toBe(true);
    expect(a.update({ high: 11, low: 6, close: 7 })).toBe(3.75); // TR max(5, 0, 5)=5 → (2.5·1+5)/2
    expect(a.update({ high: 15, low: 14, close: 14 })).toBe((3.75 + 8) / 2); // gap up: |15-7| = 8
    const b = new Atr(2);
    b.fromState(JSON.parse(JSON.stringify(a.toState())));
    expect(b.update({ high: 14, low: 13, close: 13 })).toBe(
      a.update({ high: 14, low: 13, close: 13 }),
    );
    a.reset();
    expect(a.value).toBeNaN();
    expect(a.count).toBe(0);
  });
});

describe('BollingerBands', () => {
  it('middle ± k population stdev (hand computed)', () => {
    const b = new BollingerBands(4, 2);
    [2, 4, 4, 4].forEach((x) => b.update(x));
    // mean 3.5, population var ((1.5²)+3·0.5²)/4 = 0.75
    closeTo(b.middle, 3.5);
    closeTo(b.stdev, Math.sqrt(0.75));
    closeTo(b.upper, 3.5 + 2 * Math.sqrt(0.75));
    closeTo(b.lower, 3.5 - 2 * Math.sqrt(0.75));
    b.update(5); // window 4,4,4,5 → mean 4.25 var (3·.0625 + .5625)/4 = .1875
    closeTo(b.value, 4.25);
    closeTo(b.stdev, Math.sqrt(0.1875));
    expect(() => new BollingerBands(4, 0)).toThrow(/k/);
  });

  it('property: matches a naive two-pass computation on long streams (incl. resync)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 30 }),
        fc.array(fc.double({ min: 50, max: 150, noNaN: true }), {
          minLength: 1,
          maxLength: 1500,
          size: 'max',
        }),
        (period, xs) => {
          const b = new BollingerBands(period, 2.5);
          let worst = 0;
          xs.forEach((x, i) => {
            b.update(x);
            if (i + 1 < period) return expect(b.ready).toBe(false);
            const win = xs.slice(i + 1 - period, i + 1);
            const m = mean(win);
            const sd = Math.sqrt(win.reduce((s, w) => s + (w - m) ** 2, 0) / period);
            if (Math.abs(b.middle - m) > 1e-12 * 150) worst = Infinity;
            // variance to 1e-12 of the squared scale (the stdev itself is a sqrt: near 0 it amplifies ulps)
            if (Math.abs(b.stdev ** 2 - sd ** 2) > 1e-12 * 150 ** 2) worst = Infinity;
            if (Math.abs(b.upper - (m + 2.5 * sd)) > 1e-4) worst = Infinity;
          });
          expect(worst).toBe(0);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('state round-trip and reset', () => {
    const a = new BollingerBands(3);
    [1, 5, 2, 8, 3].forEach((x) => a.update(x));
    const b = new BollingerBands(3);
    b.fromState(JSON.parse(JSON.stringify(a.toState())));
    expect(b.upper).toBe(a.upper);
    [4, 9, 1].forEach((x) => {
      expect(b.update(x)).toBe(a.update(x));
      expect(b.stdev).toBe(a.stdev);
    });
    expect(() => new BollingerBands(3, 1).fromState(a.toState())).toThrow(/k/);
    a.reset();
    expect(a.ready).toBe(false);
    expect(a.count).toBe(0);
  });
});

describe('Macd', () => {
  it('matches independent EMAs', () => {
    const xs = Array.from({ length: 80 }, (_, i) => 50 + 10 * Math.sin(i / 7) + (i % 5));
    const f = naiveEma(xs, 5);
    const s = naiveEma(xs, 12);
    const macdLine = xs.map((_, i) => f[i] - s[i]);
    const defined = macdLine.slice(11);
    const sigRef = naiveEma(defined, 4);
    const m = new Macd(5, 12, 4);
    xs.forEach((x, i) => {
      const v = m.update(x);
      if (i < 11) return expect(v).toBeNaN();
      closeTo(v, macdLine[i], 1e-12);
      const sig = sigRef[i - 11];
      if (Number.isNaN(sig)) return expect(m.ready).toBe(false);
      expect(m.ready).toBe(true);
      closeTo(m.signal, sig, 1e-12);
      closeTo(m.histogram, macdLine[i] - sig, 1e-12);
    });
    expect(m.macd).toBe(m.value);
    expect(m.count).toBe(80);
    // ready exactly after slow + signal - 1 inputs
    const r = new Macd(5, 12, 4);
    xs.slice(0, 14).forEach((x) => r.update(x));
    expect(r.ready).toBe(false);
    r.update(xs[14]);
    expect(r.ready).toBe(true);
  });

  it('validates fast < slow and round-trips state', () => {
    expect(() => new Macd(26, 12, 9)).toThrow(/fast/);
    const a = new Macd(3, 6, 3);
    [1, 3, 2, 5, 4, 7, 6, 9].forEach((x) => a.update(x));
    const b = new Macd(3, 6, 3);
    b.fromState(JSON.parse(JSON.stringify(a.toState())));
    expect(b.histogram).toBe(a.histogram);
    expect(b.count).toBe(a.count);
    [8, 11, 10].forEach((x) => {
      expect(b.update(x)).toBe(a.update(x));
      expect(b.signal).toBe(a.signal);
    });
    a.reset();
    expect(a.value).toBeNaN();
    expect(a.ready).toBe(false);
  });
});

describe('Crossover', () => {
  it('reports up/down on sign change of the last non-zero difference; touching is not crossing', () => {
    const c = new Crossover();
    expect(c.update(1, 2)).toBeNull(); // arms (below)
    expect(c.update(2, 2)).toBeNull(); // touch
    expect(c.update(1.5, 2)).toBeNull(); // back below: no cross
    expect(c.update(2, 2)).toBeNull(); // touch
    expect(c.update(3, 2)).toBe('up'); // through the touch to above: one cross
    expect(c.update(NaN, 2)).toBeNull(); // not ready: ignored
    expect(c.update(4, 2)).toBeNull();
    expect(c.update(1, 2)).toBe('down');
    expect(c.side).toBe(-1);
    const d = new Crossover();
    d.fromState(JSON.parse(JSON.stringify(c.toState())));
    expect(d.update(3, 2)).toBe('up');
    expect(() => d.fromState({ kind: 'CROSS', lastSign: 2 })).toThrow(ValidationError);
    d.reset();
    expect(d.side).toBe(0);
  });

  it('property: never reports a cross on touch-and-return', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-9, max: 1e6, noNaN: true })), {
          minLength: 1,
          maxLength: 100,
        }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        (above, mags, b) => {
          const c = new Crossover();
          const sign = above ? 1 : -1;
          for (const m of mags) {
            const a = m === 0 ? b : b + sign * Math.max(m, Math.abs(b) * 1e-12 + 1e-9);
            expect(c.update(a, b)).toBeNull();
          }
        },
      ),
    );
  });

  it('property: reports exactly the sign changes of the non-zero differences', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 200 }), (ds) => {
        const c = new Crossover();
        let last = 0;
        for (const d of ds) {
          const got = c.update(d, 0);
          const s = Math.sign(d);
          const want = s !== 0 && last !== 0 && s !== last ? (s > 0 ? 'up' : 'down') : null;
          if (s !== 0) last = s;
          expect(got).toBe(want);
        }
      }),
    );
  });
});

describe('Lowest / Highest', () => {
  it('property: equals the naive min/max of the window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 200 }),
        (p, xs) => {
          const lo = new Lowest(p);
          const hi = new Highest(p);
          xs.forEach((x, i) => {
            lo.update(x);
            hi.update({ close: x });
            const win = xs.slice(Math.max(0, i + 1 - p), i + 1);
            expect(lo.partial).toBe(Math.min(...win));
            if (i + 1 < p) return expect(lo.value).toBeNaN();
            expect(lo.value).toBe(Math.min(...win));
            expect(hi.value).toBe(Math.max(...win));
            expect(lo.ready).toBe(true);
          });
        },
      ),
    );
  });

  it('state round-trip and reset', () => {
    const a = new Lowest(3);
    [5, 3, 4, 6].forEach((x) => a.update(x));
    const b = new Lowest(3);
    b.fromState(JSON.parse(JSON.stringify(a.toState())));
    [7, 8, 2, 9].forEach((x) => expect(b.update(x)).toBe(a.update(x)));
    expect(b.count).toBe(8);
    expect(() => b.fromState(new Highest(3).toState())).toThrow(/kind/);
    expect(() =>
      b.fromState({ kind: 'LOWEST', period: 3, total: 1, value: null, vals: [1, 2], seqs: [1] }),
    ).toThrow(ValidationError);
    a.reset();
    expect(a.partial).toBeNaN();
  });
});

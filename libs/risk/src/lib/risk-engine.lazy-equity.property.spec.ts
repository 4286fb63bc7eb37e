import fc from 'fast-check';
import { Decimal, OrderSide, OrderType, parseTimestamp, TradingDecimal } from '@trading/domain';
import { riskRequest, ALWAYS_OPEN } from '../testing';
import { RiskContext, RiskDecision } from './risk-check.port';
import { ESTIMATE_MAX_ERROR, LazyDecimal, lazyDecimal, lazyMax } from './lazy-decimal';
import { RiskEngine } from './risk-engine';
import { RiskEvent } from './risk-events';

/**
 * ADR 0005 milestone 5: a context whose equity is a float estimate (with its error scale) and a
 * lazily built exact decimal must decide exactly like the all-decimal context, and must not build
 * the decimal when every equity-based limit is clearly inside.
 *
 * Each run places the equity relative to ONE target limit (drawdown, daily loss, position % of
 * equity): exactly AT it, or a relative distance r ∈ {1e-15 … 1e-2} inside or outside of it, while
 * the other two limits are clearly inside. The equity is split into cash plus up to four large
 * offsetting terms (up to 10⁴ × the equity's magnitude), so |equity| is small against the error
 * scale, and the estimate is additionally pushed by up to 0.9 × the allowed error
 * (ESTIMATE_MAX_ERROR × scale) in a random direction: the engine must be right for any estimate the
 * contract allows, not just for the one a float sum happens to give.
 */

const T0 = parseTimestamp('2024-01-03T15:00:00Z');
const dec = (v: string | number | bigint): Decimal => new TradingDecimal(String(v));
const cents = (n: number): Decimal => dec(n).div(100);

type Target = 'drawdown' | 'dailyLoss' | 'positionPct';
/** Relative distance from the limit (0 = exactly AT it). */
const R_VALUES = [0, 1e-15, 1e-12, 1e-10, 1e-9, 1e-8, 1e-6, 1e-4, 1e-2];
/** "Clearly inside": every comparison is decided in floats, whatever the offsets. */
const CLEARLY = 1e-2;

interface Case {
  target: Target;
  /** Relative distance from the target limit, and on which side. */
  r: number;
  inside: boolean;
  base: Decimal;
  ddPct: number;
  pctOfEquity: number;
  lossFraction: Decimal;
  qty: number;
  priceCents: number;
  multiplier: 1 | 10;
  offsets: Decimal[];
  /** Push of the estimate, in units of the allowed error (−0.9 … 0.9). */
  push: number;
  /** Equity as a LazyDecimal (else a plain Decimal). */
  equityLazy: boolean;
  /** peakEquity: lazyMax(recorded, equity) as the kernel builds it, an independent estimate, or a Decimal. */
  peakForm: 'max' | 'own' | 'decimal';
  /** Offsets and push of the independent peak estimate. */
  peakOffsets: Decimal[];
  peakPush: number;
}

// Offsetting terms, as factors of `base`: ± 0 … 1e4 with odd digits (inexact float copies).
const offsetsArb = fc.array(
  fc
    .tuple(
      fc.boolean(),
      fc.bigInt({ min: 0n, max: 10_000_000_000_000n }),
      fc.integer({ min: 1, max: 99 }),
    )
    .map(([neg, nano, c]) => {
      const f = dec(nano).div(1_000_000_000).add(dec(c).div(7).toDecimalPlaces(9));
      return neg ? f.neg() : f;
    }),
  { maxLength: 4 },
);
const pushArb = fc.constantFrom(0, 0.9, -0.9, 0.5, -0.3);

const caseArb: fc.Arbitrary<Case> = fc.record({
  target: fc.constantFrom<Target>('drawdown', 'dailyLoss', 'positionPct'),
  r: fc.constantFrom(0, ...R_VALUES),
  inside: fc.boolean(),
  base: fc.bigInt({ min: 10_000_000n, max: 10_000_000_000n }).map((n) => dec(n).div(100)), // 1e5 … 1e8
  ddPct: fc.constantFrom(5, 10, 20, 50),
  pctOfEquity: fc.constantFrom(10, 20, 25, 50),
  lossFraction: fc.integer({ min: 1, max: 50 }).map((n) => dec(n).div(100)),
  qty: fc.integer({ min: 1, max: 5 }),
  priceCents: fc.integer({ min: 1, max: 1000 }),
  multiplier: fc.constantFrom<1 | 10>(1, 10),
  offsets: offsetsArb,
  push: pushArb,
  equityLazy: fc.constantFrom(true, true, true, false),
  peakForm: fc.constantFrom<Case['peakForm']>('max', 'max', 'own', 'decimal'),
  peakOffsets: offsetsArb,
  peakPush: pushArb,
});

interface Built {
  config: { maxDrawdownPct: number; dailyLossLimit: Decimal; maxPositionPctOfEquity: number };
  equity: Decimal;
  recordedPeak: Decimal;
  sod: Decimal;
  qty: number;
  price: Decimal;
  multiplier: Decimal;
}

/** Places the equity against the target limit; the other two limits are clearly inside. */
function build(c: Case): Built {
  const dd = dec(c.ddPct).div(100);
  const keep = dec(1).sub(dd);
  const pct = dec(c.pctOfEquity).div(100);
  const sign = c.inside ? 1 : -1;
  const price = cents(c.priceCents);
  const multiplier = dec(c.multiplier);
  let qty = c.qty;
  let equity: Decimal;
  let recordedPeak: Decimal;
  let sod: Decimal;
  let loss: Decimal;
  switch (c.target) {
    case 'drawdown': {
      // Trips when equity ≤ peak × keep; inside = above the floor.
      recordedPeak = c.base;
      const floor = recordedPeak.mul(keep);
      equity = floor.add(floor.mul(c.r).mul(sign));
      sod = equity;
      loss = equity.mul(c.lossFraction);
      break;
    }
    case 'dailyLoss': {
      // Trips when sod − equity ≥ limit; inside = a smaller loss.
      sod = c.base;
      loss = sod.mul(c.lossFraction);
      const atLimit = sod.sub(loss);
      equity = atLimit.add(atLimit.mul(c.r).mul(sign));
      recordedPeak = equity.mul(dec('0.999')); // below equity: no drawdown
      break;
    }
    case 'positionPct': {
      // Rejects when notional > pct × equity; inside = more equity. Notional ≈ base × pct.
      const unit = price.mul(multiplier);
      qty = Math.max(1, Math.round(c.base.mul(pct).div(unit).toNumber()));
      const notional = unit.mul(qty);
      const atLimit = notional.div(pct); // exact: pct ∈ {0.1, 0.2, 0.25, 0.5}
      equity = atLimit.add(atLimit.mul(c.r).mul(sign));
      recordedPeak = equity;
      sod = equity;
      loss = equity.mul(c.lossFraction);
      break;
    }
  }
  return {
    config: {
      maxDrawdownPct: c.ddPct,
      dailyLossLimit: loss,
      maxPositionPctOfEquity: c.pctOfEquity,
    },
    equity,
    recordedPeak,
    sod,
    qty,
    price,
    multiplier,
  };
}

/** The float estimate of equity = cash + Σ offsets, as a portfolio would compute it, then pushed. */
function estimate(equity: Decimal, base: Decimal, factors: Decimal[], push: number) {
  const offsets = factors.map((f) => f.mul(base));
  const cash = offsets.reduce((acc, t) => acc.sub(t), equity);
  let value = cash.toNumber();
  let scale = Math.abs(value);
  for (const t of offsets) {
    const f = t.toNumber();
    value += f;
    scale += Math.abs(f);
  }
  const p = push * ESTIMATE_MAX_ERROR * scale;
  return { value: value + p, scale: scale + Math.abs(p) };
}

interface Outcome {
  decision: RiskDecision;
  events: RiskEvent[];
  mode: string;
}

function run(b: Built, ctxOf: () => RiskContext): Outcome {
  const events: RiskEvent[] = [];
  const engine = RiskEngine.create(b.config, { onEvent: (e) => events.push(e) });
  const decision = engine.check(
    riskRequest({
      ts: T0,
      side: OrderSide.BUY,
      type: OrderType.LIMIT,
      quantity: b.qty,
      price: b.price,
    }),
    ctxOf(),
  );
  return { decision, events, mode: engine.mode };
}

function contextBase(b: Built) {
  return {
    position: dec(0),
    openPositions: 0,
    lastPrice: b.price,
    multiplier: b.multiplier,
    startOfDayEquity: b.sod,
    tradingHours: ALWAYS_OPEN,
  };
}

/** The context in the estimate forms of `c`, counting the exact builds. */
function lazyContext(b: Built, c: Case, counts: { equity: number; peak: number }): RiskContext {
  let equity: Decimal | LazyDecimal = b.equity;
  if (c.equityLazy) {
    const est = estimate(b.equity, c.base, c.offsets, c.push);
    equity = lazyDecimal(est.value, est.scale, () => {
      counts.equity++;
      return b.equity;
    });
  }
  const exactPeak = b.recordedPeak.gte(b.equity) ? b.recordedPeak : b.equity;
  let peakEquity: Decimal | LazyDecimal = exactPeak;
  if (c.peakForm === 'max') {
    const m = lazyMax(b.recordedPeak, equity);
    peakEquity = lazyDecimal(m.value, m.scale, () => {
      counts.peak++;
      return m.exact();
    });
  } else if (c.peakForm === 'own') {
    const est = estimate(exactPeak, c.base, c.peakOffsets, c.peakPush);
    peakEquity = lazyDecimal(est.value, est.scale, () => {
      counts.peak++;
      return exactPeak;
    });
  }
  return { ...contextBase(b), equity, peakEquity };
}

describe('RiskEngine: float equity estimate + lazy decimal vs all-decimal context (property)', () => {
  it('decides identically (decision, message, events, mode), builds the decimal AT a limit and never when clearly inside', () => {
    const seen = { at: 0, clearlyInside: 0, built: 0, notBuilt: 0, rejected: 0 };
    fc.assert(
      fc.property(caseArb, (c) => {
        const b = build(c);
        const exact = run(b, () => ({
          ...contextBase(b),
          equity: b.equity,
          peakEquity: b.recordedPeak.gte(b.equity) ? b.recordedPeak : b.equity,
        }));
        const counts = { equity: 0, peak: 0 };
        const lazy = run(b, () => lazyContext(b, c, counts));
        expect(lazy).toEqual(exact);
        const builds = counts.equity + counts.peak;
        if (!exact.decision.approved) seen.rejected++;
        if (builds > 0) seen.built++;
        else seen.notBuilt++;
        const peakLazy = c.peakForm !== 'decimal';
        if (c.r === 0 && (c.target === 'drawdown' ? c.equityLazy || peakLazy : c.equityLazy)) {
          // AT the limit floats cannot decide: the exact decimal must have been built.
          seen.at++;
          expect(builds).toBeGreaterThan(0);
        }
        if (c.inside && c.r >= CLEARLY) {
          // Clearly inside every limit: approved without ever building a decimal.
          seen.clearlyInside++;
          expect(exact.decision).toEqual({ approved: true });
          expect(builds).toBe(0);
        }
        // Memoised: each exact value is built at most once per check.
        expect(counts.equity).toBeLessThanOrEqual(1);
        expect(counts.peak).toBeLessThanOrEqual(1);
      }),
      { numRuns: 5000 },
    );
    // The generator really produced all kinds of cases.
    expect(seen.at).toBeGreaterThan(100);
    expect(seen.clearlyInside).toBeGreaterThan(50);
    expect(seen.built).toBeGreaterThan(100);
    expect(seen.notBuilt).toBeGreaterThan(100);
    expect(seen.rejected).toBeGreaterThan(100);
  });

  it('AT each limit: the boundary rule holds in both forms (drawdown and daily loss trip, % of equity passes)', () => {
    const outcomes = (['drawdown', 'dailyLoss', 'positionPct'] as const).map((target) => {
      const c: Case = {
        target,
        r: 0,
        inside: true,
        base: dec('123456.78'),
        ddPct: 20,
        pctOfEquity: 25,
        lossFraction: dec('0.1'),
        qty: 1,
        priceCents: 1234,
        multiplier: 10,
        offsets: [dec('9876.54321123456'), dec('-5555.555555555')],
        push: 0.9,
        equityLazy: true,
        peakForm: 'max',
        peakOffsets: [],
        peakPush: 0,
      };
      const b = build(c);
      const counts = { equity: 0, peak: 0 };
      const o = run(b, () => lazyContext(b, c, counts));
      const builds = counts.equity;
      return { target, reason: o.decision.approved ? 'APPROVED' : o.decision.reason, builds };
    });
    expect(outcomes).toEqual([
      { target: 'drawdown', reason: 'MAX_DRAWDOWN', builds: 1 },
      { target: 'dailyLoss', reason: 'DAILY_LOSS_LIMIT', builds: 1 },
      { target: 'positionPct', reason: 'APPROVED', builds: 1 },
    ]);
  });
});

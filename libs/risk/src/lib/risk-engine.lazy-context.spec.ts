import { Decimal, parseTimestamp, TradingDecimal } from '@trading/domain';
import { riskContext, riskRequest } from '../testing';
import { RiskContext, RiskDecision } from './risk-check.port';
import { lazyDecimal, lazyMax } from './lazy-decimal';
import { RiskEngine } from './risk-engine';
import { RiskReasonCode as R } from './risk-reason';

const T0 = parseTimestamp('2024-01-03T15:00:00Z');
const dec = (v: string | number): Decimal => new TradingDecimal(v);

function rejected(d: RiskDecision, reason: R, message: RegExp): void {
  expect(d).toEqual({ approved: false, reason, message: expect.stringMatching(message) });
}

/** An equity of 100,000 as cash −9,900,000 + positions 10,000,000: |equity| ≪ scale. */
function offsetEquity(exact: () => unknown = () => dec(100000)) {
  const calls = { n: 0 };
  const l = lazyDecimal(-9_900_000 + 10_000_000, 19_900_000, () => {
    calls.n++;
    return exact() as Decimal;
  });
  return { l, calls };
}

describe('RiskEngine: equity and peak equity as LazyDecimal', () => {
  const engine = () =>
    RiskEngine.create({ maxDrawdownPct: 20, dailyLossLimit: 1000, maxPositionPctOfEquity: 10 });
  const check = (e: RiskEngine, ctx: Partial<Record<keyof RiskContext, unknown>>) =>
    e.check(riskRequest({ ts: T0 }), { ...riskContext(), ...ctx } as RiskContext);

  it('approves from the estimate alone, without building the decimal', () => {
    const { l, calls } = offsetEquity();
    expect(check(engine(), { equity: l, peakEquity: lazyMax(dec(100000), l) })).toEqual({
      approved: true,
    });
    expect(calls.n).toBe(0);
  });

  it('builds the decimal (once) for a rejection message and when floats cannot decide', () => {
    const e = engine();
    const { l, calls } = offsetEquity();
    rejected(
      check(e, { equity: l, startOfDayEquity: dec(101000) }),
      R.DAILY_LOSS_LIMIT,
      /daily loss 1000 \(equity 100000 vs start of day 101000\) is at or beyond the limit 1000/,
    );
    expect(calls.n).toBe(1);
    const dd = offsetEquity();
    rejected(
      check(engine(), { equity: dd.l, peakEquity: lazyMax(dec(125000), dd.l) }),
      R.MAX_DRAWDOWN,
      /drawdown 20% \(equity 100000, peak 125000\)/,
    );
    expect(dd.calls.n).toBe(1);
    // Position % of equity (10 % of 100,000 = 10,000): beyond is decided in floats, then the message
    // needs the decimal; exactly AT the cap floats cannot decide.
    const beyond = offsetEquity();
    rejected(
      engine().check(riskRequest({ ts: T0, quantity: '100.01' }), {
        ...riskContext(),
        equity: beyond.l,
      }),
      R.MAX_POSITION_PCT,
      /position notional would be 10001, above 10% of equity 100000 = 10000/,
    );
    const at = offsetEquity();
    expect(
      engine().check(riskRequest({ ts: T0, quantity: 100 }), { ...riskContext(), equity: at.l }),
    ).toEqual({ approved: true });
    expect([beyond.calls.n, at.calls.n]).toEqual([1, 1]);
  });

  it.each<[string, unknown]>([
    ['a number', 100000],
    ['null', null],
    ['a NaN estimate', { value: NaN, scale: 1, exact: () => dec(1) }],
    ['an infinite scale', { value: 1, scale: Infinity, exact: () => dec(1) }],
    ['a NaN scale', { value: 1, scale: NaN, exact: () => dec(1) }],
    ['a scale below |value|', { value: -5, scale: 4, exact: () => dec(-5) }],
    ['a text estimate', { value: '5', scale: 10, exact: () => dec(5) }],
    ['a text scale', { value: 5, scale: '10', exact: () => dec(5) }],
    ['no exact()', { value: 5, scale: 10 }],
  ])('rejects equity given as %s with INVALID_CONTEXT', (_name, equity) => {
    rejected(check(engine(), { equity }), R.INVALID_CONTEXT, /must be finite decimals/);
    rejected(check(engine(), { peakEquity: equity }), R.INVALID_CONTEXT, /must be finite decimals/);
  });

  it('names the estimate (not its exact value) when another context field is invalid', () => {
    const { l, calls } = offsetEquity();
    rejected(
      check(engine(), { equity: l, peakEquity: l, position: 'x' }),
      R.INVALID_CONTEXT,
      /got \["~100000 \(error scale 19900000\)","x","100000","~100000 \(error scale 19900000\)"\]/,
    );
    expect(calls.n).toBe(0);
  });

  it.each<[string, () => unknown, RegExp]>([
    [
      'not a Decimal',
      () => 100000,
      /equity estimate 100000 \(error scale 19900000\) does not match its exact value "100000"/,
    ],
    ['NaN', () => dec(NaN), /does not match its exact value "NaN"/],
    [
      'off by more than the tolerance',
      () => dec('100000.0001'),
      /does not match its exact value "100000.0001"/,
    ],
  ])('fails closed (INVALID_CONTEXT) when the exact value is %s', (_name, exact, message) => {
    const e = engine();
    const { l } = offsetEquity(exact);
    rejected(check(e, { equity: l, startOfDayEquity: dec(101000) }), R.INVALID_CONTEXT, message);
    expect(e.mode).toBe('ACTIVE');
  });

  it('accepts an exact value within the tolerance of the estimate', () => {
    const { l } = offsetEquity(() => dec('99999.99999999')); // 1e-8 ≤ 1e-12 × 19,900,000
    rejected(
      check(engine(), { equity: l, startOfDayEquity: dec(101000) }),
      R.DAILY_LOSS_LIMIT,
      /daily loss 1000.00000001 /,
    );
  });

  it('fails closed with RISK_CHECK_FAILED when building the exact value throws', () => {
    const { l } = offsetEquity(() => {
      throw new Error('portfolio offline');
    });
    rejected(
      check(engine(), { equity: l, startOfDayEquity: dec(101000) }),
      R.RISK_CHECK_FAILED,
      /risk check failed closed: portfolio offline/,
    );
  });

  it('reads the estimate afresh at every check (no stale exact value across checks)', () => {
    const e = engine();
    const a = offsetEquity(() => dec(100000));
    expect(check(e, { equity: a.l })).toEqual({ approved: true });
    const b = offsetEquity(() => dec(100000));
    rejected(
      check(e, { equity: b.l, startOfDayEquity: dec(101000) }),
      R.DAILY_LOSS_LIMIT,
      /daily loss 1000/,
    );
    expect([a.calls.n, b.calls.n]).toEqual([0, 1]);
  });
});

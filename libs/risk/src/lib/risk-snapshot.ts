import { ValidationError } from '@trading/domain';
import { RateCountersSnapshot } from './order-rate-limiter';
import { RiskState, TradingMode } from './risk-events';

/** Everything the risk engine needs to survive a restart (plain JSON). */
export interface RiskSnapshot {
  /** Format version. */
  readonly version: 1;
  /** Event-sourced trading state (mode, since, reason). */
  readonly state: RiskState;
  /** Submission counters for orders/day and orders/second. */
  readonly counters: RateCountersSnapshot;
}

const MODES: ReadonlySet<unknown> = new Set(Object.values(TradingMode));

function need(ok: boolean, field: string, value: unknown, expectation: string): void {
  if (!ok) throw new ValidationError(`riskSnapshot.${field}`, value, expectation);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const isMs = (v: unknown): boolean => Number.isSafeInteger(v);
const isMsOrNull = (v: unknown): boolean => v === null || isMs(v);
const isTextOrNull = (v: unknown): boolean => v === null || typeof v === 'string';

/**
 * Validates a persisted risk snapshot (untrusted JSON from disk); throws ValidationError naming the
 * bad field. Returns the same data typed.
 */
export function parseRiskSnapshot(input: unknown): RiskSnapshot {
  need(isObject(input), '', input, 'must be an object');
  const s = input as Record<string, unknown>;
  need(s['version'] === 1, 'version', s['version'], 'must be 1');
  const st = s['state'];
  need(isObject(st), 'state', st, 'must be an object');
  const state = st as Record<string, unknown>;
  need(MODES.has(state['mode']), 'state.mode', state['mode'], 'must be ACTIVE, REDUCING or HALTED');
  need(isMsOrNull(state['since']), 'state.since', state['since'], 'must be epoch ms or null');
  need(isTextOrNull(state['reason']), 'state.reason', state['reason'], 'must be a string or null');
  need(
    isTextOrNull(state['message']),
    'state.message',
    state['message'],
    'must be a string or null',
  );
  const c = s['counters'];
  need(isObject(c), 'counters', c, 'must be an object');
  const counters = c as Record<string, unknown>;
  const day = counters['day'];
  need(isTextOrNull(day), 'counters.day', day, 'must be a yyyy-MM-dd string or null');
  const started = day !== null;
  need(
    started ? isMs(counters['dayStart']) : counters['dayStart'] === null,
    'counters.dayStart',
    counters['dayStart'],
    'must be epoch ms (null only before the first day)',
  );
  need(
    started ? isMs(counters['dayEnd']) : counters['dayEnd'] === null,
    'counters.dayEnd',
    counters['dayEnd'],
    'must be epoch ms (null only before the first day)',
  );
  const n = counters['dayCount'];
  need(
    Number.isSafeInteger(n) && (n as number) >= 0,
    'counters.dayCount',
    n,
    'must be a non-negative integer',
  );
  const recent = counters['recent'];
  need(
    Array.isArray(recent) && recent.every(isMs),
    'counters.recent',
    recent,
    'must be an array of epoch ms',
  );
  return {
    version: 1,
    state: {
      mode: state['mode'] as TradingMode,
      since: state['since'] as number | null,
      reason: state['reason'] as string | null,
      message: state['message'] as string | null,
    },
    counters: {
      dayStart: counters['dayStart'] as number | null,
      dayEnd: counters['dayEnd'] as number | null,
      day: day as string | null,
      dayCount: n as number,
      recent: [...(recent as number[])],
    },
  };
}

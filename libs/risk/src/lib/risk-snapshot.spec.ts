import { ValidationError } from '@trading/domain';
import { parseRiskSnapshot, RiskSnapshot } from './risk-snapshot';

const valid: RiskSnapshot = {
  version: 1,
  state: { mode: 'HALTED', since: 5, reason: 'MAX_DRAWDOWN', message: 'dd' },
  counters: { dayStart: 0, dayEnd: 86_400_000, day: '1970-01-01', dayCount: 3, recent: [1, 2, 3] },
};
const clone = (): Record<string, any> => JSON.parse(JSON.stringify(valid));

describe('parseRiskSnapshot', () => {
  it('accepts a valid snapshot and one before the first day', () => {
    expect(parseRiskSnapshot(clone())).toEqual(valid);
    const fresh = {
      version: 1,
      state: { mode: 'ACTIVE', since: null, reason: null, message: null },
      counters: { dayStart: null, dayEnd: null, day: null, dayCount: 0, recent: [] },
    };
    expect(parseRiskSnapshot(fresh)).toEqual(fresh);
  });

  const bad: Array<[string, (s: Record<string, any>) => unknown]> = [
    ['not an object', () => 'x'],
    ['version', (s) => ((s.version = 2), s)],
    ['state', (s) => ((s.state = null), s)],
    ['state.mode', (s) => ((s.state.mode = 'PAUSED'), s)],
    ['state.since', (s) => ((s.state.since = 'now'), s)],
    ['state.reason', (s) => ((s.state.reason = 1), s)],
    ['state.message', (s) => ((s.state.message = {}), s)],
    ['counters', (s) => ((s.counters = []), s)],
    ['counters.day', (s) => ((s.counters.day = 20240101), s)],
    ['counters.dayStart', (s) => ((s.counters.dayStart = null), s)],
    ['counters.dayStart (no day)', (s) => ((s.counters.day = null), s)],
    ['counters.dayEnd', (s) => ((s.counters.dayEnd = 1.5), s)],
    ['counters.dayEnd (no day)', (s) => ((s.counters.day = null), (s.counters.dayStart = null), s)],
    ['counters.dayCount', (s) => ((s.counters.dayCount = -1), s)],
    ['counters.dayCount type', (s) => ((s.counters.dayCount = '3'), s)],
    ['counters.recent', (s) => ((s.counters.recent = [1, 'x']), s)],
    ['counters.recent type', (s) => ((s.counters.recent = 'x'), s)],
  ];
  it.each(bad)('rejects a bad %s with a ValidationError naming the field', (_name, mutate) => {
    expect(() => parseRiskSnapshot(mutate(clone()))).toThrow(ValidationError);
    expect(() => parseRiskSnapshot(mutate(clone()))).toThrow(/^riskSnapshot\./);
  });
});

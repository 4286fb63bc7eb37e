import { StateError } from '@trading/domain';
import { applyRiskEvent, INITIAL_RISK_STATE, RiskEvent, RiskState } from './risk-events';

const reducing: RiskEvent = {
  type: 'RiskStateChanged',
  from: 'ACTIVE',
  to: 'REDUCING',
  reason: 'DAILY_LOSS_LIMIT',
  message: 'loss',
  ts: 10,
};
const tripped: RiskEvent = {
  type: 'KillSwitchTripped',
  from: 'REDUCING',
  reason: 'MAX_DRAWDOWN',
  message: 'dd',
  ts: 20,
  action: 'CANCEL_ALL',
};
const reset: RiskEvent = { type: 'KillSwitchReset', operator: 'alice', reason: 'reviewed', ts: 30 };

describe('applyRiskEvent', () => {
  it('folds a valid history ACTIVE → REDUCING → HALTED → ACTIVE', () => {
    const s1 = applyRiskEvent(INITIAL_RISK_STATE, reducing);
    expect(s1).toEqual({
      mode: 'REDUCING',
      since: 10,
      reason: 'DAILY_LOSS_LIMIT',
      message: 'loss',
    });
    const s2 = applyRiskEvent(s1, tripped);
    expect(s2).toEqual({ mode: 'HALTED', since: 20, reason: 'MAX_DRAWDOWN', message: 'dd' });
    const s3 = applyRiskEvent(s2, reset);
    expect(s3).toEqual({
      mode: 'ACTIVE',
      since: 30,
      reason: 'KILL_SWITCH_RESET',
      message: 'kill switch reset by alice: reviewed',
    });
    expect(JSON.parse(JSON.stringify([reducing, tripped, reset]))).toEqual([
      reducing,
      tripped,
      reset,
    ]);
  });

  it('rejects events that do not fit the state (out-of-order or corrupt log)', () => {
    const halted: RiskState = { mode: 'HALTED', since: 1, reason: 'x', message: 'y' };
    expect(() => applyRiskEvent(halted, reducing)).toThrow(StateError);
    expect(() => applyRiskEvent(INITIAL_RISK_STATE, tripped)).toThrow(
      /KillSwitchTripped from REDUCING does not apply in state ACTIVE/,
    );
    expect(() => applyRiskEvent(INITIAL_RISK_STATE, reset)).toThrow(
      /KillSwitchReset does not apply in state ACTIVE/,
    );
    expect(() =>
      applyRiskEvent(INITIAL_RISK_STATE, { type: 'Bogus' } as unknown as RiskEvent),
    ).toThrow(/unknown risk event type "Bogus"/);
  });
});

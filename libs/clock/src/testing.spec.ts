import { ValidationError } from '@trading/domain';
import { fixedClock, ManualClock } from './testing';
import { SimulatedClock } from './index';

describe('@trading/clock/testing', () => {
  it('fixedClock accepts ms or an ISO timestamp with offset', () => {
    expect(fixedClock(123).now()).toBe(123);
    expect(fixedClock('2024-01-02T14:30:00Z').now()).toBe(Date.UTC(2024, 0, 2, 14, 30));
    expect(() => fixedClock('2024-01-02T14:30:00')).toThrow(ValidationError);
  });

  it('ManualClock is the SimulatedClock', () => {
    const c: ManualClock = new ManualClock(5);
    expect(c).toBeInstanceOf(SimulatedClock);
    c.advanceBy(5);
    expect(c.now()).toBe(10);
  });
});

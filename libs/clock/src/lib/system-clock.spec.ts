import { StateError, ValidationError } from '@trading/domain';
import type { TimeEvent } from './clock.port';
import { SystemClock } from './system-clock';

describe('SystemClock', () => {
  let clock: SystemClock;
  beforeEach(() => {
    clock = new SystemClock();
  });
  afterEach(() => clock.dispose());

  it('reads wall-clock time in ms and ns consistently', () => {
    const before = Date.now();
    const ms = clock.now();
    const ns = clock.nowNs();
    const after = Date.now();
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
    const nsMs = Number(ns / 1_000_000n);
    expect(nsMs).toBeGreaterThanOrEqual(before);
    expect(nsMs).toBeLessThanOrEqual(after);
    for (let i = 0; i < 1000; i++) {
      const b = Date.now();
      const m = Number(clock.nowNs() / 1_000_000n);
      const a = Date.now();
      expect(m >= b && m <= a).toBe(true);
    }
  });

  it('fires an alert once, not before its time', async () => {
    const at = clock.now() + 20;
    const event = await new Promise<TimeEvent>((resolve) => clock.setTimeAlert('a', at, resolve));
    expect(event.name).toBe('a');
    expect(event.scheduledAt).toBe(at);
    expect(event.firedAt).toBeGreaterThanOrEqual(at);
    expect(clock.timerNames()).toEqual([]);
  });

  it('repeats a timer on its grid until stopAt', async () => {
    const start = clock.now() + 10;
    const events: TimeEvent[] = [];
    await new Promise<void>((resolve) => {
      clock.setTimer(
        't',
        15,
        (e) => {
          events.push(e);
          if (e.scheduledAt === start + 30) resolve();
        },
        { startAt: start, stopAt: start + 30 },
      );
    });
    expect(events.map((e) => e.scheduledAt)).toEqual([start, start + 15, start + 30]);
    for (const e of events) expect(e.firedAt).toBeGreaterThanOrEqual(e.scheduledAt);
    expect(clock.timerNames()).toEqual([]);
  });

  it('skips missed intervals when the event loop was blocked', async () => {
    const events: TimeEvent[] = [];
    const start = clock.now() + 5;
    let handle = { id: 0, name: 't' };
    const two = new Promise<void>((resolve) => {
      handle = clock.setTimer(
        't',
        10,
        (e) => {
          events.push(e);
          if (events.length === 2) resolve();
        },
        { startAt: start },
      );
    });
    const until = start + 60;
    while (Date.now() < until) {
      /* block the loop for ~6 intervals */
    }
    await two;
    clock.cancelTimer({ id: handle.id, name: 't' }); // a look-alike object is not the handle: ignored
    expect(clock.timerNames()).toEqual(['t']);
    clock.cancelTimer(handle);
    expect(clock.timerNames()).toEqual([]);
    expect(events[0].scheduledAt).toBe(start);
    expect(events[0].firedAt).toBeGreaterThanOrEqual(until);
    // the next occurrence is the first grid point after the late fire: missed ones were skipped
    expect((events[1].scheduledAt - start) % 10).toBe(0);
    expect(events[1].scheduledAt).toBeGreaterThan(events[0].firedAt);
    expect(events[1].scheduledAt - events[0].firedAt).toBeLessThanOrEqual(10);
  });

  it('cancelTimer stops a timer; names are unique while active', async () => {
    let fired = 0;
    const h = clock.setTimer('t', 5, () => fired++);
    expect(() => clock.setTimeAlert('t', clock.now() + 100, () => undefined)).toThrow(
      ValidationError,
    );
    expect(clock.timerNames()).toEqual(['t']);
    clock.cancelTimer(h);
    clock.cancelTimer(h);
    expect(clock.timerNames()).toEqual([]);
    await clock.sleep(25);
    expect(fired).toBe(0);
    expect(() => clock.cancelTimer(undefined as any)).toThrow(ValidationError);
  });

  it('validates inputs', () => {
    const noop = () => undefined;
    expect(() => clock.setTimeAlert('past', clock.now() - 1000, noop)).toThrow(/past/);
    expect(() => clock.setTimer('z', 0, noop)).toThrow(ValidationError);
    expect(() => clock.sleep(1.5)).toThrow(ValidationError);
  });

  it('sleep resolves after the delay', async () => {
    const t0 = Date.now();
    await clock.sleep(15);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(14);
  });

  it('dispose cancels timers, rejects sleeps, and refuses new work', async () => {
    let fired = 0;
    clock.setTimer('t', 5, () => fired++);
    clock.setTimeAlert('a', clock.now() + 5, () => fired++);
    const sleeping = clock.sleep(10_000);
    clock.dispose();
    clock.dispose();
    await expect(sleeping).rejects.toBeInstanceOf(StateError);
    expect(clock.timerNames()).toEqual([]);
    expect(() => clock.setTimeAlert('b', clock.now() + 5, () => undefined)).toThrow(StateError);
    expect(() => clock.sleep(1)).toThrow(StateError);
    await new Promise((r) => setTimeout(r, 20));
    expect(fired).toBe(0);
  });

  it('reports callback errors to onCallbackError and keeps the timer running', async () => {
    const errors: unknown[] = [];
    const c = new SystemClock({
      onCallbackError: (e, ev) => errors.push([e, ev.name]),
      unrefTimers: false,
    });
    let calls = 0;
    await new Promise<void>((resolve) => {
      c.setTimer('bad', 5, () => {
        calls++;
        if (calls === 2) resolve();
        throw new Error('x');
      });
    });
    c.dispose();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(2);
    expect((errors[0] as [Error, string])[1]).toBe('bad');
  });

  it('rethrows callback errors without onCallbackError', () => {
    jest.useFakeTimers({ doNotFake: ['hrtime', 'performance'] });
    try {
      const c = new SystemClock();
      c.setTimeAlert('bad', c.now() + 5, () => {
        throw new Error('boom');
      });
      expect(() => jest.advanceTimersByTime(10)).toThrow('boom');
      c.dispose();
    } finally {
      jest.useRealTimers();
    }
  });

  it('chains waits longer than the setTimeout limit', () => {
    jest.useFakeTimers({ doNotFake: ['hrtime', 'performance'] });
    try {
      const c = new SystemClock();
      const at = c.now() + 30 * 86_400_000; // > 2^31-1 ms
      const events: TimeEvent[] = [];
      c.setTimeAlert('far', at, (e) => events.push(e));
      jest.advanceTimersByTime(2_147_483_647);
      expect(events).toHaveLength(0);
      expect(c.timerNames()).toEqual(['far']);
      jest.advanceTimersByTime(30 * 86_400_000 - 2_147_483_647);
      expect(events).toHaveLength(1);
      expect(events[0].scheduledAt).toBe(at);
      c.dispose();
    } finally {
      jest.useRealTimers();
    }
  });
});

import { StateError, ValidationError } from '@trading/domain';
import fc from 'fast-check';
import type { TimeEvent } from './clock.port';
import { SimulatedClock } from './simulated-clock';

const T0 = Date.UTC(2024, 0, 2, 14, 30);

describe('SimulatedClock', () => {
  it('starts at the given time and reports ns', () => {
    const c = new SimulatedClock(T0);
    expect(c.now()).toBe(T0);
    expect(c.nowNs()).toBe(BigInt(T0) * 1_000_000n);
    expect(c.nextEventTime()).toBeNull();
    expect(() => new SimulatedClock(1.5)).toThrow(ValidationError);
  });

  it('fires alerts in time order, ties in scheduling order, with now() == event time', () => {
    const c = new SimulatedClock(0);
    const log: string[] = [];
    const cb = (e: TimeEvent) => log.push(`${e.name}@${e.scheduledAt}/${e.firedAt}/${c.now()}`);
    c.setTimeAlert('c', 30, cb);
    c.setTimeAlert('a', 10, cb);
    c.setTimeAlert('b1', 20, cb);
    c.setTimeAlert('b2', 20, cb);
    c.setTimeAlert('b0', 20, cb);
    expect(c.nextEventTime()).toBe(10);
    expect(c.advanceTo(20)).toBe(4);
    expect(log).toEqual(['a@10/10/10', 'b1@20/20/20', 'b2@20/20/20', 'b0@20/20/20']);
    expect(c.now()).toBe(20);
    expect(c.timerNames()).toEqual(['c']);
    c.advanceTo(100);
    expect(log).toHaveLength(5);
    expect(c.now()).toBe(100);
    expect(c.timerNames()).toEqual([]);
  });

  it('repeating timers fire on the grid until stopAt (inclusive), then become inactive', () => {
    const c = new SimulatedClock(1000);
    const times: number[] = [];
    c.setTimer('t', 100, (e) => times.push(e.scheduledAt), { stopAt: 1400 });
    c.advanceTo(1250);
    expect(times).toEqual([1100, 1200]);
    expect(c.timerNames()).toEqual(['t']);
    c.advanceTo(5000);
    expect(times).toEqual([1100, 1200, 1300, 1400]);
    expect(c.timerNames()).toEqual([]);
  });

  it('honours startAt, including startAt == now', () => {
    const c = new SimulatedClock(1000);
    const times: number[] = [];
    c.setTimer('t', 50, (e) => times.push(e.scheduledAt), { startAt: 1000, stopAt: 1100 });
    c.advanceTo(1000);
    expect(times).toEqual([1000]);
    c.advanceBy(200);
    expect(times).toEqual([1000, 1050, 1100]);
  });

  it('re-armed timer occurrences are ordered after events scheduled before they re-armed', () => {
    const c = new SimulatedClock(0);
    const log: string[] = [];
    c.setTimer('rep', 10, (e) => log.push(`rep@${e.scheduledAt}`));
    c.setTimeAlert('alert20', 20, (e) => log.push(`alert@${e.scheduledAt}`));
    c.advanceTo(20);
    // rep@20 was scheduled when rep@10 fired, i.e. after alert20 was scheduled.
    expect(log).toEqual(['rep@10', 'alert@20', 'rep@20']);
  });

  it('callbacks may schedule new events that fire within the same advance, in order', () => {
    const c = new SimulatedClock(0);
    const log: string[] = [];
    c.setTimeAlert('a', 10, () => {
      log.push(`a@${c.now()}`);
      c.setTimeAlert('same-time', 10, () => log.push(`same@${c.now()}`));
      c.setTimeAlert('later', 15, () => {
        log.push(`later@${c.now()}`);
        c.setTimeAlert('chain', 40, () => log.push(`chain@${c.now()}`));
      });
      c.setTimeAlert('beyond', 60, () => log.push(`beyond@${c.now()}`));
    });
    c.setTimeAlert('b', 20, () => log.push(`b@${c.now()}`));
    c.advanceTo(50);
    expect(log).toEqual(['a@10', 'same@10', 'later@15', 'b@20', 'chain@40']);
    expect(c.timerNames()).toEqual(['beyond']);
    expect(c.nextEventTime()).toBe(60);
  });

  it('callbacks may cancel other timers and themselves', () => {
    const c = new SimulatedClock(0);
    const log: string[] = [];
    const victim = c.setTimeAlert('victim', 20, () => log.push('victim'));
    let self = c.setTimer('self', 5, (e) => {
      log.push(`self@${e.scheduledAt}`);
      if (e.scheduledAt === 15) c.cancelTimer(self);
    });
    c.setTimeAlert('killer', 10, () => {
      log.push('killer');
      c.cancelTimer(victim);
    });
    c.advanceTo(100);
    // self@10 was re-armed (at 5) after killer was scheduled (at 0), so killer fires first at 10
    expect(log).toEqual(['self@5', 'killer', 'self@10', 'self@15']);
    expect(c.timerNames()).toEqual([]);
    expect(c.nextEventTime()).toBeNull();
    // a fired alert's name can be reused; the stale handle then no longer cancels anything
    self = c.setTimeAlert('victim', 200, () => log.push('victim2'));
    c.cancelTimer(victim);
    c.advanceTo(200);
    expect(log[log.length - 1]).toBe('victim2');
  });

  it('a finished timer frees its name for use inside its own last callback', () => {
    const c = new SimulatedClock(0);
    const log: number[] = [];
    c.setTimeAlert('x', 10, () => {
      log.push(c.now());
      c.setTimeAlert('x', 20, () => log.push(c.now()));
    });
    c.advanceTo(30);
    expect(log).toEqual([10, 20]);
  });

  it('rejects duplicate active names, bad inputs and past times', () => {
    const c = new SimulatedClock(100);
    const noop = () => undefined;
    c.setTimeAlert('dup', 200, noop);
    expect(() => c.setTimeAlert('dup', 300, noop)).toThrow(
      /name: must not be the name of an active timer.*"dup"/,
    );
    expect(() => c.setTimer('dup', 10, noop)).toThrow(ValidationError);
    expect(() => c.setTimeAlert('', 300, noop)).toThrow(ValidationError);
    expect(() => c.setTimeAlert('p', 99, noop)).toThrow(/must not be in the past/);
    expect(() => c.setTimeAlert('n', NaN, noop)).toThrow(ValidationError);
    expect(() => c.setTimeAlert('f', 150.5, noop)).toThrow(ValidationError);
    expect(() => c.setTimeAlert('cb', 150, null as any)).toThrow(ValidationError);
    expect(() => c.setTimer('i0', 0, noop)).toThrow(/intervalMs: must be > 0/);
    expect(() => c.setTimer('ineg', -5, noop)).toThrow(ValidationError);
    expect(() => c.setTimer('ifrac', 1.5, noop)).toThrow(ValidationError);
    expect(() => c.setTimer('opts', 10, noop, 5 as any)).toThrow(ValidationError);
    expect(() => c.setTimer('start', 10, noop, { startAt: 50 })).toThrow(ValidationError);
    expect(() => c.setTimer('stop', 10, noop, { stopAt: 105 })).toThrow(/stopAt/);
    expect(() => c.setTimer('stopNaN', 10, noop, { stopAt: NaN })).toThrow(ValidationError);
    expect(() => c.sleep(-1)).toThrow(ValidationError);
    expect(() => c.cancelTimer(null as any)).toThrow(ValidationError);
    expect(c.timerNames()).toEqual(['dup']);
  });

  it('never moves backwards and refuses re-entrant advancing', () => {
    const c = new SimulatedClock(100);
    expect(() => c.advanceTo(99)).toThrow(/backwards/);
    expect(() => c.advanceBy(-1)).toThrow(ValidationError);
    let inner: unknown;
    c.setTimeAlert('a', 150, () => {
      try {
        c.advanceTo(160);
      } catch (e) {
        inner = e;
      }
      expect(() => c.setTime(170)).toThrow(StateError);
    });
    c.advanceTo(200);
    expect(inner).toBeInstanceOf(StateError);
    expect(c.now()).toBe(200);
  });

  it('a throwing callback propagates, leaves the clock at its time and keeps later events', () => {
    const c = new SimulatedClock(0);
    const log: string[] = [];
    c.setTimeAlert('boom', 10, () => {
      throw new Error('boom');
    });
    c.setTimeAlert('after', 20, () => log.push('after'));
    expect(() => c.advanceTo(30)).toThrow('boom');
    expect(c.now()).toBe(10);
    expect(c.timerNames()).toEqual(['after']);
    c.advanceTo(30);
    expect(log).toEqual(['after']);
  });

  it('setTime jumps without firing but refuses to skip pending events', () => {
    const c = new SimulatedClock(100);
    c.setTime(50);
    expect(c.now()).toBe(50);
    c.setTimeAlert('a', 80, () => undefined);
    c.setTime(80);
    expect(c.now()).toBe(80);
    expect(() => c.setTime(81)).toThrow(StateError);
    expect(() => c.setTime(1.5)).toThrow(ValidationError);
  });

  it('sleep resolves when the clock reaches the wake time', async () => {
    const c = new SimulatedClock(0);
    await expect(c.sleep(0)).resolves.toBeUndefined();
    let woke = -1;
    const p = c.sleep(100).then(() => {
      woke = c.now();
    });
    expect(c.nextEventTime()).toBe(100);
    expect(c.pendingCount()).toBe(1);
    expect(c.timerNames()).toEqual([]);
    c.advanceTo(99);
    await Promise.resolve();
    expect(woke).toBe(-1);
    c.advanceTo(150);
    await p;
    expect(woke).toBe(150);
    expect(c.pendingCount()).toBe(0);
  });

  it('cancelling many timers compacts the heap and keeps order', () => {
    const c = new SimulatedClock(0);
    const fired: number[] = [];
    const handles = Array.from({ length: 5000 }, (_, i) =>
      c.setTimeAlert(`t${i}`, 1 + (i % 100), () => fired.push(i)),
    );
    for (let i = 0; i < 5000; i++) if (i % 5 !== 0) c.cancelTimer(handles[i]);
    expect(c.pendingCount()).toBe(1000);
    c.cancelTimer(handles[1]); // stale: no-op
    c.advanceTo(1000);
    const expected = Array.from({ length: 1000 }, (_, k) => k * 5).sort(
      (a, b) => (a % 100) - (b % 100) || a - b,
    );
    expect(fired).toEqual(expected);
  });

  it('ignores handles of another clock', () => {
    const a = new SimulatedClock(0);
    const b = new SimulatedClock(0);
    const ha = a.setTimeAlert('x', 10, () => undefined);
    b.setTimeAlert('x', 10, () => undefined);
    b.cancelTimer(ha);
    expect(b.timerNames()).toEqual(['x']);
  });

  it('fires 1,000,000 timers in exact (time, insertion) order', () => {
    const N = 1_000_000;
    const MAX_T = 50_000; // ~20 ties per distinct time
    const c = new SimulatedClock(0);
    const times = new Int32Array(N);
    const fired = new Int32Array(N);
    let k = 0;
    const cb = (e: TimeEvent) => {
      fired[k++] = Number(e.name);
    };
    let seed = 12345;
    for (let i = 0; i < N; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      times[i] = 1 + (seed % MAX_T);
      c.setTimeAlert(String(i), times[i], cb);
    }
    expect(c.pendingCount()).toBe(N);
    expect(c.advanceTo(MAX_T + 1)).toBe(N);
    expect(k).toBe(N);
    // Expected order by counting sort: bucket by time, indices ascending within a bucket.
    const start = new Int32Array(MAX_T + 2);
    for (let i = 0; i < N; i++) start[times[i] + 1]++;
    for (let t = 1; t <= MAX_T + 1; t++) start[t] += start[t - 1];
    const expected = new Int32Array(N);
    for (let i = 0; i < N; i++) expected[start[times[i]]++] = i;
    let firstMismatch = -1;
    for (let i = 0; i < N; i++) {
      if (fired[i] !== expected[i]) {
        firstMismatch = i;
        break;
      }
    }
    expect(firstMismatch).toBe(-1);
    expect(fired[0]).toBe(expected[0]);
  }, 180_000);

  it('property: fire order equals a stable sort by time, for random alerts and timers', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            at: fc.integer({ min: 0, max: 50 }),
            interval: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
          }),
          {
            maxLength: 40,
          },
        ),
        fc.integer({ min: 0, max: 120 }),
        (specs, until) => {
          const c = new SimulatedClock(0);
          const got: string[] = [];
          // Reference model: a naive list scan.
          const model: { name: string; time: number; seq: number; interval?: number }[] = [];
          let seq = 0;
          specs.forEach((s, i) => {
            const name = `n${i}`;
            const cb = (e: TimeEvent) => {
              expect(c.now()).toBe(e.scheduledAt);
              got.push(`${e.name}@${e.scheduledAt}`);
            };
            if (s.interval === undefined) c.setTimeAlert(name, s.at, cb);
            else c.setTimer(name, s.interval, cb, { startAt: s.at });
            model.push({ name, time: s.at, seq: seq++, interval: s.interval });
          });
          const want: string[] = [];
          for (;;) {
            let best = -1;
            for (let j = 0; j < model.length; j++) {
              const m = model[j];
              if (
                m.time <= until &&
                (best < 0 ||
                  m.time < model[best].time ||
                  (m.time === model[best].time && m.seq < model[best].seq))
              )
                best = j;
            }
            if (best < 0) break;
            const m = model[best];
            want.push(`${m.name}@${m.time}`);
            if (m.interval === undefined) model.splice(best, 1);
            else {
              m.time += m.interval;
              m.seq = seq++;
            }
          }
          c.advanceTo(until);
          expect(got).toEqual(want);
        },
      ),
    );
  });
});

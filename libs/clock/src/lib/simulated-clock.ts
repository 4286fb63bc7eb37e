import { StateError, ValidationError } from '@trading/domain';
import type { Clock, TimeEvent, TimeEventCallback, TimerHandle, TimerOptions } from './clock.port';
import { TimerHeap } from './timer-heap';
import { assertInteger, checkAlert, checkSleep, checkTimer } from './validation';

/** A scheduled alert, timer or sleep inside a {@link SimulatedClock}. */
class SimEntry implements TimerHandle {
  cancelled = false;
  constructor(
    readonly id: number,
    readonly name: string,
    public time: number,
    public seq: number,
    /** 0 for one-shot alerts and sleeps. */
    readonly interval: number,
    /** Inclusive; Infinity when none. */
    readonly stopAt: number,
    readonly callback: TimeEventCallback | null,
    readonly wake: (() => void) | null,
  ) {}
}

/** Compaction kicks in when cancelled entries exceed this count and half the heap. */
const COMPACT_MIN = 1024;

/**
 * Deterministic clock for backtests and tests. Time moves only through {@link advanceTo},
 * {@link advanceBy} or {@link setTime}. Due events fire in `(time, scheduling order)` order; during a
 * callback `now()` equals the event's time; callbacks may schedule and cancel, and events that become
 * due fire within the same advance. Timers live in a binary heap keyed by (time, seq).
 */
export class SimulatedClock implements Clock {
  private nowMs: number;
  private seq = 0;
  private nextId = 1;
  private firing = false;
  private cancelledInHeap = 0;
  private readonly heap = new TimerHeap<SimEntry>();
  private readonly active = new Map<string, SimEntry>();

  /** @param startMs initial time, UTC epoch ms (integer). */
  constructor(startMs: number) {
    this.nowMs = assertInteger('startMs', startMs, 'an integer epoch-millisecond timestamp');
  }

  /** Current simulated time (UTC ms). */
  now(): number {
    return this.nowMs;
  }

  /** Current simulated time in nanoseconds. */
  nowNs(): bigint {
    return BigInt(this.nowMs) * 1_000_000n;
  }

  /** Schedules a one-shot alert at `at` (≥ now). */
  setTimeAlert(name: string, at: number, callback: TimeEventCallback): TimerHandle {
    checkAlert(name, at, callback, this.nowMs, this.active);
    const e = new SimEntry(this.nextId++, name, at, this.seq++, 0, Infinity, callback, null);
    this.active.set(name, e);
    this.heap.push(e);
    return e;
  }

  /** Schedules a repeating timer (see {@link Clock.setTimer}). */
  setTimer(
    name: string,
    intervalMs: number,
    callback: TimeEventCallback,
    opts?: TimerOptions,
  ): TimerHandle {
    const { first, stopAt } = checkTimer(name, intervalMs, callback, opts, this.nowMs, this.active);
    const e = new SimEntry(
      this.nextId++,
      name,
      first,
      this.seq++,
      intervalMs,
      stopAt,
      callback,
      null,
    );
    this.active.set(name, e);
    this.heap.push(e);
    return e;
  }

  /** Cancels an active timer or alert; stale or foreign handles are ignored. */
  cancelTimer(handle: TimerHandle): void {
    if (handle === null || typeof handle !== 'object')
      throw new ValidationError('handle', handle, 'must be a TimerHandle');
    const e = this.active.get(handle.name);
    if (e === undefined || e !== handle) return;
    e.cancelled = true;
    this.active.delete(e.name);
    this.cancelledInHeap++;
    if (this.cancelledInHeap > COMPACT_MIN && this.cancelledInHeap * 2 > this.heap.size) {
      this.heap.rebuild((x) => !x.cancelled);
      this.cancelledInHeap = 0;
    }
  }

  /** Names of active timers and alerts, sorted. */
  timerNames(): string[] {
    return [...this.active.keys()].sort();
  }

  /**
   * Resolves once the clock has been advanced to `now + ms` (immediately for 0). The awaiting code
   * continues in a microtask, i.e. after the advancing call returns.
   */
  sleep(ms: number): Promise<void> {
    checkSleep(ms);
    if (ms === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.heap.push(
        new SimEntry(this.nextId++, '', this.nowMs + ms, this.seq++, 0, Infinity, null, resolve),
      );
    });
  }

  /** Time of the earliest pending event (timer, alert or sleep), or null when none. */
  nextEventTime(): number | null {
    const top = this.peekLive();
    return top === undefined ? null : top.time;
  }

  /** Number of pending events (timers, alerts and sleeps). */
  pendingCount(): number {
    return this.heap.size - this.cancelledInHeap;
  }

  /**
   * Moves time forward to `ts`, firing every event due at or before `ts` in (time, scheduling)
   * order. Returns the number of events fired. Throws a `ValidationError` if `ts` is before now and a
   * `StateError` when called from inside a callback. If a callback throws, the error propagates, the
   * clock stays at that event's time and later events stay pending.
   */
  advanceTo(ts: number): number {
    assertInteger('ts', ts, 'an integer epoch-millisecond timestamp');
    if (ts < this.nowMs)
      throw new ValidationError(
        'ts',
        ts,
        `must not move the clock backwards (now is ${this.nowMs})`,
      );
    if (this.firing)
      throw new StateError('SimulatedClock.advanceTo called from inside a timer callback', { ts });
    this.firing = true;
    let fired = 0;
    try {
      const heap = this.heap;
      for (;;) {
        const e = heap.peek();
        if (e === undefined) break;
        if (e.cancelled) {
          heap.pop();
          this.cancelledInHeap--;
          continue;
        }
        if (e.time > ts) break;
        heap.pop();
        fired++;
        this.fire(e);
      }
      this.nowMs = ts;
    } finally {
      this.firing = false;
    }
    return fired;
  }

  /** Advances by `ms` (non-negative integer); see {@link advanceTo}. */
  advanceBy(ms: number): number {
    assertInteger('ms', ms);
    if (ms < 0) throw new ValidationError('ms', ms, 'must be >= 0');
    return this.advanceTo(this.nowMs + ms);
  }

  /**
   * Sets the time to `ts` (either direction) without firing anything. Throws a `StateError` if a
   * pending event is due before `ts` (use {@link advanceTo}) or when called inside a callback.
   */
  setTime(ts: number): void {
    assertInteger('ts', ts, 'an integer epoch-millisecond timestamp');
    if (this.firing)
      throw new StateError('SimulatedClock.setTime called from inside a timer callback', { ts });
    const next = this.nextEventTime();
    if (next !== null && next < ts) {
      throw new StateError(
        `SimulatedClock.setTime(${ts}) would skip an event due at ${next}; use advanceTo`,
        { ts, next },
      );
    }
    this.nowMs = ts;
  }

  private peekLive(): SimEntry | undefined {
    const heap = this.heap;
    let e = heap.peek();
    while (e !== undefined && e.cancelled) {
      heap.pop();
      this.cancelledInHeap--;
      e = heap.peek();
    }
    return e;
  }

  private fire(e: SimEntry): void {
    const at = e.time;
    this.nowMs = at;
    if (e.wake !== null) {
      e.wake();
      return;
    }
    if (e.interval > 0 && at + e.interval <= e.stopAt) {
      e.time = at + e.interval;
      e.seq = this.seq++;
      this.heap.push(e);
    } else {
      this.active.delete(e.name);
    }
    (e.callback as TimeEventCallback)({
      name: e.name,
      scheduledAt: at,
      firedAt: at,
    } satisfies TimeEvent);
  }
}

import { StateError, ValidationError } from '@trading/domain';
import type { Clock, TimeEvent, TimeEventCallback, TimerHandle, TimerOptions } from './clock.port';
import { checkAlert, checkSleep, checkTimer } from './validation';

/** Largest delay Node's setTimeout accepts; longer waits are chained. */
const MAX_DELAY = 2_147_483_647;

/** Options of a {@link SystemClock}. */
export interface SystemClockOptions {
  /** Unref timer/alert handles so they never keep the process alive (default true). Sleeps are never unref'ed. */
  unrefTimers?: boolean;
  /**
   * Called when a timer callback throws (the timer keeps running). Without it the error is rethrown
   * from the timer task, i.e. it reaches the process's `uncaughtException` handling.
   */
  onCallbackError?: (error: unknown, event: TimeEvent) => void;
}

/** A scheduled alert, timer or sleep inside a {@link SystemClock}. */
class SysEntry implements TimerHandle {
  cancelled = false;
  handle: ReturnType<typeof setTimeout> | undefined;
  constructor(
    readonly id: number,
    readonly name: string,
    public time: number,
    readonly interval: number,
    readonly stopAt: number,
    readonly callback: TimeEventCallback | null,
    readonly wake: (() => void) | null,
    readonly unref: boolean,
  ) {}
}

/**
 * Real wall-clock time (`Date.now()`) with timers on Node's `setTimeout`. Repeating timers stay on
 * the `first + k·interval` grid and skip intervals missed while the event loop was blocked.
 * `dispose()` cancels every timer and rejects pending sleeps.
 */
export class SystemClock implements Clock {
  private nextId = 1;
  private disposed = false;
  private readonly active = new Map<string, SysEntry>();
  private readonly sleeps = new Map<SysEntry, (e: Error) => void>();
  private readonly unrefTimers: boolean;
  private readonly onCallbackError: ((error: unknown, event: TimeEvent) => void) | undefined;
  private anchorNs: bigint;
  private anchorHr: bigint;

  constructor(opts: SystemClockOptions = {}) {
    this.unrefTimers = opts.unrefTimers ?? true;
    this.onCallbackError = opts.onCallbackError;
    this.anchorNs = BigInt(Date.now()) * 1_000_000n;
    this.anchorHr = process.hrtime.bigint();
  }

  /** Wall-clock time, UTC epoch ms. */
  now(): number {
    return Date.now();
  }

  /**
   * Wall-clock time in ns: the millisecond of `Date.now()` refined with the monotonic high-resolution
   * timer (re-anchored whenever the two disagree by a millisecond or more).
   */
  nowNs(): bigint {
    const hr = process.hrtime.bigint();
    const wall = BigInt(Date.now()) * 1_000_000n;
    const ns = this.anchorNs + (hr - this.anchorHr);
    if (ns >= wall && ns < wall + 1_000_000n) return ns;
    this.anchorNs = wall;
    this.anchorHr = hr;
    return wall;
  }

  /** Fires `callback` once at `at` (≥ now). */
  setTimeAlert(name: string, at: number, callback: TimeEventCallback): TimerHandle {
    this.assertLive();
    checkAlert(name, at, callback, Date.now(), this.active);
    const e = new SysEntry(this.nextId++, name, at, 0, Infinity, callback, null, this.unrefTimers);
    this.active.set(name, e);
    this.arm(e);
    return e;
  }

  /** Repeating timer (see {@link Clock.setTimer}). */
  setTimer(
    name: string,
    intervalMs: number,
    callback: TimeEventCallback,
    opts?: TimerOptions,
  ): TimerHandle {
    this.assertLive();
    const { first, stopAt } = checkTimer(name, intervalMs, callback, opts, Date.now(), this.active);
    const e = new SysEntry(
      this.nextId++,
      name,
      first,
      intervalMs,
      stopAt,
      callback,
      null,
      this.unrefTimers,
    );
    this.active.set(name, e);
    this.arm(e);
    return e;
  }

  /** Cancels an active timer or alert; stale or foreign handles are ignored. */
  cancelTimer(handle: TimerHandle): void {
    if (handle === null || typeof handle !== 'object')
      throw new ValidationError('handle', handle, 'must be a TimerHandle');
    const e = this.active.get(handle.name);
    if (e === undefined || e !== handle) return;
    this.active.delete(e.name);
    this.stop(e);
  }

  /** Names of active timers and alerts, sorted. */
  timerNames(): string[] {
    return [...this.active.keys()].sort();
  }

  /** Resolves after `ms` of real time. Keeps the process alive; rejects with a `StateError` on dispose. */
  sleep(ms: number): Promise<void> {
    this.assertLive();
    checkSleep(ms);
    return new Promise<void>((resolve, reject) => {
      const e = new SysEntry(0, '', Date.now() + ms, 0, Infinity, null, resolve, false);
      this.sleeps.set(e, reject);
      this.arm(e);
    });
  }

  /** Cancels all timers and alerts and rejects pending sleeps. Later scheduling throws. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const e of this.active.values()) this.stop(e);
    this.active.clear();
    const sleeps = [...this.sleeps];
    this.sleeps.clear();
    for (const [e, reject] of sleeps) {
      this.stop(e);
      reject(new StateError('SystemClock disposed while sleeping'));
    }
  }

  private assertLive(): void {
    if (this.disposed) throw new StateError('SystemClock is disposed');
  }

  private stop(e: SysEntry): void {
    e.cancelled = true;
    if (e.handle !== undefined) clearTimeout(e.handle);
    e.handle = undefined;
  }

  private arm(e: SysEntry): void {
    const delay = Math.min(Math.max(0, e.time - Date.now()), MAX_DELAY);
    const h = setTimeout(() => this.onWake(e), delay);
    if (e.unref) h.unref();
    e.handle = h;
  }

  private onWake(e: SysEntry): void {
    e.handle = undefined;
    if (e.cancelled) return;
    const now = Date.now();
    if (now < e.time) {
      this.arm(e); // long delay chunk, or the timer woke early
      return;
    }
    if (e.wake !== null) {
      this.sleeps.delete(e);
      e.wake();
      return;
    }
    const scheduledAt = e.time;
    if (e.interval > 0) {
      const next = scheduledAt + (Math.floor((now - scheduledAt) / e.interval) + 1) * e.interval;
      if (next <= e.stopAt) {
        e.time = next;
        this.arm(e);
      } else {
        this.active.delete(e.name);
      }
    } else {
      this.active.delete(e.name);
    }
    const event: TimeEvent = { name: e.name, scheduledAt, firedAt: now };
    try {
      (e.callback as TimeEventCallback)(event);
    } catch (error) {
      if (this.onCallbackError === undefined) throw error;
      this.onCallbackError(error, event);
    }
  }
}

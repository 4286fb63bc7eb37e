/** Input checks shared by the clock implementations (internal, not exported from the lib). */
import { ValidationError } from '@trading/domain';
import type { TimeEventCallback, TimerOptions } from './clock.port';

/** Throws unless `value` is a safe integer. */
export function assertInteger(
  field: string,
  value: number,
  what = 'an integer number of milliseconds',
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new ValidationError(field, value, `must be ${what}`);
  return value;
}

/** Throws unless `name` is a non-empty string. */
export function assertName(name: string): string {
  if (typeof name !== 'string' || name.length === 0)
    throw new ValidationError('name', name, 'must be a non-empty string');
  return name;
}

/** Throws unless `callback` is a function. */
export function assertCallback(callback: TimeEventCallback): TimeEventCallback {
  if (typeof callback !== 'function')
    throw new ValidationError('callback', typeof callback, 'must be a function');
  return callback;
}

/** Throws if `name` is already used by an active timer. */
export function assertUniqueName(name: string, active: ReadonlyMap<string, unknown>): void {
  if (active.has(name))
    throw new ValidationError(
      'name',
      name,
      'must not be the name of an active timer or alert (cancel it first)',
    );
}

/** Validates a one-shot alert; returns its fire time. */
export function checkAlert(
  name: string,
  at: number,
  callback: TimeEventCallback,
  now: number,
  active: ReadonlyMap<string, unknown>,
): number {
  assertName(name);
  assertInteger('at', at, 'an integer epoch-millisecond timestamp');
  assertCallback(callback);
  if (at < now) throw new ValidationError('at', at, `must not be in the past (now is ${now})`);
  assertUniqueName(name, active);
  return at;
}

/** Validates a repeating timer; returns its first fire time and inclusive stop time (Infinity if none). */
export function checkTimer(
  name: string,
  intervalMs: number,
  callback: TimeEventCallback,
  opts: TimerOptions | undefined,
  now: number,
  active: ReadonlyMap<string, unknown>,
): { first: number; stopAt: number } {
  assertName(name);
  assertInteger('intervalMs', intervalMs);
  if (intervalMs <= 0) throw new ValidationError('intervalMs', intervalMs, 'must be > 0');
  assertCallback(callback);
  if (opts !== undefined && (opts === null || typeof opts !== 'object'))
    throw new ValidationError('opts', opts, 'must be an object');
  let first = now + intervalMs;
  if (opts?.startAt !== undefined) {
    first = assertInteger('opts.startAt', opts.startAt, 'an integer epoch-millisecond timestamp');
    if (first < now)
      throw new ValidationError('opts.startAt', first, `must not be in the past (now is ${now})`);
  }
  let stopAt = Infinity;
  if (opts?.stopAt !== undefined) {
    stopAt = assertInteger('opts.stopAt', opts.stopAt, 'an integer epoch-millisecond timestamp');
    if (stopAt < first)
      throw new ValidationError('opts.stopAt', stopAt, `must be >= the first fire time ${first}`);
  }
  assertUniqueName(name, active);
  return { first, stopAt };
}

/** Validates a sleep duration. */
export function checkSleep(ms: number): number {
  assertInteger('ms', ms);
  if (ms < 0) throw new ValidationError('ms', ms, 'must be >= 0');
  return ms;
}

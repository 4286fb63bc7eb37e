/**
 * Error hierarchy of the platform. Every error carries a stable machine-readable `code`;
 * messages name the offending field and value so an operator can act on them.
 */

/** Base class of every error this platform raises on purpose. */
export class TradingError extends Error {
  /** Stable, machine-readable code (e.g. `VALIDATION`, `BROKER`). */
  readonly code: string;
  /** Structured context for logs (never contains secrets). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** Renders a value for an error message: strings quoted, others via String(). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') {
    try {
      const s = JSON.stringify(value);
      return s === undefined ? String(value) : s.length > 200 ? s.slice(0, 200) + '…' : s;
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

/** Bad input: the message names the field, the bad value and what was expected. */
export class ValidationError extends TradingError {
  /** Dotted path of the offending field (e.g. `order.quantity`). */
  readonly field: string;
  /** The value that was rejected. */
  readonly value: unknown;

  constructor(field: string, value: unknown, expectation: string) {
    super('VALIDATION', `${field}: ${expectation}, got ${describeValue(value)}`, {
      field,
      value: describeValue(value),
    });
    this.field = field;
    this.value = value;
  }
}

/** A venue/broker failure (rejected request, protocol error, connectivity). */
export class BrokerError extends TradingError {
  constructor(
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super('BROKER', message, details, options);
  }
}

/** Storage failure: WAL, snapshots, SQL. */
export class PersistenceError extends TradingError {
  constructor(
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super('PERSISTENCE', message, details, options);
  }
}

/** Durable data failed an integrity check (checksum, chain, sequence). Never auto-repaired. */
export class CorruptionError extends PersistenceError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details);
    (this as { code: string }).code = 'CORRUPTION';
  }
}

/** Bad market data input (CSV row, feed message); names file/line where known. */
export class DataError extends TradingError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('DATA', message, details);
  }
}

/** Invalid configuration (file, env, CLI). */
export class ConfigError extends TradingError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CONFIG', message, details);
  }
}

/** An operation that the current state does not allow (e.g. illegal order transition). */
export class StateError extends TradingError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('STATE', message, details);
  }
}

/** A typed success-or-failure value for code paths that must not throw. */
export type Result<T, E = TradingError> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

/** Builds a successful Result. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** Builds a failed Result. */
export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

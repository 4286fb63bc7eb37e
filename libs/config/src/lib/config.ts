import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, describeValue } from '@trading/domain';

/**
 * Typed configuration: a zod schema per app, fed from a file (YAML or JSON), environment
 * variables and command-line overrides, in that order of precedence (later wins). Every problem
 * is reported at once, each naming the field path, the bad value and what was expected.
 */

/** One validation problem. */
export interface ConfigIssue {
  /** Dotted path of the field (`risk.maxOrderQuantity`, `data[0].path`). */
  readonly field: string;
  readonly message: string;
  /** The offending value as text (secrets redacted). */
  readonly value: string;
}

/** Parses YAML or JSON text (by `format` or the file name's extension); syntax errors name the source and line. */
export function parseConfigText(text: string, source: string, format?: 'yaml' | 'json'): unknown {
  const fmt = format ?? (/\.json$/i.test(source) ? 'json' : 'yaml');
  try {
    return fmt === 'json' ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw new ConfigError(`${source}: cannot parse ${fmt.toUpperCase()}: ${(e as Error).message}`, {
      source,
    });
  }
}

/** Keys whose values are never printed (logs, errors, snapshots). */
export const SECRET_KEY = /(secret|password|passwd|token|api[-_]?key|private[-_]?key|credential)/i;

/** Deep copy with the values of secret-looking keys replaced by `***`. */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v)) as unknown as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null ? '***' : redactSecrets(v);
    return out as T;
  }
  return value;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p as string];
  }
  return cur;
}

function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path)
    s += typeof p === 'number' ? `[${p}]` : s === '' ? String(p) : `.${String(p)}`;
  return s || '(root)';
}

/**
 * Validates `input` against `schema`. Throws a {@link ConfigError} listing every issue
 * (`<source>: <field>: <message>, got <value>`); its `details.issues` holds them as data.
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  input: unknown,
  source = 'config',
): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issues: ConfigIssue[] = r.error.issues.map((i) => {
    const field = formatPath(i.path);
    const raw = valueAt(input, i.path);
    const secret = i.path.some((p) => typeof p === 'string' && SECRET_KEY.test(p));
    return { field, message: i.message, value: secret ? '***' : describeValue(raw) };
  });
  const lines = issues.map((i) => `${source}: ${i.field}: ${i.message}, got ${i.value}`);
  throw new ConfigError(lines.join('\n'), { source, issues });
}

/** Sets `value` at a dotted path in a plain object (creating objects on the way); returns the object. */
export function setPath(
  target: Record<string, unknown>,
  dotted: string,
  value: unknown,
): Record<string, unknown> {
  const parts = dotted.split('.');
  let cur: Record<string, unknown> = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[parts[i]] = {};
    cur = cur[parts[i]] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
  return target;
}

/**
 * Environment overrides: every `PREFIX_A__B=v` variable sets `a.b` (lower camel case from
 * `SNAKE_CASE` per segment, `__` separating segments). Values stay strings: the schema coerces.
 */
export function envOverrides(
  env: Readonly<Record<string, string | undefined>>,
  prefix: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const p = `${prefix}_`;
  for (const key of Object.keys(env).sort()) {
    const v = env[key];
    if (!key.startsWith(p) || v === undefined) continue;
    const path = key
      .slice(p.length)
      .split('__')
      .map((seg) => seg.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()))
      .join('.');
    setPath(out, path, v);
  }
  return out;
}

/** Deep merge of plain objects (arrays and scalars of later sources replace earlier ones). */
export function mergeConfig(...sources: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const src of sources) {
    if (src === null || typeof src !== 'object' || Array.isArray(src)) continue;
    for (const [k, v] of Object.entries(src as Record<string, unknown>)) {
      if (v === undefined) continue;
      const prev = out[k];
      out[k] =
        v !== null &&
        typeof v === 'object' &&
        !Array.isArray(v) &&
        prev !== null &&
        typeof prev === 'object' &&
        !Array.isArray(prev)
          ? mergeConfig(prev, v)
          : v;
    }
  }
  return out;
}

export { z };

/** Deterministic workload shared by the crash child and the crash test (payload of sequence s, model state). */

/** Payload written for sequence `s` (a pure function, so "prefix of what was written" is checkable). */
export interface CrashPayload {
  [key: string]: string | number;
  s: number;
  k: string;
  d: number;
}

/** Model state rebuilt from records: running sum, count and last delta per key. */
export interface CrashModel {
  [key: string]: number | { [key: string]: number };
  sum: number;
  count: number;
  keys: { [key: string]: number };
}

/** The payload of sequence `s`. */
export function payloadFor(s: number): CrashPayload {
  return { s, k: `k${s % 7}`, d: ((s * 7919) % 1000) - 500 };
}

/** Empty model. */
export function emptyModel(): CrashModel {
  return { sum: 0, count: 0, keys: {} };
}

/** Applies one payload to the model (mutates and returns it). */
export function applyPayload(m: CrashModel, p: CrashPayload): CrashModel {
  m.sum += p.d;
  m.count += 1;
  m.keys[p.k] = p.d;
  return m;
}

/** Model after sequences 1..n. */
export function modelThrough(n: number): CrashModel {
  const m = emptyModel();
  for (let s = 1; s <= n; s++) applyPayload(m, payloadFor(s));
  return m;
}

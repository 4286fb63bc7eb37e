/** Default maximum number of points per chart series in the HTML report. */
export const DEFAULT_MAX_POINTS_PER_SERIES = 5_000;

/**
 * Picks at most `maxPoints` indices of a series so that its shape survives: the first and last
 * points, and the minimum and maximum of each of `(maxPoints − 2) / 2` equal-count buckets
 * (min-max decimation keeps spikes that averaging or striding would drop). Indices are returned
 * ascending; the series is returned whole when it is already short enough. Deterministic.
 */
export function downsampleIndices(
  values: readonly number[],
  maxPoints = DEFAULT_MAX_POINTS_PER_SERIES,
): number[] {
  const n = values.length;
  if (!Number.isInteger(maxPoints) || maxPoints < 4)
    throw new RangeError(`maxPoints must be an integer ≥ 4, got ${maxPoints}`);
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const buckets = Math.floor((maxPoints - 2) / 2);
  const picked = new Set<number>([0, n - 1]);
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * (n - 2)) / buckets);
    const to = 1 + Math.floor(((b + 1) * (n - 2)) / buckets);
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (values[i] < values[lo]) lo = i;
      if (values[i] > values[hi]) hi = i;
    }
    if (from < to) {
      picked.add(lo);
      picked.add(hi);
    }
  }
  return [...picked].sort((a, b) => a - b);
}

/** Applies {@link downsampleIndices} to a time series, returning the kept timestamps and values. */
export function downsampleSeries(
  ts: readonly number[],
  values: readonly number[],
  maxPoints = DEFAULT_MAX_POINTS_PER_SERIES,
): { ts: number[]; values: number[] } {
  if (ts.length !== values.length)
    throw new RangeError(`ts and values differ in length (${ts.length} vs ${values.length})`);
  const idx = downsampleIndices(values, maxPoints);
  return { ts: idx.map((i) => ts[i]), values: idx.map((i) => values[i]) };
}

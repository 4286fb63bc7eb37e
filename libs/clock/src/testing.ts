/** Fakes of @trading/clock for other libs' tests. */
import { parseTimestamp } from '@trading/domain';
import { SimulatedClock } from './lib/simulated-clock';

/** A hand-driven clock for tests: the {@link SimulatedClock} under a test-friendly name. */
export const ManualClock = SimulatedClock;
/** Instance type of {@link ManualClock}. */
export type ManualClock = SimulatedClock;

/** A simulated clock frozen at `ts` until advanced (UTC ms or ISO-8601 with offset, e.g. `2024-01-02T14:30:00Z`). */
export function fixedClock(ts: number | string): SimulatedClock {
  return new SimulatedClock(typeof ts === 'string' ? parseTimestamp(ts) : ts);
}

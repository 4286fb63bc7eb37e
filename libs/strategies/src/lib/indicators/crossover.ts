import { ValidationError } from '@trading/domain';
import type { JsonValue } from '@trading/engine';
import { readKind } from '../json-state';

/** Direction of a cross of `a` over `b`. */
export type Cross = 'up' | 'down';

/**
 * Detects `a` crossing `b`. It remembers the sign of the last NON-ZERO difference `a − b`; a
 * cross is reported when the sign of the current difference differs from it: 'up' when a moved
 * above b, 'down' when below. A zero difference (touch) or a NaN input (an indicator not ready)
 * reports nothing and leaves the memory unchanged, so touching and returning to the same side is
 * never a cross, while a path through zero to the other side is exactly one cross (reported on the
 * bar where the other side is reached). The first non-zero difference only arms the detector.
 */
export class Crossover {
  private lastSign: -1 | 0 | 1 = 0;

  /** Feeds one pair; returns the cross that just happened or null. */
  update(a: number, b: number): Cross | null {
    const d = a - b;
    if (d > 0) {
      const was = this.lastSign;
      this.lastSign = 1;
      return was === -1 ? 'up' : null;
    }
    if (d < 0) {
      const was = this.lastSign;
      this.lastSign = -1;
      return was === 1 ? 'down' : null;
    }
    return null;
  }

  /** Sign of the last non-zero difference (0 before the first). */
  get side(): -1 | 0 | 1 {
    return this.lastSign;
  }

  reset(): void {
    this.lastSign = 0;
  }

  toState(): JsonValue {
    return { kind: 'CROSS', lastSign: this.lastSign };
  }

  fromState(state: JsonValue): void {
    const o = readKind(state, 'CROSS');
    const s = o['lastSign'];
    if (s !== -1 && s !== 0 && s !== 1)
      throw new ValidationError('state.lastSign', s, 'must be -1, 0 or 1');
    this.lastSign = s;
  }
}

/**
 * Fast exchange-local → UTC conversion for precomputing calendars. Asking luxon for a zone offset
 * costs ~20 µs, so offsets are sampled weekly and resolved day by day only around DST changes.
 */
import { ValidationError, assertZone } from '@trading/domain';
import { IANAZone } from 'luxon';
import { DAY_MS } from './civil-date';

const NOON = 43_200_000;
const STEP = 7;

/** Converts exchange-local wall times of days `[fromDay, toDay]` (day numbers) in one IANA zone. */
export class ZoneConverter {
  private readonly zone: IANAZone;
  private readonly fromDay: number;
  /** Offset (minutes) at UTC noon of each day, from `fromDay - 1` to `toDay + 1`. */
  private readonly noonOffsets: Int32Array;

  constructor(zoneName: string, fromDay: number, toDay: number) {
    assertZone(zoneName, 'zone');
    this.zone = IANAZone.create(zoneName);
    this.fromDay = fromDay - 1;
    const n = toDay - fromDay + 3;
    const offs = new Int32Array(n);
    const at = (i: number): number => this.zone.offset((this.fromDay + i) * DAY_MS + NOON);
    let prevIdx = 0;
    let prev = at(0);
    offs[0] = prev;
    for (let i = STEP; ; i += STEP) {
      const idx = Math.min(i, n - 1);
      const cur = at(idx);
      for (let k = prevIdx + 1; k < idx; k++) offs[k] = cur === prev ? prev : at(k);
      offs[idx] = cur;
      if (idx === n - 1) break;
      prevIdx = idx;
      prev = cur;
    }
    this.noonOffsets = offs;
  }

  /**
   * UTC ms of local `hour:minute` on day `dn`; throws a `ValidationError` when that wall time falls in
   * a DST gap or overlap.
   */
  toUtc(dn: number, hour: number, minute: number): number {
    const i = dn - this.fromDay;
    const wall = dn * DAY_MS + hour * 3_600_000 + minute * 60_000;
    const off = this.noonOffsets[i];
    if (this.noonOffsets[i - 1] === off && this.noonOffsets[i + 1] === off)
      return wall - off * 60_000;
    const hits: number[] = [];
    for (const o of new Set([this.noonOffsets[i - 1], off, this.noonOffsets[i + 1]])) {
      const utc = wall - o * 60_000;
      if (this.zone.offset(utc) === o) hits.push(utc);
    }
    if (hits.length !== 1) {
      const label = `${new Date(wall).toISOString().slice(0, 16)} ${this.zone.name}`;
      throw new ValidationError(
        'wallTime',
        label,
        hits.length === 0 ? 'does not exist (DST gap)' : 'is ambiguous (DST overlap)',
      );
    }
    return hits[0];
  }
}

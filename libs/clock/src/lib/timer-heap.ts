/**
 * Binary min-heap ordered by `(time, seq)`: earliest time first, ties in `seq` (scheduling) order.
 * Array-backed with hole-based sifting (no swaps); O(log n) push/pop, O(n) rebuild.
 */

/** An element of a {@link TimerHeap}. */
export interface HeapEntry {
  /** Due time (UTC ms). */
  time: number;
  /** Tie-breaker: strictly increasing per scheduling. */
  seq: number;
}

/** Min-heap of {@link HeapEntry} keyed by (time, seq). */
export class TimerHeap<T extends HeapEntry> {
  private items: T[] = [];

  /** Number of entries. */
  get size(): number {
    return this.items.length;
  }

  /** The earliest entry, or undefined when empty. */
  peek(): T | undefined {
    return this.items[0];
  }

  /** Adds an entry. */
  push(entry: T): void {
    const items = this.items;
    let i = items.length;
    items.push(entry);
    const time = entry.time;
    const seq = entry.seq;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = items[p];
      if (parent.time < time || (parent.time === time && parent.seq < seq)) break;
      items[i] = parent;
      i = p;
    }
    items[i] = entry;
  }

  /** Removes and returns the earliest entry, or undefined when empty. */
  pop(): T | undefined {
    const items = this.items;
    const n = items.length;
    if (n === 0) return undefined;
    const top = items[0];
    const last = items.pop() as T;
    if (n > 1) this.siftDown(0, last);
    return top;
  }

  /** Keeps only entries for which `keep` is true and restores the heap order. */
  rebuild(keep: (entry: T) => boolean): void {
    const items = this.items.filter(keep);
    this.items = items;
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.siftDown(i, items[i]);
  }

  /** Places `entry` at hole `i` and moves it down to its position. */
  private siftDown(i: number, entry: T): void {
    const items = this.items;
    const n = items.length;
    const time = entry.time;
    const seq = entry.seq;
    const half = n >> 1;
    while (i < half) {
      let c = 2 * i + 1;
      let child = items[c];
      const r = c + 1;
      if (r < n) {
        const right = items[r];
        if (right.time < child.time || (right.time === child.time && right.seq < child.seq)) {
          c = r;
          child = right;
        }
      }
      if (time < child.time || (time === child.time && seq < child.seq)) break;
      items[i] = child;
      i = c;
    }
    items[i] = entry;
  }
}

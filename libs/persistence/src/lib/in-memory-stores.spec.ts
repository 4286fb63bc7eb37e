import { PersistenceError, ValidationError } from '@trading/domain';
import { InMemorySnapshotStore, InMemoryStateStore } from './in-memory-stores';
import { ORDER_INTENT_RECORD_TYPE, appendOrderIntent } from './intent';
import { PERSISTENCE_TOKENS, STATE_STORE_TOKENS } from './tokens';

describe('InMemoryStateStore', () => {
  it('assigns consecutive sequences and stores decodable records', async () => {
    const s = new InMemoryStateStore(10);
    expect(s.lastSequence()).toBe(10);
    expect(await s.append('a', { x: 1 })).toBe(11);
    expect(await s.append('b', Uint8Array.of(1))).toBe(12);
    expect(s.records().map((r) => [r.sequence, r.type])).toEqual([
      [11, 'a'],
      [12, 'b'],
    ]);
    expect(await s.compact(11)).toBe(1);
    expect(s.records().map((r) => r.sequence)).toEqual([12]);
    expect(s.lastSequence()).toBe(12);
  });

  it('rejects invalid records without failing', async () => {
    const s = new InMemoryStateStore();
    await expect(s.append('', 1)).rejects.toBeInstanceOf(ValidationError);
    expect(s.health()).toEqual({ status: 'open' });
  });

  it('fails stop after an injected error and notifies listeners once', async () => {
    const s = new InMemoryStateStore();
    const seen: PersistenceError[] = [];
    const off = s.onFailure((e) => seen.push(e));
    await s.append('a', 1);
    s.failNextAppend();
    await expect(s.append('a', 2)).rejects.toThrow(/append of sequence 2 failed: EIO/);
    await expect(s.append('a', 3)).rejects.toThrow(/has failed/);
    expect(s.health().status).toBe('failed');
    expect(seen).toHaveLength(1);
    expect(s.lastSequence()).toBe(1);
    off();
  });

  it('rejects appends after close', async () => {
    const s = new InMemoryStateStore();
    await s.close();
    await expect(s.append('a', 1)).rejects.toThrow(/closed/);
    expect(s.health()).toEqual({ status: 'closed' });
  });
});

describe('InMemorySnapshotStore', () => {
  it('keeps the last N and falls back past a corrupt newest snapshot', async () => {
    const s = new InMemorySnapshotStore(2);
    await s.save({ lastSequence: 1, state: 'a' });
    await s.save({ lastSequence: 2, state: 'b' });
    await s.save({ lastSequence: 3, state: 'c' });
    expect((await s.list()).map((x) => x.lastSequence)).toEqual([3, 2]);
    s.raw(3)![40] ^= 1;
    const loaded = await s.loadLatest();
    expect(loaded?.snapshot).toEqual({ lastSequence: 2, state: 'b' });
    expect(loaded?.skipped).toEqual([
      { source: 'memory:3', reason: 'snapshot payload checksum mismatch' },
    ]);
    expect(await new InMemorySnapshotStore().loadLatest()).toBeNull();
    expect(() => new InMemorySnapshotStore(0)).toThrow(ValidationError);
  });
});

describe('order intent helper and tokens', () => {
  it('appends an intent record with its client order id', async () => {
    const s = new InMemoryStateStore();
    const seq = await appendOrderIntent(s, {
      clientOrderId: 'c-1',
      instrument: 'AAPL',
      side: 'buy',
      quantity: '10',
      orderType: 'market',
      createdAt: 1,
    });
    expect(seq).toBe(1);
    expect(s.records()[0].type).toBe(ORDER_INTENT_RECORD_TYPE);
    expect(s.records()[0].json()).toMatchObject({ clientOrderId: 'c-1' });
    await expect(appendOrderIntent(s, { clientOrderId: '' } as never)).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('exposes StateStore/SnapshotStore next to the repository tokens', () => {
    expect(PERSISTENCE_TOKENS.StateStore).toBe(Symbol.for('trading.persistence.StateStore'));
    expect(PERSISTENCE_TOKENS.StateStore).toBe(STATE_STORE_TOKENS.StateStore);
    expect(PERSISTENCE_TOKENS.SnapshotStore).toBe(STATE_STORE_TOKENS.SnapshotStore);
    expect(PERSISTENCE_TOKENS.OrderRepository).toBeDefined();
  });
});

import { ValidationError } from '@trading/domain';
import type { Candle } from '@trading/persistence';
import { openTestPostgres, type TestDataSource } from '../testing';
import { copyText, isPgClient } from './repositories/pg-copy';
import { TypeormCandleStore } from './repositories/typeorm-candle.store';

const T0 = 1_700_000_000_000;
const candle = (symbol: string, i: number, close = 100 + i * 0.01, timeframe = '1m'): Candle => ({
  symbol,
  timeframe,
  ts: T0 + i * 60_000,
  open: close - 0.1,
  high: close + 0.25,
  low: close - 0.3,
  close,
  volume: 1000 + i,
});

describe('TypeormCandleStore write paths (PostgreSQL)', () => {
  let t: TestDataSource;
  beforeAll(async () => {
    t = await openTestPostgres();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('COPY and unnest produce identical rows, including escaped symbols and updates', async () => {
    const copy = new TypeormCandleStore(t.ds, { method: 'copy', chunkSize: 300 });
    const unnest = new TypeormCandleStore(t.ds, { method: 'unnest', chunkSize: 300 });
    const odd = 'A\\B\tC\nD';
    const rows = [
      ...Array.from({ length: 1000 }, (_, i) => candle(odd, i)),
      ...Array.from({ length: 10 }, (_, i) => candle('PLAIN', i, 1e-7 + i, '5m')),
    ];
    expect(await copy.upsertMany(rows)).toBe(1010);
    expect(await unnest.upsertMany(rows.map((c) => ({ ...c, symbol: `${c.symbol}-u` })))).toBe(
      1010,
    );
    const a = await copy.range(odd, '1m', 0, Number.MAX_SAFE_INTEGER);
    const b = await copy.range(`${odd}-u`, '1m', 0, Number.MAX_SAFE_INTEGER);
    expect(a).toEqual(rows.slice(0, 1000));
    expect(b.map((c) => ({ ...c, symbol: odd }))).toEqual(a);
    expect(await copy.range('PLAIN', '5m', 0, Number.MAX_SAFE_INTEGER)).toEqual(rows.slice(1000));
    // upsert over existing rows through COPY, with a duplicate key inside the batch (last wins)
    const changed = rows
      .slice(0, 1000)
      .map((c) => ({ ...c, close: c.close + 1, high: c.high + 1 }));
    changed.push({ ...changed[5], close: 555, high: 556 });
    expect(await copy.upsertMany(changed)).toBe(1000);
    expect((await copy.range(odd, '1m', T0 + 5 * 60_000, T0 + 6 * 60_000))[0].close).toBe(555);
    expect(await copy.stats(odd, '1m')).toEqual({
      count: 1000,
      firstTs: T0,
      lastTs: T0 + 999 * 60_000,
    });
  });

  it('rolls back a failed COPY chunk and stays usable', async () => {
    const store = new TypeormCandleStore(t.ds, { method: 'copy', chunkSize: 50 });
    const tooLong = 'X'.repeat(65); // varchar(64)
    await expect(store.upsertMany([candle('OK1', 0), candle(tooLong, 1)])).rejects.toThrow(
      /too long/,
    );
    expect(await store.upsertMany([candle('OK2', 0)])).toBe(1);
    expect(await store.stats('OK2', '1m')).toMatchObject({ count: 1 });
  });

  it('rejects non-finite values and non-integer timestamps before touching the database', async () => {
    const store = new TypeormCandleStore(t.ds);
    await expect(
      store.upsertMany([{ ...candle('BAD', 0), close: Number.NaN }]),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(store.upsertMany([{ ...candle('BAD', 0), ts: 1.5 }])).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(await store.stats('BAD', '1m')).toEqual({ count: 0, firstTs: null, lastTs: null });
  });

  it('copy helpers', () => {
    expect(copyText('plain')).toBe('plain');
    expect(copyText('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(isPgClient(null)).toBe(false);
    expect(isPgClient({ query: () => undefined })).toBe(false);
  });
});

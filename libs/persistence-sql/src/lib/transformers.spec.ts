import { PersistenceError, TradingDecimal } from '@trading/domain';
import {
  bigintToNumber,
  decimalTransformer,
  epochMsTransformer,
  nullableDecimalTransformer,
  nullableEpochMsTransformer,
  numericToDecimal,
} from './transformers';

describe('column transformers', () => {
  it.each([
    '0.1',
    '1e-12',
    '123456789012.123456789',
    '-0.000000000000000001',
    '999999999999999999.999999999999',
  ])('numeric round-trips %s exactly', (text) => {
    const d = new TradingDecimal(text);
    const stored = decimalTransformer.to(d) as string;
    expect(stored).not.toMatch(/e/i);
    const back = decimalTransformer.from(stored) as TradingDecimal;
    expect(back.eq(d)).toBe(true);
    expect(back.toFixed()).toBe(d.toFixed());
  });

  it('writes 1e-12 as plain decimal text', () => {
    expect(decimalTransformer.to(new TradingDecimal('1e-12'))).toBe('0.000000000001');
    expect(decimalTransformer.to(undefined)).toBeUndefined();
  });

  it('nullable numeric keeps null and undefined', () => {
    expect(nullableDecimalTransformer.to(null)).toBeNull();
    expect(nullableDecimalTransformer.to(undefined)).toBeUndefined();
    expect(nullableDecimalTransformer.from(null)).toBeNull();
    expect((nullableDecimalTransformer.from('0.1') as TradingDecimal).toFixed()).toBe('0.1');
    expect(numericToDecimal(0.1).toFixed()).toBe('0.1');
  });

  it('bigint comes back as string (pg) or number (PGlite): both become numbers', () => {
    expect(epochMsTransformer.from('1700000000123')).toBe(1_700_000_000_123);
    expect(epochMsTransformer.from(1_700_000_000_123)).toBe(1_700_000_000_123);
    expect(bigintToNumber(BigInt(42))).toBe(42);
    expect(epochMsTransformer.to(5)).toBe(5);
    expect(nullableEpochMsTransformer.from(null)).toBeNull();
    expect(nullableEpochMsTransformer.from('7')).toBe(7);
    expect(nullableEpochMsTransformer.to(null)).toBeNull();
  });

  it('rejects bigint values beyond the safe integer range', () => {
    expect(() => bigintToNumber('9223372036854775807', 'orders.wal_seq')).toThrow(PersistenceError);
    expect(() => bigintToNumber('abc')).toThrow(/not a safe integer/);
  });
});

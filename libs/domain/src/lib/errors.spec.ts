import {
  TradingError,
  ValidationError,
  CorruptionError,
  PersistenceError,
  BrokerError,
  DataError,
  ConfigError,
  StateError,
  ok,
  err,
  describeValue,
} from './errors';

describe('errors', () => {
  it('form a hierarchy with stable codes', () => {
    const c = new CorruptionError('bad crc', { segment: 'a.wal' });
    expect(c).toBeInstanceOf(PersistenceError);
    expect(c).toBeInstanceOf(TradingError);
    expect(c.code).toBe('CORRUPTION');
    expect(c.name).toBe('CorruptionError');
    expect(c.details).toEqual({ segment: 'a.wal' });
    expect(new BrokerError('x').code).toBe('BROKER');
    expect(new DataError('x').code).toBe('DATA');
    expect(new ConfigError('x').code).toBe('CONFIG');
    expect(new StateError('x').code).toBe('STATE');
  });
  it('ValidationError names field and value', () => {
    const e = new ValidationError('order.quantity', -5, 'must be positive');
    expect(e.message).toBe('order.quantity: must be positive, got -5');
    expect(e.field).toBe('order.quantity');
    expect(e.value).toBe(-5);
  });
  it('describes values safely', () => {
    expect(describeValue('a')).toBe('"a"');
    expect(describeValue(5n)).toBe('5n');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue({ a: 1 })).toBe('{"a":1}');
    expect(describeValue({ s: 'x'.repeat(300) }).endsWith('…')).toBe(true);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(describeValue(cyclic)).toBe('[object Object]');
  });
  it('Result helpers', () => {
    expect(ok(1)).toEqual({ ok: true, value: 1 });
    expect(err('x')).toEqual({ ok: false, error: 'x' });
  });
});

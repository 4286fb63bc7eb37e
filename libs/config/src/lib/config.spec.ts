import { ConfigError } from '@trading/domain';
import {
  envOverrides,
  mergeConfig,
  parseConfig,
  parseConfigText,
  redactSecrets,
  setPath,
  z,
} from './config';

const schema = z.object({
  cash: z.coerce.number().positive(),
  strategy: z.string().min(1),
  risk: z.object({ maxOrderQuantity: z.coerce.number().positive().optional() }).default({}),
  broker: z.object({ apiKey: z.string().min(10) }).optional(),
});

describe('config', () => {
  it('parses YAML and JSON and validates', () => {
    const y = parseConfigText(
      'cash: 1000\nstrategy: sma-cross\nrisk:\n  maxOrderQuantity: 5\n',
      'run.yaml',
    );
    expect(parseConfig(schema, y, 'run.yaml')).toEqual({
      cash: 1000,
      strategy: 'sma-cross',
      risk: { maxOrderQuantity: 5 },
    });
    expect(
      parseConfig(schema, parseConfigText('{"cash":"2","strategy":"x"}', 'run.json'), 'run.json'),
    ).toEqual({ cash: 2, strategy: 'x', risk: {} });
  });

  it('reports every bad field with its path and value', () => {
    try {
      parseConfig(
        schema,
        { cash: -5, strategy: '', risk: { maxOrderQuantity: 'lots' } },
        'run.yaml',
      );
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      expect(msg).toMatch(/run\.yaml: cash: .*got -5/);
      expect(msg).toMatch(/run\.yaml: strategy: .*got ""/);
      expect(msg).toMatch(/run\.yaml: risk\.maxOrderQuantity: .*got "lots"/);
      expect(((e as ConfigError).details['issues'] as unknown[]).length).toBe(3);
    }
  });

  it('never prints secrets in errors', () => {
    try {
      parseConfig(schema, { cash: 1, strategy: 's', broker: { apiKey: 'short' } }, 'cfg');
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect((e as Error).message).toMatch(/broker\.apiKey: .*got \*\*\*/);
      expect((e as Error).message).not.toContain('short');
    }
  });

  it('reports syntax errors with the source', () => {
    expect(() => parseConfigText('cash: [1,', 'bad.yaml')).toThrow(/bad\.yaml: cannot parse YAML/);
    expect(() => parseConfigText('{', 'bad.json')).toThrow(/bad\.json: cannot parse JSON/);
  });

  it('maps environment variables and merges sources with precedence', () => {
    const env = envOverrides(
      { TRADING_CASH: '5000', TRADING_RISK__MAX_ORDER_QUANTITY: '7', OTHER: 'x' },
      'TRADING',
    );
    expect(env).toEqual({ cash: '5000', risk: { maxOrderQuantity: '7' } });
    const merged = mergeConfig({ cash: 1, strategy: 'a', risk: { maxOrderQuantity: 1 } }, env, {
      strategy: 'b',
    });
    expect(parseConfig(schema, merged)).toEqual({
      cash: 5000,
      strategy: 'b',
      risk: { maxOrderQuantity: 7 },
    });
  });

  it('redacts secret-looking keys deeply', () => {
    expect(
      redactSecrets({ a: 1, apiKey: 'abc', nested: [{ password: 'p', ok: 'y' }], token: null }),
    ).toEqual({ a: 1, apiKey: '***', nested: [{ password: '***', ok: 'y' }], token: null });
    expect(setPath({}, 'a.b.c', 1)).toEqual({ a: { b: { c: 1 } } });
  });
});

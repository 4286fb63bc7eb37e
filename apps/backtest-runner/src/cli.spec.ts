import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { BacktestMetrics } from '@trading/backtest';
import { ConfigError } from '@trading/domain';
import { buildRunConfig, CliIo, progressReporter, runCli, summaryTable } from './cli';

const FIXTURES = path.resolve(__dirname, '../../../libs/data-providers-file/fixtures');
const ORCL = path.join(FIXTURES, 'orcl-1995-2014.txt');

/** A CLI io that captures stdout and stderr. */
function captureIo(
  env: Record<string, string> = {},
): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    isTTY: false,
    env,
    stdout: () => out,
    stderr: () => err,
  };
}

/** The ConfigError `fn` throws (fails the test when it throws something else or nothing). */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'backtest-cli-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function writeTmp(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('buildRunConfig', () => {
  const minimal = { data: [`ORCL=${ORCL}`], strategy: 'sma-cross' };

  it('fills the defaults from flags alone', () => {
    const c = buildRunConfig(minimal, {});
    expect(c.data).toEqual([
      {
        path: ORCL,
        symbol: 'ORCL',
        venue: 'SIM',
        assetClass: 'EQUITY',
        tickSize: '0.01',
        lotSize: '1',
        multiplier: '1',
        currency: 'USD',
      },
    ]);
    expect(c.strategy).toEqual({ name: 'sma-cross', params: {} });
    expect(c.cash).toBe('100000');
    expect(c.commission).toEqual({});
    expect(c.slippage).toEqual({});
    expect(c.fill).toBe('next-open');
    expect(c.latencyMs).toBe(0);
    expect(c.timeZone).toBe('America/New_York');
    expect(c.out).toBe('out/backtest');
    expect(c.skipBadRows).toBe(false);
    expect(c.cacheDir).toBe('.cache/bars');
  });

  it('maps every run flag', () => {
    const c = buildRunConfig(
      {
        ...minimal,
        param: ['period=50', 'extra=x'],
        quantity: '500',
        cash: '25000',
        commission: '0.005/unit,min=1',
        slippage: '1tick',
        fill: 'close',
        latencyMs: '250',
        participation: '0.1',
        from: '2000-01-01',
        to: '2001-01-01',
        timeZone: 'Europe/Berlin',
        format: 'yahoo',
        sessionClose: '17:30',
        assetClass: 'FUTURE',
        tickSize: '0.5',
        lotSize: '1',
        multiplier: '25',
        skipBadRows: true,
        cache: false,
        out: path.join(tmp, 'o'),
        title: 'My run',
      },
      {},
    );
    expect(c.strategy.params).toEqual({ period: '50', extra: 'x', quantity: '500' });
    expect(c.cash).toBe('25000');
    expect(c.commission).toEqual({ perUnit: '0.005', minimum: '1' });
    expect(c.slippage).toEqual({ ticks: '1' });
    expect(c.fill).toBe('close');
    expect(c.latencyMs).toBe(250);
    expect(c.participation).toBe('0.1');
    expect(c.from).toBe('2000-01-01');
    expect(c.to).toBe('2001-01-01');
    // --timezone is both the data zone and the run zone (bounds, calendar, daily metrics).
    expect(c.timeZone).toBe('Europe/Berlin');
    expect(c.data[0]).toMatchObject({
      format: 'yahoo',
      timeZone: 'Europe/Berlin',
      sessionClose: '17:30',
      assetClass: 'FUTURE',
      tickSize: '0.5',
      multiplier: '25',
    });
    expect(c.skipBadRows).toBe(true);
    expect(c.cacheDir).toBe(false);
    expect(c.out).toBe(path.join(tmp, 'o'));
    expect(c.title).toBe('My run');
  });

  it('merges a YAML file, BACKTEST_* env vars and flags, flags winning', () => {
    const file = writeTmp(
      'run.yaml',
      [
        'data:',
        `  - path: ${ORCL}`,
        '    symbol: ORCL',
        'strategy:',
        '  name: dual-sma-cross',
        '  params:',
        '    fast: 5',
        '    slow: 30',
        'cash: 50000',
        'fill: close',
        'commission:',
        '  perOrder: 1',
        'timeZone: America/Chicago',
        'title: from the file',
        '',
      ].join('\n'),
    );
    const env = {
      BACKTEST_CASH: '75000',
      BACKTEST_LATENCY_MS: '100',
      BACKTEST_STRATEGY__PARAMS__SLOW: '40',
      BACKTEST_TITLE: 'from env',
      OTHER_CASH: '1',
    };
    // File only (+ env).
    const fileAndEnv = buildRunConfig({ config: file }, env);
    expect(fileAndEnv.data).toHaveLength(1);
    expect(fileAndEnv.data[0].path).toBe(ORCL);
    expect(fileAndEnv.strategy).toEqual({
      name: 'dual-sma-cross',
      params: { fast: 5, slow: '40' },
    });
    expect(fileAndEnv.cash).toBe('75000');
    expect(fileAndEnv.latencyMs).toBe(100);
    expect(fileAndEnv.fill).toBe('close');
    expect(fileAndEnv.commission).toEqual({ perOrder: '1' });
    expect(fileAndEnv.timeZone).toBe('America/Chicago');
    expect(fileAndEnv.title).toBe('from env');
    // Flags override both.
    const all = buildRunConfig(
      { config: file, cash: '90000', param: ['slow=60'], fill: 'next-open' },
      env,
    );
    expect(all.cash).toBe('90000');
    expect(all.strategy).toEqual({ name: 'dual-sma-cross', params: { fast: 5, slow: '60' } });
    expect(all.fill).toBe('next-open');
    expect(all.latencyMs).toBe(100);
    expect(all.commission).toEqual({ perOrder: '1' });
  });

  it('reads a JSON config file', () => {
    const file = writeTmp(
      'run.json',
      JSON.stringify({ data: [{ path: ORCL }], strategy: { name: 'sma-cross' }, cash: '123.45' }),
    );
    const c = buildRunConfig({ config: file }, {});
    expect(c.cash).toBe('123.45');
    expect(c.data[0].path).toBe(ORCL);
  });

  it('names a missing config file', () => {
    const missing = path.join(tmp, 'nope.yaml');
    const e = configError(() => buildRunConfig({ config: missing }, {}));
    expect(e.message).toBe(`config: file ${JSON.stringify(missing)} does not exist`);
  });

  it('names the file when the YAML does not parse', () => {
    const file = writeTmp('broken.yaml', 'data: [\n  - a\n cash: : :\n');
    const e = configError(() => buildRunConfig({ config: file }, {}));
    expect(e.message).toContain(`${file}: cannot parse YAML`);
  });

  it.each<[string, Record<string, unknown>, Record<string, string>, string]>([
    ['negative cash', { cash: '-5' }, {}, 'backtest run: cash: must be greater than 0, got "-5"'],
    ['cash from env', {}, { BACKTEST_CASH: 'lots' }, 'cash: must be a decimal number, got "lots"'],
    [
      'participation above 1',
      { participation: '1.5' },
      {},
      'participation: must be at most 1, got "1.5"',
    ],
    ['negative latency', { latencyMs: '-1' }, {}, 'latencyMs:'],
    [
      'non-numeric tick size',
      { tickSize: 'abc' },
      {},
      'data[0].tickSize: must be a decimal number, got "abc"',
    ],
    [
      'negative commission',
      { commission: '-1/order' },
      {},
      'commission.perOrder: must not be negative, got "-1"',
    ],
  ])('rejects %s with a ConfigError naming the field and value', (_label, opts, env, message) => {
    const e = configError(() => buildRunConfig({ ...minimal, ...opts }, env));
    expect(e.message).toContain(message);
  });

  it('rejects an unknown fill mode from a config file', () => {
    const file = writeTmp(
      'fill.yaml',
      `data: [{ path: ${ORCL} }]\nstrategy: { name: sma-cross }\nfill: sideways\n`,
    );
    const e = configError(() => buildRunConfig({ config: file }, {}));
    expect(e.message).toMatch(
      /^.*fill\.yaml: fill: Invalid option: expected one of "next-open"\|"close", got "sideways"$/,
    );
    expect(e.details['issues']).toEqual([
      expect.objectContaining({ field: 'fill', value: '"sideways"' }),
    ]);
  });

  it('rejects a missing strategy name and missing or empty data, all at once', () => {
    const e = configError(() => buildRunConfig({ param: ['period=5'] }, {}));
    expect(e.message).toContain(
      'data: needs a list of data files (--data [SYMBOL=]path), got undefined',
    );
    expect(e.message).toContain(
      'strategy.name: must name a strategy (--strategy, see `backtest list-strategies`), got undefined',
    );
    const file = writeTmp('empty.yaml', 'data: []\nstrategy:\n  name: ""\n');
    const e2 = configError(() => buildRunConfig({ config: file }, {}));
    expect(e2.message).toContain(
      'data: needs at least one data file (--data [SYMBOL=]path), got []',
    );
    expect(e2.message).toContain('strategy.name: must name a strategy');
    expect(e2.message).toContain('got ""');
  });

  it('checks the bounds at config time', () => {
    expect(() => buildRunConfig({ ...minimal, from: '2001-01-01', to: '2000-01-01' }, {})).toThrow(
      'to: must be after from (2001-01-01), got "2000-01-01"',
    );
    expect(() => buildRunConfig({ ...minimal, from: '2001-01-01', to: '2001-01-01' }, {})).toThrow(
      'to: must be after from',
    );
    expect(() => buildRunConfig({ ...minimal, to: 'soon' }, {})).toThrow('to:');
    expect(() =>
      buildRunConfig({ ...minimal, from: '2000-01-01', timeZone: 'Nowhere/Land' }, {}),
    ).toThrow(
      'timeZone: must be a valid IANA time zone like "America/New_York", got "Nowhere/Land"',
    );
    const c = buildRunConfig(
      { ...minimal, from: '2000-01-01T09:30:00-05:00', to: '2000-01-02' },
      {},
    );
    expect(c.from).toBe('2000-01-01T09:30:00-05:00');
  });

  it('passes parser errors through (bad commission / slippage / param)', () => {
    expect(() => buildRunConfig({ ...minimal, commission: 'cheap' }, {})).toThrow(
      'commission: must be a comma list',
    );
    expect(() => buildRunConfig({ ...minimal, slippage: 'lots' }, {})).toThrow(
      'slippage: must be Nbps or Nticks',
    );
    expect(() => buildRunConfig({ ...minimal, param: ['period'] }, {})).toThrow(
      'param: must be key=value, got "period"',
    );
  });
});

const metrics = (over: Partial<BacktestMetrics> = {}): BacktestMetrics =>
  ({
    startingCash: '100000',
    finalEquity: '101073.4',
    netProfit: '1073.4',
    totalReturn: 0.010734,
    cagr: 0.0109,
    annualVolatility: 0.0309,
    sharpe: 0.3612,
    sortino: 0.5123,
    calmar: 0.39,
    maxDrawdown: 0.0279,
    maxDrawdownDurationDays: 203,
    tradeCount: 11,
    winRate: 0.272727,
    profitFactor: 1.16,
    expectancy: '36.5',
    exposure: 0.5451,
    turnover: 8.71,
    totalCommission: '46',
    ...over,
  }) as BacktestMetrics;

describe('summaryTable', () => {
  it('formats the metrics in aligned rows', () => {
    const text = summaryTable(
      {
        strategy: 'sma-cross',
        params: 'period=20',
        data: 'FDAX=2006-day-001.txt',
        bars: 255,
        orders: 23,
        fills: 23,
      },
      metrics(),
      ['/out/result.json', '/out/report.html'],
    );
    expect(text.split('\n')).toEqual([
      'strategy                    sma-cross period=20',
      'data                        FDAX=2006-day-001.txt',
      'bars / orders / fills       255 / 23 / 23',
      'starting cash               100000.00',
      'final equity                101073.40',
      'net profit                  1073.40',
      'total return                1.07%',
      'CAGR                        1.09%',
      'annual volatility           3.09%',
      'Sharpe / Sortino / Calmar   0.36 / 0.51 / 0.39',
      'max drawdown                2.79% (203 days)',
      'trades / win rate           11 / 27.27%',
      'profit factor / expectancy  1.16 / 36.50',
      'exposure / turnover         54.51% / 8.71',
      'commissions                 46.00',
      'output                      /out/result.json',
      '                            /out/report.html',
      '',
    ]);
  });

  it('prints "-" for undefined ratios and missing values', () => {
    const text = summaryTable(
      { strategy: 'sma-cross', bars: 2, orders: 0, fills: 0 },
      metrics({
        sharpe: null,
        sortino: null,
        calmar: null,
        winRate: null,
        profitFactor: null,
        expectancy: null as unknown as string,
        annualVolatility: null,
      }),
      [],
    );
    expect(text).toContain('strategy                    sma-cross\n');
    expect(text).toContain('data                        \n');
    expect(text).toContain('Sharpe / Sortino / Calmar   - / - / -\n');
    expect(text).toContain('trades / win rate           11 / -\n');
    expect(text).toContain('profit factor / expectancy  - / -\n');
    expect(text).toContain('annual volatility           -\n');
    expect(text).not.toContain('output');
  });
});

describe('progressReporter', () => {
  it('is a no-op without a TTY', () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c.toString()));
    const p = progressReporter({ ...captureIo(), isTTY: false, progressStream: stream });
    p.start();
    p.update(10);
    p.stop();
    expect(chunks.join('')).toBe('');
  });

  it('draws the bar count on a TTY stream and stops', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    const chunks: string[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c.toString()));
    const p = progressReporter({ ...captureIo(), isTTY: true, progressStream: stream });
    expect(p.update(5)).toBe(false); // not started: ignored
    p.start();
    p.update(1234);
    p.stop();
    const text = chunks.join('');
    expect(text).toContain('backtest');
    expect(text).toContain('1234 bars');
  });
});

describe('runCli (no backtest run)', () => {
  it('lists all four strategies with their params and defaults', async () => {
    const io = captureIo();
    expect(await runCli(['list-strategies'], io)).toBe(0);
    const out = io.stdout();
    for (const name of ['sma-cross', 'dual-sma-cross', 'rsi-mean-reversion', 'liquidity-sweep']) {
      expect(out).toMatch(new RegExp(`^${name}\\n  \\S`, 'm'));
    }
    expect(out).toContain('--param period=<integer>  SMA period in bars (closes) (default 20)');
    expect(out).toContain('--param fast=<integer>');
    expect(out).toContain('--param slow=<integer>');
    expect(out).toContain('--param oversold=<number>');
    expect(out).toContain('--param overbought=<number>');
    expect(out).toContain('--param lookback=<integer>');
    expect(out).toContain('--param rewardRisk=<number>');
    expect(out.match(/--param quantity=<decimal>/g)).toHaveLength(4);
    expect(io.stderr()).toBe('');
  });

  it('show-config prints the merged config (file + env + flags) as JSON', async () => {
    const file = writeTmp(
      'show.yaml',
      `data: [{ path: ${ORCL}, symbol: ORCL }]\nstrategy: { name: sma-cross, params: { period: 30 } }\ncash: 1000\n`,
    );
    const io = captureIo({ BACKTEST_CASH: '2000', BACKTEST_FILL: 'close' });
    const code = await runCli(
      [
        'show-config',
        '--config',
        file,
        '--param',
        'period=40',
        '--timezone',
        'Europe/Berlin',
        '--commission',
        '0.7%',
      ],
      io,
    );
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    const shown = JSON.parse(io.stdout());
    expect(shown.cash).toBe('2000');
    expect(shown.fill).toBe('close');
    expect(shown.strategy).toEqual({ name: 'sma-cross', params: { period: '40' } });
    expect(shown.timeZone).toBe('Europe/Berlin');
    expect(shown.commission).toEqual({ pctOfNotional: '0.007' });
    expect(shown.data).toEqual([expect.objectContaining({ path: ORCL, symbol: 'ORCL' })]);
  });

  it('show-config redacts secret-looking keys', async () => {
    const file = writeTmp(
      'secret.yaml',
      `data: [{ path: ${ORCL} }]\nstrategy: { name: sma-cross, params: { apiKey: hunter2 } }\n`,
    );
    const io = captureIo();
    expect(await runCli(['show-config', '-c', file], io)).toBe(0);
    expect(io.stdout()).not.toContain('hunter2');
    expect(JSON.parse(io.stdout()).strategy.params.apiKey).toBe('***');
  });

  it('show-config reports validation errors with exit code 1 and no stack', async () => {
    const io = captureIo({ BACKTEST_CASH: '-5' });
    expect(await runCli(['show-config', '--data', ORCL, '--strategy', 'sma-cross'], io)).toBe(1);
    expect(io.stderr()).toBe('error: backtest run: cash: must be greater than 0, got "-5"\n');
    expect(io.stdout()).toBe('');
  });

  it('report on a directory without result.json fails clearly', async () => {
    const io = captureIo();
    const dir = path.join(tmp, 'empty-dir');
    expect(await runCli(['report', dir], io)).toBe(1);
    expect(io.stderr()).toBe(
      `error: report: ${path.join(dir, 'result.json')} does not exist (run a backtest with --out ${dir} first)\n`,
    );
  });

  it('rejects a bad choice and an unknown command through commander (exit 1)', async () => {
    const io = captureIo();
    expect(await runCli(['run', '--fill', 'sideways'], io)).toBe(1);
    expect(io.stderr()).toContain("error: option '--fill <mode>' argument 'sideways' is invalid");
    const io2 = captureIo();
    expect(await runCli(['frobnicate'], io2)).toBe(1);
    expect(io2.stderr()).toContain("error: unknown command 'frobnicate'");
  });

  it('prints help with exit code 0', async () => {
    const io = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.stdout()).toContain('Usage: backtest');
    expect(io.stdout()).toContain('list-strategies');
    const io2 = captureIo();
    expect(await runCli(['run', '--help'], io2)).toBe(0);
    expect(io2.stdout()).toContain('--skip-bad-rows');
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runConfigSchema, RunConfig } from './run-config';
import { composeBacktest, fixed, ProgressReporter, rerenderReport } from './backtest-app';
import { CliIo, runCli } from './cli';

jest.setTimeout(120_000);

const FIXTURES = path.resolve(__dirname, '../../../libs/data-providers-file/fixtures');
const ORCL = path.join(FIXTURES, 'orcl-1995-2014.txt');
const NVDA = path.join(FIXTURES, 'nvda-1999-2014.txt');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'backtest-app-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Records what the app reports. */
function recordingProgress(): ProgressReporter & { calls: string[]; updates: number[] } {
  const calls: string[] = [];
  const updates: number[] = [];
  return {
    calls,
    updates,
    start: () => calls.push('start'),
    update: (n) => void updates.push(n),
    stop: () => calls.push('stop'),
  };
}

const config = (over: Record<string, unknown>): RunConfig =>
  runConfigSchema.parse({
    data: [{ path: ORCL, symbol: 'ORCL' }],
    strategy: { name: 'sma-cross', params: { period: '20', quantity: '100' } },
    from: '1995-01-01',
    to: '1996-01-01',
    cacheDir: false,
    out: path.join(tmp, 'default'),
    ...over,
  });

describe('composeBacktest / BacktestApp', () => {
  it('runs through the container, reports progress and describes slippage and commission', async () => {
    const progress = recordingProgress();
    const out = path.join(tmp, 'slip');
    const app = composeBacktest(
      config({ out, slippage: { bps: '5' }, commission: { perOrder: '1' }, title: 'Slipped' }),
      progress,
    );
    const outcome = await app.run();
    expect(progress.calls).toEqual(['start', 'stop']);
    expect(progress.updates.length).toBeGreaterThan(0);
    expect(progress.updates).toEqual([...progress.updates].sort((a, b) => a - b));
    expect(progress.updates[progress.updates.length - 1]).toBeLessThanOrEqual(outcome.result.bars);
    expect(outcome.jsonPath).toBe(path.join(out, 'result.json'));
    expect(outcome.htmlPath).toBe(path.join(out, 'report.html'));
    expect(outcome.skippedRows).toEqual([]);
    expect(outcome.summary).toMatchObject({
      strategy: 'sma-cross',
      params: 'period=20 quantity=100',
      slippage: '5 bps',
      fill: 'next-open',
      latencyMs: 0,
      participation: null,
      from: '1995-01-01',
      to: '1996-01-01',
      fills: outcome.result.fills.length,
      finalEquity: outcome.result.finalEquity.toFixed(),
    });
    expect(outcome.summary.commission).toContain('1');
    // Strategy id derived from the name: client order ids start with it.
    expect(outcome.result.fills[0].clientOrderId).toMatch(/^smacross-/);
    for (const f of outcome.result.fills) expect(f.commission.toFixed()).toBe('1');
    const json = JSON.parse(fs.readFileSync(outcome.jsonPath, 'utf8'));
    expect(json.title).toBe('Slipped');
  });

  it('describes tick slippage and uses an explicit strategy id', async () => {
    const outcome = await composeBacktest(
      config({
        out: path.join(tmp, 'ticks'),
        slippage: { ticks: '2' },
        strategy: { name: 'sma-cross', id: 'my-sma', params: { period: 10 } },
      }),
      recordingProgress(),
    ).run();
    expect(outcome.summary.slippage).toBe('2 ticks');
    expect(outcome.result.fills[0].clientOrderId).toMatch(/^my-sma-/);
  });

  it('stops the progress reporter when the run fails', async () => {
    const progress = recordingProgress();
    const missing = path.join(tmp, 'missing.csv');
    const app = composeBacktest(config({ data: [{ path: missing, symbol: 'X' }] }), progress);
    await expect(app.run()).rejects.toThrow(missing);
    expect(progress.calls).toEqual(['start', 'stop']);
  });

  it('runs two instruments and reports risk denials on stderr', async () => {
    const out = path.join(tmp, 'two');
    const file = path.join(tmp, 'two.yaml');
    fs.writeFileSync(
      file,
      [
        'data:',
        `  - path: ${ORCL}`,
        `  - path: ${NVDA}`,
        'strategy: { name: sma-cross, params: { quantity: 100 } }',
        'from: "2000-01-01"',
        'to: "2001-01-01"',
        'risk: { maxOrderQuantity: 50 }',
        'cacheDir: false',
        `out: ${out}`,
        '',
      ].join('\n'),
    );
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      out: (t) => void (stdout += t),
      err: (t) => void (stderr += t),
      isTTY: false,
      env: {},
    };
    expect(await runCli(['run', '-c', file], io)).toBe(0);
    expect(stdout).toContain(
      'data                        ORCL=orcl-1995-2014.txt NVDA=nvda-1999-2014.txt\n',
    );
    expect(stderr).toMatch(
      /^note: \d+ order\(s\) denied, first: FAT_FINGER_QUANTITY: quantity 100 exceeds the max order quantity 50/,
    );
    const json = JSON.parse(fs.readFileSync(path.join(out, 'result.json'), 'utf8'));
    expect(json.config.instruments).toBe(
      'ORCL.SIM EQUITY tick 0.01 mult 1; NVDA.SIM EQUITY tick 0.01 mult 1',
    );
    expect(json.config.denied).toBeGreaterThan(0);
    expect(json.fills).toEqual([]);
    expect(stderr).toContain(`note: ${json.config.denied} order(s) denied`);
  });
});

describe('rerenderReport', () => {
  it('rewrites report.html from result.json and returns its summary', async () => {
    const out = path.join(tmp, 'rerender');
    const outcome = await composeBacktest(config({ out }), recordingProgress()).run();
    const original = fs.readFileSync(outcome.htmlPath, 'utf8');
    fs.unlinkSync(outcome.htmlPath);
    const r = rerenderReport(out);
    expect(r.htmlPath).toBe(outcome.htmlPath);
    expect(fs.readFileSync(r.htmlPath, 'utf8')).toBe(original);
    expect(r.summary).toEqual(outcome.summary);
    expect(r.metrics.finalEquity).toBe(outcome.result.metrics.finalEquity);
    expect(fs.existsSync(`${r.htmlPath}.tmp`)).toBe(false);
  });

  it('renders a minimal result (no curve, trades, fills or prices)', () => {
    const dir = path.join(tmp, 'minimal');
    fs.mkdirSync(dir, { recursive: true });
    const src = JSON.parse(fs.readFileSync(path.join(tmp, 'rerender', 'result.json'), 'utf8'));
    fs.writeFileSync(
      path.join(dir, 'result.json'),
      JSON.stringify({ config: src.config, metrics: src.metrics }),
    );
    const r = rerenderReport(dir);
    expect(fs.readFileSync(r.htmlPath, 'utf8')).toContain('<html');
  });
});

describe('fixed', () => {
  it('formats exact decimals for display', () => {
    expect(fixed('100004.0121')).toBe('100004.01');
    expect(fixed('0.125')).toBe('0.12'); // banker's rounding
    expect(fixed('0.135')).toBe('0.14');
    expect(fixed(-4.5, 0)).toBe('-4');
    expect(fixed('1', 4)).toBe('1.0000');
  });

  it('prints "-" for missing values', () => {
    expect(fixed(null)).toBe('-');
    expect(fixed(undefined)).toBe('-');
    expect(fixed('')).toBe('-');
  });
});

/**
 * End-to-end: `runCli(['run', ...])` over the real fixtures, reading back result.json and report.html.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exchangeDate, TradingDecimal } from '@trading/domain';
import { CliIo, runCli } from './cli';
import { fixed } from './backtest-app';
import { parseBound } from './run-config';

jest.setTimeout(120_000);

const FIXTURES = path.resolve(__dirname, '../../../libs/data-providers-file/fixtures');
const ORCL = path.join(FIXTURES, 'orcl-1995-2014.txt');
const FDAX = path.join(FIXTURES, '2006-day-001.txt');
const DECIMAL = /^-?\d+(\.\d+)?$/;

interface Captured extends CliIo {
  stdout(): string;
  stderr(): string;
}
function captureIo(env: Record<string, string> = {}): Captured {
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

interface ResultJson {
  title: string;
  config: Record<string, unknown>;
  metrics: Record<string, unknown>;
  fills: {
    price: string;
    quantity: string;
    commission: string;
    side: string;
    ts: number;
    multiplier: string;
    instrumentId: string;
  }[];
  trades: {
    entryPrice: string;
    exitPrice: string;
    quantity: string;
    grossPnl: string;
    netPnl: string;
    commission: string;
  }[];
  equityCurve: { ts: number; equity: string; cash: string }[];
}
const readResult = (dir: string): ResultJson =>
  JSON.parse(fs.readFileSync(path.join(dir, 'result.json'), 'utf8'));

/** Rows of a Yahoo-style fixture (date, open, ...) with `from <= date < to`. */
function fixtureRows(file: string, from: string, to: string): string[][] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(','))
    .filter(([d]) => d >= from && d < to);
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'backtest-run-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const orclArgs = (out: string, extra: string[] = []) => [
  'run',
  '--data',
  `ORCL=${ORCL}`,
  '--strategy',
  'sma-cross',
  '--param',
  'period=20',
  '--quantity',
  '100',
  '--from',
  '1995-01-01',
  '--to',
  '1997-01-01',
  '--out',
  out,
  ...extra,
];

describe('backtest run (ORCL daily, sma-cross)', () => {
  let out: string;
  let io: Captured;
  let code: number;
  let result: ResultJson;

  beforeAll(async () => {
    out = path.join(tmp, 'orcl');
    io = captureIo();
    code = await runCli(orclArgs(out, ['--no-cache']), io);
    result = readResult(out);
  });

  it('exits 0 without errors', () => {
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
  });

  it('writes result.json describing the run', () => {
    expect(result.title).toBe('sma-cross on ORCL');
    expect(result.config).toMatchObject({
      strategy: 'sma-cross',
      params: 'period=20 quantity=100',
      data: 'ORCL=orcl-1995-2014.txt',
      instruments: 'ORCL.SIM EQUITY tick 0.01 mult 1',
      cash: '100000',
      commission: 'none',
      slippage: 'none',
      fill: 'next-open',
      from: '1995-01-01',
      to: '1997-01-01',
      timeZone: 'America/New_York',
      denied: 0,
    });
  });

  it('streams exactly the fixture bars inside [from, to)', () => {
    const rows = fixtureRows(ORCL, '1995-01-01', '1997-01-01');
    expect(rows.length).toBeGreaterThan(500);
    expect(result.config['bars']).toBe(rows.length);
    const from = parseBound('1995-01-01', 'America/New_York', 'from') as number;
    const to = parseBound('1997-01-01', 'America/New_York', 'to') as number;
    expect(result.equityCurve.length).toBeGreaterThan(0);
    for (const p of result.equityCurve) {
      expect(p.ts).toBeGreaterThanOrEqual(from);
      expect(p.ts).toBeLessThan(to);
      expect(p.equity).toMatch(DECIMAL);
    }
    expect(result.equityCurve[0].equity).toBe('100000');
  });

  it('fills market orders at the open of the fill bar, as decimal strings, 100 at a time', () => {
    const openOf = new Map(fixtureRows(ORCL, '1995-01-01', '1997-01-01').map((r) => [r[0], r[1]]));
    expect(result.fills.length).toBeGreaterThan(0);
    expect(result.config['fills']).toBe(result.fills.length);
    for (const f of result.fills) {
      expect(typeof f.price).toBe('string');
      expect(f.price).toMatch(DECIMAL);
      const open = openOf.get(exchangeDate(f.ts, 'America/New_York'));
      expect(open).toBeDefined();
      expect(new TradingDecimal(f.price).eq(open as string)).toBe(true);
      expect(f.quantity).toBe('100');
      expect(f.commission).toBe('0');
      expect(f.instrumentId).toBe('ORCL.SIM');
    }
    // Long-only crossing: buys and sells alternate, starting with a buy.
    result.fills.forEach((f, i) => expect(f.side).toBe(i % 2 === 0 ? 'BUY' : 'SELL'));
  });

  it('keeps metrics consistent with the fills and the equity curve', () => {
    const m = result.metrics;
    expect(m['startingCash']).toBe('100000');
    expect(m['finalEquity']).toBe(result.config['finalEquity']);
    expect(m['finalEquity']).toBe(result.equityCurve[result.equityCurve.length - 1].equity);
    expect(new TradingDecimal(m['finalEquity'] as string).minus(100000).toFixed()).toBe(
      new TradingDecimal(m['netProfit'] as string).toFixed(),
    );
    expect(m['fillCount']).toBe(result.fills.length);
    expect(m['tradeCount']).toBe(Math.floor(result.fills.length / 2));
    // Realised P&L of closed trades = sum over round trips of (exit - entry) * qty.
    const sum = result.trades.reduce(
      (acc, t) => acc.plus(new TradingDecimal(t.exitPrice).minus(t.entryPrice).times(t.quantity)),
      new TradingDecimal(0),
    );
    expect(sum.toFixed()).toBe(new TradingDecimal(m['totalTradeNetPnl'] as string).toFixed());
  });

  it('writes a self-contained report.html with the equity chart', () => {
    const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('chart-equity');
    expect(html).toContain('sma-cross on ORCL');
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/);
  });

  it('prints the summary table', () => {
    const lines = io.stdout().split('\n');
    expect(lines[0]).toBe('strategy                    sma-cross period=20 quantity=100');
    expect(lines).toContain(
      `bars / orders / fills       ${result.config['bars']} / ${result.config['orders']} / ${result.fills.length}`,
    );
    expect(lines).toContain('starting cash               100000.00');
    expect(lines).toContain(
      `final equity                ${fixed(result.metrics['finalEquity'] as string)}`,
    );
    expect(lines).toContain(
      `total return                ${((result.metrics['totalReturn'] as number) * 100).toFixed(2)}%`,
    );
    expect(lines).toContain(`output                      ${path.join(out, 'result.json')}`);
    expect(lines).toContain(`                            ${path.join(out, 'report.html')}`);
  });

  it('is deterministic: a second run writes a byte-identical result.json', async () => {
    const again = path.join(tmp, 'orcl-again');
    const io2 = captureIo();
    expect(await runCli(orclArgs(again, ['--no-cache']), io2)).toBe(0);
    expect(fs.readFileSync(path.join(again, 'result.json'))).toEqual(
      fs.readFileSync(path.join(out, 'result.json')),
    );
    expect(fs.readFileSync(path.join(again, 'report.html'))).toEqual(
      fs.readFileSync(path.join(out, 'report.html')),
    );
  });

  it('gives the same result.json from the binary bar cache (miss, then hit)', async () => {
    const cacheDir = path.join(tmp, 'cache');
    for (const name of ['cached-1', 'cached-2']) {
      const io2 = captureIo({ BACKTEST_CACHE_DIR: cacheDir });
      expect(await runCli(orclArgs(path.join(tmp, name)), io2)).toBe(0);
      expect(fs.readFileSync(path.join(tmp, name, 'result.json'))).toEqual(
        fs.readFileSync(path.join(out, 'result.json')),
      );
    }
    expect(fs.readdirSync(cacheDir).length).toBeGreaterThan(0);
  });

  it('report <dir> re-renders report.html identically and prints the summary', async () => {
    const html = path.join(out, 'report.html');
    const before = fs.readFileSync(html, 'utf8');
    fs.writeFileSync(html, 'stale');
    const io2 = captureIo();
    expect(await runCli(['report', out], io2)).toBe(0);
    expect(io2.stderr()).toBe('');
    expect(fs.readFileSync(html, 'utf8')).toBe(before);
    expect(io2.stdout()).toContain(
      `final equity                ${fixed(result.metrics['finalEquity'] as string)}`,
    );
    expect(io2.stdout()).toContain(`output                      ${html}`);
  });
});

describe('backtest run: futures-style (FDAX daily, multiplier 10)', () => {
  let out: string;
  let io: Captured;
  let code: number;
  let result: ResultJson;

  beforeAll(async () => {
    out = path.join(tmp, 'fdax');
    io = captureIo();
    code = await runCli(
      [
        'run',
        '--data',
        `FDAX=${FDAX}`,
        '--strategy',
        'sma-cross',
        '--asset-class',
        'FUTURE',
        '--multiplier',
        '10',
        '--tick-size',
        '0.01',
        '--timezone',
        'Europe/Berlin',
        '--commission',
        '2/unit',
        '--quantity',
        '1',
        '--from',
        '2006-03-01',
        '--out',
        out,
        '--no-cache',
      ],
      io,
    );
    result = readResult(out);
  });

  it('succeeds', () => {
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
  });

  it('describes the futures instrument and the Berlin zone', () => {
    expect(result.config).toMatchObject({
      instruments: 'FDAX.SIM FUTURE tick 0.01 mult 10',
      commission: '2/unit',
      timeZone: 'Europe/Berlin',
      from: '2006-03-01',
      bars: fixtureRows(FDAX, '2006-03-01', '2007-01-01').length,
    });
    // --from is Berlin midnight, bars are stamped after it (first bar: 2006-03-01).
    expect(result.equityCurve[0].ts).toBeGreaterThanOrEqual(Date.UTC(2006, 1, 28, 23, 0));
    expect(result.equityCurve[0].ts).toBeLessThan(Date.UTC(2006, 2, 2));
  });

  it('charges 2 per contract on every fill', () => {
    expect(result.fills.length).toBeGreaterThan(0);
    for (const f of result.fills) {
      expect(f.commission).toBe('2');
      expect(f.quantity).toBe('1');
      expect(f.multiplier).toBe('10');
    }
    expect(new TradingDecimal(result.metrics['totalCommission'] as string).toFixed()).toBe(
      String(2 * result.fills.length),
    );
  });

  it('books P&L times the multiplier', () => {
    expect(result.trades.length).toBeGreaterThan(0);
    for (const t of result.trades) {
      const gross = new TradingDecimal(t.exitPrice).minus(t.entryPrice).times(t.quantity).times(10);
      expect(new TradingDecimal(t.grossPnl).toFixed()).toBe(gross.toFixed());
      expect(new TradingDecimal(t.netPnl).toFixed()).toBe(gross.minus(4).toFixed());
    }
  });
});

describe('backtest run: bad inputs', () => {
  const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

  async function fails(args: string[]): Promise<string> {
    const io = captureIo();
    const code = await runCli(args, io);
    expect(code).toBe(1);
    expect(io.stdout()).toBe('');
    noStack(io.stderr());
    expect(io.stderr()).toMatch(/^error: /);
    return io.stderr();
  }

  it('unknown strategy: lists the valid ones', async () => {
    const err = await fails([
      'run',
      '--data',
      ORCL,
      '--strategy',
      'buy-the-dip',
      '--out',
      path.join(tmp, 'x1'),
      '--no-cache',
    ]);
    expect(err).toBe(
      'error: strategy: must be one of sma-cross, dual-sma-cross, rsi-mean-reversion, liquidity-sweep, got "buy-the-dip"\n',
    );
  });

  it('missing data file: names the file', async () => {
    const missing = path.join(tmp, 'no-such-file.txt');
    const err = await fails([
      'run',
      '--data',
      `X=${missing}`,
      '--strategy',
      'sma-cross',
      '--out',
      path.join(tmp, 'x2'),
      '--no-cache',
    ]);
    expect(err).toContain(missing);
    expect(err).toContain('ENOENT');
  });

  it('bad strategy param: names the param', async () => {
    const err = await fails([
      'run',
      '--data',
      ORCL,
      '--strategy',
      'sma-cross',
      '--param',
      'period=-1',
      '--out',
      path.join(tmp, 'x3'),
      '--no-cache',
    ]);
    expect(err).toBe('error: period: must be ≥ 1, got "-1"\n');
  });

  it('a CSV row with high < low fails with file and line; --skip-bad-rows succeeds and reports it', async () => {
    const csv = path.join(tmp, 'bad-row.csv');
    fs.writeFileSync(
      csv,
      [
        'Date,Open,High,Low,Close,Adj Close,Volume',
        '2020-01-02,10,11,9,10.5,10.5,1000',
        '2020-01-03,10,8,9,10.5,10.5,1000',
        '2020-01-06,10.5,11.5,10,11,11,1200',
        '',
      ].join('\n'),
    );
    const args = [
      'run',
      '--data',
      `BAD=${csv}`,
      '--strategy',
      'sma-cross',
      '--param',
      'period=1',
      '--out',
      path.join(tmp, 'x4'),
      '--no-cache',
    ];
    const err = await fails(args);
    expect(err).toContain('bad-row.csv:3:');
    expect(err).toContain('high 8 < low 9');

    const io = captureIo();
    expect(await runCli([...args, '--skip-bad-rows'], io)).toBe(0);
    expect(io.stderr()).toBe(
      'note: bad-row.csv: skipped 1 bad row(s), first: bad-row.csv:3: high 8 < low 9\n',
    );
    const r = readResult(path.join(tmp, 'x4'));
    expect(r.config['bars']).toBe(2);
    expect(io.stdout()).toContain('bars / orders / fills       2 / ');
  });

  it('invalid cash from a flag names the field and the value', async () => {
    const err = await fails(['run', '--data', ORCL, '--strategy', 'sma-cross', '--cash', '-5']);
    expect(err).toBe('error: backtest run: cash: must be greater than 0, got "-5"\n');
  });

  it('an invalid --from names the field', async () => {
    const err = await fails([
      'run',
      '--data',
      ORCL,
      '--strategy',
      'sma-cross',
      '--from',
      '1995-13-45',
      '--out',
      path.join(tmp, 'x5'),
      '--no-cache',
    ]);
    expect(err).toBe(
      'error: from: must be a valid date YYYY-MM-DD whose midnight exists in America/New_York, got "1995-13-45"\n',
    );
    expect(fs.existsSync(path.join(tmp, 'x5'))).toBe(false);
  });

  it('report of a corrupt result.json names the file', async () => {
    const dir = path.join(tmp, 'corrupt');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'result.json'), '{"config": ');
    const err = await fails(['report', dir]);
    expect(err).toContain(`error: report: ${path.join(dir, 'result.json')} is not valid JSON`);
    fs.writeFileSync(path.join(dir, 'result.json'), '{"fills": []}');
    const err2 = await fails(['report', dir]);
    expect(err2).toBe(
      `error: report: ${path.join(dir, 'result.json')} is not a backtest result (needs "config" and "metrics")\n`,
    );
  });
});

import * as fs from 'node:fs';
import { Command, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import {
  envOverrides,
  mergeConfig,
  parseConfig,
  parseConfigText,
  redactSecrets,
} from '@trading/config';
import { ConfigError, ValidationError } from '@trading/domain';
import { listStrategies } from '@trading/strategies';
import { BacktestMetrics } from '@trading/backtest';
import { composeBacktest, fixed, ProgressReporter, rerenderReport } from './backtest-app';
import {
  parseBound,
  parseCommission,
  parseDataArg,
  parseParamArg,
  parseSlippage,
  RunConfig,
  runConfigSchema,
} from './run-config';

/** Where the CLI writes (injectable for tests). */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** Where the progress bar draws when `isTTY` (default: process.stderr). */
  progressStream?: NodeJS.WritableStream;
}

const defaultIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stderr.isTTY),
  env: process.env,
};

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Builds the run config from `--config FILE`, `BACKTEST_*` env vars and CLI flags (flags win). */
export function buildRunConfig(opts: Record<string, unknown>, env: CliIo['env']): RunConfig {
  let fromFile: unknown = {};
  const file = opts['config'] as string | undefined;
  if (file) {
    if (!fs.existsSync(file))
      throw new ConfigError(`config: file ${JSON.stringify(file)} does not exist`, {
        source: file,
      });
    fromFile = parseConfigText(fs.readFileSync(file, 'utf8'), file);
  }
  const flags: Record<string, unknown> = {};
  const data = opts['data'] as string[] | undefined;
  if (data?.length) {
    const common: Record<string, unknown> = {};
    for (const k of [
      'format',
      'timeZone',
      'sessionClose',
      'assetClass',
      'tickSize',
      'lotSize',
      'multiplier',
    ])
      if (opts[k] !== undefined) common[k] = opts[k];
    flags['data'] = data.map((d) => ({ ...parseDataArg(d), ...common }));
  }
  const strategy: Record<string, unknown> = {};
  if (opts['strategy']) strategy['name'] = opts['strategy'];
  const params: Record<string, string> = {};
  for (const p of (opts['param'] as string[] | undefined) ?? []) {
    const [k, v] = parseParamArg(p);
    params[k] = v;
  }
  if (opts['quantity'] !== undefined) params['quantity'] = String(opts['quantity']);
  if (Object.keys(params).length) strategy['params'] = params;
  if (Object.keys(strategy).length) flags['strategy'] = strategy;
  if (opts['cash'] !== undefined) flags['cash'] = opts['cash'];
  if (opts['commission'] !== undefined)
    flags['commission'] = parseCommission(String(opts['commission']));
  if (opts['slippage'] !== undefined) flags['slippage'] = parseSlippage(String(opts['slippage']));
  for (const k of ['fill', 'from', 'to', 'timeZone', 'out', 'latencyMs', 'participation', 'title'])
    if (opts[k] !== undefined) flags[k] = opts[k];
  if (opts['skipBadRows']) flags['skipBadRows'] = true;
  if (opts['cache'] === false) flags['cacheDir'] = false;
  const merged = mergeConfig(fromFile, envOverrides(env, 'BACKTEST'), flags);
  const config = parseConfig(runConfigSchema, merged, file ?? 'backtest run');
  // Bounds fail here (also for show-config), not after the data has been opened.
  const from = parseBound(config.from, config.timeZone, 'from');
  const to = parseBound(config.to, config.timeZone, 'to');
  if (from !== undefined && to !== undefined && to <= from) {
    throw new ValidationError('to', config.to, `must be after from (${config.from})`);
  }
  return config;
}

/** A TTY progress bar on `io.progressStream` when `io.isTTY`, else a no-op. */
export function progressReporter(io: CliIo): ProgressReporter {
  if (!io.isTTY) return { start: () => undefined, update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      format: 'backtest {spinner} {value} bars | {duration_formatted}',
      hideCursor: true,
      stream: io.progressStream ?? process.stderr,
      fps: 10,
    },
    { format: '' } as never,
  );
  let started = false;
  return {
    start: () => {
      bar.start(0, 0, { spinner: '…' });
      started = true;
    },
    update: (n) => started && bar.update(n, { spinner: '…' }),
    stop: () => started && bar.stop(),
  };
}

/** The one-screen summary table. */
export function summaryTable(
  config: Record<string, unknown>,
  m: BacktestMetrics,
  files: string[],
): string {
  const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(2)}%`);
  const num = (x: number | null, d = 2) => (x === null ? '-' : x.toFixed(d));
  const rows: [string, string][] = [
    ['strategy', `${config['strategy']} ${config['params'] ?? ''}`.trim()],
    ['data', String(config['data'] ?? '')],
    ['bars / orders / fills', `${config['bars']} / ${config['orders']} / ${config['fills']}`],
    ['starting cash', fixed(m.startingCash)],
    ['final equity', fixed(m.finalEquity)],
    ['net profit', fixed(m.netProfit)],
    ['total return', pct(m.totalReturn)],
    ['CAGR', pct(m.cagr)],
    ['annual volatility', pct(m.annualVolatility)],
    ['Sharpe / Sortino / Calmar', `${num(m.sharpe)} / ${num(m.sortino)} / ${num(m.calmar)}`],
    ['max drawdown', `${pct(m.maxDrawdown)} (${num(m.maxDrawdownDurationDays, 0)} days)`],
    ['trades / win rate', `${m.tradeCount} / ${pct(m.winRate)}`],
    ['profit factor / expectancy', `${num(m.profitFactor)} / ${fixed(m.expectancy)}`],
    ['exposure / turnover', `${pct(m.exposure)} / ${num(m.turnover)}`],
    ['commissions', fixed(m.totalCommission)],
    ...files.map((f, i): [string, string] => [i === 0 ? 'output' : '', f]),
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n';
}

/** The options of `run` (and `show-config`). */
function addRunOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'YAML/JSON run config (flags override it)')
    .option(
      '-d, --data <file>',
      'data file, [SYMBOL=]path (repeat for several instruments)',
      collect,
    )
    .option('-s, --strategy <name>', 'strategy name (see list-strategies)')
    .option('-p, --param <k=v>', 'strategy parameter (repeat)', collect)
    .option('--quantity <qty>', 'order quantity (sets the strategy parameter `quantity`)')
    .option('--cash <amount>', 'starting cash (default 100000)')
    .option('--commission <spec>', 'e.g. "0.005/unit,min=1", "1/order", "0.1%", "5bps"')
    .option('--slippage <spec>', 'e.g. "5bps", "1tick"')
    .addOption(
      new Option(
        '--fill <mode>',
        'market orders fill at the next bar open or the current close',
      ).choices(['next-open', 'close']),
    )
    .option('--latency <ms>', 'order latency in simulated ms')
    .option('--participation <fraction>', 'max fraction of a bar volume per order (partial fills)')
    .option('--from <date>', 'start (YYYY-MM-DD or ISO; local dates in --timezone)')
    .option('--to <date>', 'end, exclusive')
    .option(
      '--timezone <zone>',
      'exchange time zone of the data and the calendar (default America/New_York)',
    )
    .addOption(
      new Option('--format <layout>', 'CSV layout (default auto-detect)').choices([
        'auto',
        'ohlcv',
        'date-time-ohlcv',
        'yahoo',
        'tick',
      ]),
    )
    .option('--session-close <HH:mm>', 'time stamped on daily bars (default 16:00)')
    .addOption(
      new Option('--asset-class <class>', 'instrument asset class').choices([
        'EQUITY',
        'FUTURE',
        'FX',
        'CRYPTO',
        'OPTION',
        'INDEX',
      ]),
    )
    .option('--tick-size <n>', 'price increment')
    .option('--lot-size <n>', 'quantity increment')
    .option('--multiplier <n>', 'contract multiplier (futures-style P&L)')
    .option('--skip-bad-rows', 'skip (and report) bad CSV rows instead of failing')
    .option('--no-cache', 'do not use the binary bar cache')
    .option('-o, --out <dir>', 'output directory (default out/backtest)')
    .option('--title <text>', 'report title');
}

/** Commander option names → run-config keys (`--timezone` → `timeZone`, `--latency` → `latencyMs`). */
function normalizeRunOptions(opts: Record<string, unknown>): Record<string, unknown> {
  const { timezone, latency, ...rest } = opts;
  return { ...rest, timeZone: timezone, latencyMs: latency };
}

/** Builds the commander program. */
export function buildProgram(io: CliIo = defaultIo): Command {
  const program = new Command('backtest')
    .description(
      'Backtest runner: runs strategies over historical bars with the same kernel as the live engine.',
    )
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();

  addRunOptions(
    program
      .command('run')
      .description('run a backtest and write <out>/result.json and <out>/report.html'),
  ).action(async (opts: Record<string, unknown>) => {
    const config = buildRunConfig(normalizeRunOptions(opts), io.env);
    const app = composeBacktest(config, progressReporter(io));
    const outcome = await app.run();
    io.out(
      summaryTable(outcome.summary as Record<string, unknown>, outcome.result.metrics, [
        outcome.jsonPath,
        outcome.htmlPath,
      ]),
    );
    for (const s of outcome.skippedRows)
      io.err(
        `note: ${s.source}: skipped ${s.skipped} bad row(s)${s.first ? `, first: ${s.first}` : ''}\n`,
      );
    if (outcome.result.denials.length > 0)
      io.err(
        `note: ${outcome.result.denials.length} order(s) denied, first: ${outcome.result.denials[0].reason}: ${outcome.result.denials[0].message}\n`,
      );
  });

  program
    .command('list-strategies')
    .description('list built-in strategies and their parameters')
    .action(() => {
      for (const s of listStrategies()) {
        io.out(`${s.name}\n  ${s.description}\n`);
        for (const p of s.params)
          io.out(
            `    --param ${p.name}=<${p.type}>  ${p.description}${p.default !== undefined ? ` (default ${p.default})` : ''}\n`,
          );
      }
    });

  program
    .command('report <dir>')
    .description('re-render <dir>/report.html from <dir>/result.json and print the summary')
    .action((dir: string) => {
      const r = rerenderReport(dir);
      io.out(summaryTable(r.summary as Record<string, unknown>, r.metrics, [r.htmlPath]));
    });

  addRunOptions(
    program
      .command('show-config')
      .description(
        'print the merged, validated run config (secrets redacted) without running; takes the options of `run`',
      ),
  ).action((opts: Record<string, unknown>) => {
    io.out(
      JSON.stringify(redactSecrets(buildRunConfig(normalizeRunOptions(opts), io.env)), null, 2) +
        '\n',
    );
  });
  return program;
}

/** Runs the CLI; returns the process exit code (errors are printed, never thrown). */
export async function runCli(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    const err = e as { code?: string; exitCode?: number; message?: string };
    if (typeof err.code === 'string' && err.code.startsWith('commander.')) {
      return err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
        ? 0
        : (err.exitCode ?? 1);
    }
    io.err(`error: ${err.message ?? String(e)}\n`);
    return 1;
  }
}

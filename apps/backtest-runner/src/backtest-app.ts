import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Container, ContainerModule, inject, injectable } from 'inversify';
import { TradingDecimal } from '@trading/domain';
import { commissionModel, fillModelConfig, slippageModel } from '@trading/brokers';
import { DATA_TOKENS, HistoricalData } from '@trading/data-providers';
import { csvHistoricalDataModule } from '@trading/data-providers-file';
import { ENGINE_TOKENS, Strategy } from '@trading/engine';
import { createStrategy } from '@trading/strategies';
import {
  BacktestReportInput,
  BacktestResult,
  ConfigSummary,
  renderHtmlReport,
  runBacktest,
  writeReportFiles,
  fillFromJson,
  equityPointFromJson,
  roundTripFromJson,
} from '@trading/backtest';
import { RiskConfigInput } from '@trading/risk';
import { instrumentOf, parseBound, RunConfig, symbolOf } from './run-config';

/** DI tokens of the backtest-runner app. */
export const APP_TOKENS = {
  RunConfig: Symbol.for('backtest-runner.RunConfig'),
  Progress: Symbol.for('backtest-runner.Progress'),
  BacktestApp: Symbol.for('backtest-runner.BacktestApp'),
} as const;

/** Progress sink (a TTY bar or nothing). */
export interface ProgressReporter {
  start(): void;
  update(bars: number): void;
  stop(): void;
}

/** What a finished run returns to the CLI. */
export interface RunOutcome {
  readonly result: BacktestResult;
  readonly htmlPath: string;
  readonly jsonPath: string;
  readonly summary: ConfigSummary;
}

/** Runs one configured backtest: resolves data and strategy from the container, writes the report. */
@injectable()
export class BacktestApp {
  constructor(
    @inject(APP_TOKENS.RunConfig) private readonly config: RunConfig,
    @inject(DATA_TOKENS.HistoricalData) private readonly data: HistoricalData,
    @inject(ENGINE_TOKENS.Strategies) private readonly strategies: Strategy[],
    @inject(APP_TOKENS.Progress) private readonly progress: ProgressReporter,
  ) {}

  async run(): Promise<RunOutcome> {
    const c = this.config;
    const instruments = c.data.map(instrumentOf);
    this.progress.start();
    let result: BacktestResult;
    try {
      result = await runBacktest({
        instruments,
        data: this.data,
        strategies: this.strategies,
        startingCash: c.cash,
        from: parseBound(c.from, c.timeZone, 'from'),
        to: parseBound(c.to, c.timeZone, 'to'),
        fill: fillModelConfig({ marketFill: c.fill, latencyMs: c.latencyMs, participation: c.participation ?? null }),
        commission: commissionModel(c.commission),
        slippage: slippageModel('bps' in c.slippage ? { bps: c.slippage.bps } : 'ticks' in c.slippage ? { ticks: c.slippage.ticks } : { none: true }),
        risk: c.risk as RiskConfigInput | undefined,
        timeZone: c.timeZone,
        onProgress: (n) => this.progress.update(n),
      });
    } finally {
      this.progress.stop();
    }
    const summary = configSummary(c, result);
    const input: BacktestReportInput = {
      title: c.title ?? `${c.strategy.name} on ${c.data.map(symbolOf).join(', ')}`,
      config: summary,
      metrics: result.metrics,
      equityCurve: result.equityCurve,
      trades: result.trades,
      fills: result.fills,
      prices: result.prices,
    };
    const files = writeReportFiles(c.out, input);
    return { result, ...files, summary };
  }
}

/** The scalar run description shown in the report and stored in result.json (deterministic: no wall-clock time). */
export function configSummary(c: RunConfig, r: BacktestResult): ConfigSummary {
  const params = Object.entries(c.strategy.params)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return {
    strategy: c.strategy.name,
    params,
    data: c.data.map((d) => `${symbolOf(d)}=${path.basename(d.path)}`).join(' '),
    instruments: c.data.map((d) => `${symbolOf(d)}.${d.venue} ${d.assetClass} tick ${d.tickSize} mult ${d.multiplier}`).join('; '),
    cash: c.cash,
    commission: commissionModel(c.commission).describe(),
    slippage: 'bps' in c.slippage ? `${c.slippage.bps} bps` : 'ticks' in c.slippage ? `${c.slippage.ticks} ticks` : 'none',
    fill: c.fill,
    latencyMs: c.latencyMs,
    participation: c.participation ?? null,
    from: c.from ?? null,
    to: c.to ?? null,
    timeZone: c.timeZone,
    bars: r.bars,
    orders: r.ordersSubmitted,
    denied: r.denials.length,
    fills: r.fills.length,
    finalCash: r.finalCash.toFixed(),
    finalEquity: r.finalEquity.toFixed(),
  };
}

/** Composition root: binds the CSV data adapter, the strategy and the run config, and returns the app. */
export function composeBacktest(config: RunConfig, progress: ProgressReporter): BacktestApp {
  const container = new Container();
  const strategyId = config.strategy.id ?? (config.strategy.name.replace(/[^A-Za-z0-9]/g, '').slice(0, 32) || 'S1');
  const instruments = config.data.map(instrumentOf);
  container.load(
    csvHistoricalDataModule({
      cacheDir: config.cacheDir,
      series: config.data.map((d, i) => ({
        instrumentId: instruments[i].id,
        path: d.path,
        format: d.format,
        timeZone: d.timeZone ?? config.timeZone,
        sessionClose: d.sessionClose,
        skipBadRows: config.skipBadRows,
      })),
    }),
    new ContainerModule((options) => {
      options.bind(APP_TOKENS.RunConfig).toConstantValue(config);
      options.bind(APP_TOKENS.Progress).toConstantValue(progress);
      options
        .bind(ENGINE_TOKENS.Strategies)
        .toDynamicValue(() => [createStrategy(config.strategy.name, { id: strategyId, instruments: instruments.map((i) => i.id), params: config.strategy.params })])
        .inSingletonScope();
      options.bind(APP_TOKENS.BacktestApp).to(BacktestApp).inSingletonScope();
    }),
  );
  return container.get<BacktestApp>(APP_TOKENS.BacktestApp);
}

/** `backtest report DIR`: re-renders report.html from DIR/result.json. */
export function rerenderReport(dir: string): { htmlPath: string; summary: ConfigSummary; metrics: BacktestReportInput['metrics'] } {
  const jsonPath = path.join(dir, 'result.json');
  if (!fs.existsSync(jsonPath)) throw new Error(`report: ${jsonPath} does not exist (run a backtest with --out ${dir} first)`);
  const j = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  const input: BacktestReportInput = {
    title: j.title ?? undefined,
    config: j.config,
    metrics: j.metrics,
    equityCurve: (j.equityCurve ?? []).map(equityPointFromJson),
    trades: (j.trades ?? []).map(roundTripFromJson),
    fills: (j.fills ?? []).map(fillFromJson),
    prices: j.prices ?? [],
  };
  const htmlPath = path.join(dir, 'report.html');
  fs.writeFileSync(`${htmlPath}.tmp`, renderHtmlReport(input));
  fs.renameSync(`${htmlPath}.tmp`, htmlPath);
  return { htmlPath, summary: input.config, metrics: input.metrics };
}

/** Exact decimal → fixed text with `places` decimals (display only). */
export function fixed(x: string | number | null | undefined, places = 2): string {
  if (x === null || x === undefined || x === '') return '-';
  return new TradingDecimal(x).toFixed(places);
}

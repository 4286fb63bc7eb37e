import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Container, ContainerModule, inject, injectable } from 'inversify';
import { ConfigError, TradingDecimal } from '@trading/domain';
import { commissionModel, fillModelConfig, slippageModel } from '@trading/brokers';
import { DATA_TOKENS, HistoricalData, LoadReport } from '@trading/data-providers';
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
  EquityPointJson,
  FillRecordJson,
  RoundTripTradeJson,
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
  /** Per data file: bad rows skipped under `skipBadRows` (only files with skipped rows). */
  readonly skippedRows: readonly SkippedRows[];
}

/** Bad CSV rows skipped in one data file (`--skip-bad-rows`). */
export interface SkippedRows {
  readonly source: string;
  readonly skipped: number;
  /** The first skipped row: `file:line: message`. */
  readonly first?: string;
}

/** A data source that reports its last load (the CSV adapter does). */
interface ReportingData {
  loadReport(instrumentId: string): LoadReport | undefined;
}
const isReporting = (d: HistoricalData): d is HistoricalData & ReportingData =>
  typeof (d as Partial<ReportingData>).loadReport === 'function';

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
    const instruments = c.data.map((d) => instrumentOf(d, c.timeZone));
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
        fill: fillModelConfig({
          marketFill: c.fill,
          latencyMs: c.latencyMs,
          participation: c.participation ?? null,
        }),
        commission: commissionModel(c.commission),
        slippage: slippageModel(
          'bps' in c.slippage
            ? { bps: c.slippage.bps }
            : 'ticks' in c.slippage
              ? { ticks: c.slippage.ticks }
              : { none: true },
        ),
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
    return {
      result,
      ...files,
      summary,
      skippedRows: this.skippedRows(instruments.map((i) => i.id)),
    };
  }

  private skippedRows(instrumentIds: readonly string[]): SkippedRows[] {
    const data = this.data;
    if (!isReporting(data)) return [];
    const out: SkippedRows[] = [];
    for (const id of instrumentIds) {
      const r = data.loadReport(id);
      if (!r || r.skipped === 0) continue;
      const i = r.issues[0];
      out.push({
        source: r.source,
        skipped: r.skipped,
        first: i ? `${i.source}:${i.line}: ${i.message}` : undefined,
      });
    }
    return out;
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
    instruments: c.data
      .map(
        (d) => `${symbolOf(d)}.${d.venue} ${d.assetClass} tick ${d.tickSize} mult ${d.multiplier}`,
      )
      .join('; '),
    cash: c.cash,
    commission: commissionModel(c.commission).describe(),
    slippage:
      'bps' in c.slippage
        ? `${c.slippage.bps} bps`
        : 'ticks' in c.slippage
          ? `${c.slippage.ticks} ticks`
          : 'none',
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
  const strategyId =
    config.strategy.id ?? (config.strategy.name.replace(/[^A-Za-z0-9]/g, '').slice(0, 32) || 'S1');
  const instruments = config.data.map((d) => instrumentOf(d, config.timeZone));
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
        .toDynamicValue(() => [
          createStrategy(config.strategy.name, {
            id: strategyId,
            instruments: instruments.map((i) => i.id),
            params: config.strategy.params,
          }),
        ])
        .inSingletonScope();
      options.bind(APP_TOKENS.BacktestApp).to(BacktestApp).inSingletonScope();
    }),
  );
  return container.get<BacktestApp>(APP_TOKENS.BacktestApp);
}

/** The parts of result.json the report re-render reads. */
interface StoredResult {
  readonly title?: string;
  readonly config: ConfigSummary;
  readonly metrics: BacktestReportInput['metrics'];
  readonly equityCurve?: EquityPointJson[];
  readonly trades?: RoundTripTradeJson[];
  readonly fills?: FillRecordJson[];
  readonly prices?: BacktestReportInput['prices'];
}

/** `backtest report DIR`: re-renders report.html from DIR/result.json. */
export function rerenderReport(dir: string): {
  htmlPath: string;
  summary: ConfigSummary;
  metrics: BacktestReportInput['metrics'];
} {
  const jsonPath = path.join(dir, 'result.json');
  if (!fs.existsSync(jsonPath))
    throw new ConfigError(
      `report: ${jsonPath} does not exist (run a backtest with --out ${dir} first)`,
      { path: jsonPath },
    );
  let j: StoredResult;
  try {
    j = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  } catch (e) {
    throw new ConfigError(`report: ${jsonPath} is not valid JSON (${(e as Error).message})`, {
      path: jsonPath,
    });
  }
  if (
    j === null ||
    typeof j !== 'object' ||
    typeof j.config !== 'object' ||
    typeof j.metrics !== 'object' ||
    j.config === null ||
    j.metrics === null
  ) {
    throw new ConfigError(
      `report: ${jsonPath} is not a backtest result (needs "config" and "metrics")`,
      { path: jsonPath },
    );
  }
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

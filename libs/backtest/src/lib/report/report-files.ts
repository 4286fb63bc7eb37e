import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { equityPointToJson, fillToJson, roundTripToJson } from '../analytics/analytics.types';
import { stableJson } from '../analytics/stable-json';
import { BacktestReportInput, HtmlReportOptions, renderHtmlReport } from './html-report';

/** Version of the JSON result file layout written by {@link renderJsonReport}. */
export const JSON_REPORT_VERSION = 1;

/**
 * The machine-readable result file: canonical JSON (sorted keys, decimals as strings, numbers at
 * 12 significant digits, 2-space indent, trailing newline) of config, metrics, equity curve,
 * trades, fills and price series. Byte-identical for the same input.
 */
export function renderJsonReport(input: BacktestReportInput): string {
  return (
    stableJson(
      {
        version: JSON_REPORT_VERSION,
        title: input.title ?? null,
        config: input.config,
        metrics: input.metrics,
        equityCurve: input.equityCurve.map(equityPointToJson),
        trades: input.trades.map(roundTripToJson),
        fills: input.fills.map(fillToJson),
        prices: input.prices.map((p) => ({
          instrumentId: p.instrumentId,
          ts: [...p.ts],
          close: [...p.close],
        })),
      },
      { indent: 2 },
    ) + '\n'
  );
}

/** Paths written by {@link writeReportFiles}. */
export interface ReportFiles {
  readonly htmlPath: string;
  readonly jsonPath: string;
}

/**
 * Writes `report.html` and `result.json` into `dir` (created if missing). Each file is written to a
 * temporary name and renamed, so a reader never sees a half-written report.
 */
export function writeReportFiles(
  dir: string,
  input: BacktestReportInput,
  options: HtmlReportOptions = {},
): ReportFiles {
  mkdirSync(dir, { recursive: true });
  const htmlPath = join(dir, 'report.html');
  const jsonPath = join(dir, 'result.json');
  atomicWrite(jsonPath, renderJsonReport(input));
  atomicWrite(htmlPath, renderHtmlReport(input, options));
  return { htmlPath, jsonPath };
}

function atomicWrite(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text, 'utf8');
  renameSync(tmp, path);
}

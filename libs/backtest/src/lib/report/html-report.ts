import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { toIsoUtc } from '@trading/domain';
import { EquityPoint, FillRecord, RoundTripTrade } from '../analytics/analytics.types';
import { drawdownSeries, equityValues } from '../analytics/equity-series';
import { BacktestMetrics } from '../analytics/metrics';
import { stableJson } from '../analytics/stable-json';
import { DEFAULT_MAX_POINTS_PER_SERIES, downsampleIndices, downsampleSeries } from './downsample';

/** Close prices of one instrument for the report's price chart (market data is numeric by design). */
export interface PriceSeries {
  readonly instrumentId: string;
  /** Bar close times, UTC epoch ms, ascending. */
  readonly ts: readonly number[];
  readonly close: readonly number[];
}

/** Scalar values shown in the report's configuration table. */
export type ConfigSummary = Readonly<Record<string, string | number | boolean | null>>;

/** Everything the HTML report shows. */
export interface BacktestReportInput {
  /** Page title (default "Backtest report"). */
  readonly title?: string;
  /** Run configuration summary (strategy, parameters, period, costs…), shown as a table. */
  readonly config: ConfigSummary;
  readonly metrics: BacktestMetrics;
  readonly equityCurve: readonly EquityPoint[];
  readonly trades: readonly RoundTripTrade[];
  readonly fills: readonly FillRecord[];
  /** One close-price series per instrument; each gets a chart with its fills as markers. */
  readonly prices: readonly PriceSeries[];
}

/** Options of {@link renderHtmlReport}. */
export interface HtmlReportOptions {
  /** Rows of the trades table (default 200; the rest are counted, not shown). */
  readonly maxTradeRows?: number;
  /** Maximum points per chart series (default 5,000; min-max decimation). */
  readonly maxPointsPerSeries?: number;
}

/** Colours of the chart series (tests sample canvas pixels for them). */
export const REPORT_COLORS = {
  equity: '#1f77b4',
  cash: '#9467bd',
  drawdown: '#d62728',
  price: '#1f77b4',
  buy: '#2ca02c',
  sell: '#d62728',
} as const;

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** JSON that is safe inside a `<script>` element (no `</script>`, no `<!--`). */
export function scriptSafeJson(json: string): string {
  return json.replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The DOM id of an instrument's price chart: `chart-price-<symbol>` (symbol = text before the last dot, sanitised). */
export function priceChartId(instrumentId: string): string {
  const dot = instrumentId.lastIndexOf('.');
  const symbol = dot > 0 ? instrumentId.slice(0, dot) : instrumentId;
  return `chart-price-${symbol.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

interface UplotAssets {
  js: string;
  css: string;
}
let assets: UplotAssets | undefined;

/** uPlot's minified IIFE build and CSS from node_modules, read once. */
function uplotAssets(): UplotAssets {
  if (!assets) {
    const dist = join(dirname(require.resolve('uplot/package.json')), 'dist');
    assets = {
      js: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'),
      css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8'),
    };
  }
  return assets;
}

/** One chart as embedded in the page (aligned columns; null = gap / no marker). */
interface ChartSpec {
  id: string;
  title: string;
  yLabel: string;
  x: number[];
  series: {
    label: string;
    color: string;
    kind: 'line' | 'area' | 'marker';
    values: (number | null)[];
    hidden?: boolean;
  }[];
}

type Fmt = 'pct' | 'ratio' | 'money' | 'int' | 'ts' | 'days';

const METRIC_ROWS: [string, keyof BacktestMetrics, Fmt][] = [
  ['Start', 'startTs', 'ts'],
  ['End', 'endTs', 'ts'],
  ['Starting cash', 'startingCash', 'money'],
  ['Final equity', 'finalEquity', 'money'],
  ['Net profit', 'netProfit', 'money'],
  ['Total return', 'totalReturn', 'pct'],
  ['CAGR', 'cagr', 'pct'],
  ['Annual volatility', 'annualVolatility', 'pct'],
  ['Sharpe', 'sharpe', 'ratio'],
  ['Sortino', 'sortino', 'ratio'],
  ['Calmar', 'calmar', 'ratio'],
  ['Max drawdown', 'maxDrawdown', 'pct'],
  ['Max drawdown peak', 'maxDrawdownStartTs', 'ts'],
  ['Max drawdown trough', 'maxDrawdownTroughTs', 'ts'],
  ['Max drawdown recovery', 'maxDrawdownEndTs', 'ts'],
  ['Longest drawdown (days)', 'maxDrawdownDurationDays', 'days'],
  ['Trades', 'tradeCount', 'int'],
  ['Win rate', 'winRate', 'pct'],
  ['Profit factor', 'profitFactor', 'ratio'],
  ['Expectancy', 'expectancy', 'money'],
  ['Average win', 'averageWin', 'money'],
  ['Average loss', 'averageLoss', 'money'],
  ['Exposure', 'exposure', 'pct'],
  ['Turnover', 'turnover', 'ratio'],
  ['Fills', 'fillCount', 'int'],
  ['Total commission', 'totalCommission', 'money'],
];

function formatMetric(v: unknown, fmt: Fmt): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') {
    if (v === Infinity) return '∞';
    if (v === -Infinity) return '−∞';
    switch (fmt) {
      case 'pct':
        return `${(v * 100).toFixed(2)} %`;
      case 'ratio':
        return v.toFixed(3);
      case 'days':
        return v.toFixed(1);
      case 'ts':
        return toIsoUtc(v);
      default:
        return String(v);
    }
  }
  return String(v);
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

/**
 * Renders a self-contained HTML report: uPlot's JS/CSS and the data are inlined, so the file opens
 * offline (a Content-Security-Policy forbids any network access). It contains a summary metrics
 * table, the configuration, an equity chart (`#chart-equity`), a drawdown chart
 * (`#chart-drawdown`), one price chart per instrument with buy/sell fill markers
 * (`#chart-price-<symbol>`) and the first trades. After every chart has drawn, the page sets
 * `document.body.dataset.chartsRendered` to the number of charts. All text from the input is
 * HTML-escaped. Deterministic: the same input gives the same bytes.
 */
export function renderHtmlReport(
  input: BacktestReportInput,
  options: HtmlReportOptions = {},
): string {
  const maxRows = options.maxTradeRows ?? 200;
  const maxPoints = options.maxPointsPerSeries ?? DEFAULT_MAX_POINTS_PER_SERIES;
  const title = input.title ?? 'Backtest report';
  const { js, css } = uplotAssets();
  const charts = buildCharts(input, maxPoints);

  const metricsRows = METRIC_ROWS.map(
    ([label, key, fmt]) =>
      `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(formatMetric(input.metrics[key], fmt))}</td></tr>`,
  ).join('\n');
  const configRows = Object.keys(input.config)
    .sort()
    .map((k) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(input.config[k]))}</td></tr>`)
    .join('\n');
  const shown = input.trades.slice(0, maxRows);
  const tradeRows = shown
    .map((t, i) => {
      const cls = t.netPnl.gt(0) ? 'win' : t.netPnl.lt(0) ? 'loss' : '';
      const cells = [
        String(i + 1),
        t.instrumentId,
        t.direction,
        toIsoUtc(t.entryTs),
        toIsoUtc(t.exitTs),
        t.quantity.toFixed(),
        t.entryPrice.toFixed(),
        t.exitPrice.toFixed(),
        t.grossPnl.toFixed(),
        t.commission.toFixed(),
        t.netPnl.toFixed(),
        pct(t.returnPct),
        Number(t.mae.toPrecision(6)).toString(),
        Number(t.mfe.toPrecision(6)).toString(),
        String(t.barsHeld),
      ];
      return `<tr class="${cls}">${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const tradeHead = [
    '#',
    'Instrument',
    'Side',
    'Entry (UTC)',
    'Exit (UTC)',
    'Qty',
    'Entry px',
    'Exit px',
    'Gross P&L',
    'Commission',
    'Net P&L',
    'Return',
    'MAE',
    'MFE',
    'Bars',
  ]
    .map((h) => `<th>${escapeHtml(h)}</th>`)
    .join('');
  const chartDivs = charts
    .map((c) => `<div class="chart" id="${escapeHtml(c.id)}"></div>`)
    .join('\n');
  const data = scriptSafeJson(stableJson({ charts }));

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
<style>
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px; color: #222; background: #fff; }
h1 { font-size: 22px; margin: 0 0 16px; }
h2 { font-size: 17px; margin: 24px 0 8px; }
.grid { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid #e4e4e4; text-align: left; white-space: nowrap; }
table.kv th { font-weight: 500; color: #555; }
table.trades td { text-align: right; }
table.trades td:nth-child(2), table.trades td:nth-child(3) { text-align: left; }
tr.win td:nth-child(11) { color: #1a7f37; }
tr.loss td:nth-child(11) { color: #c62828; }
.chart { margin: 8px 0 16px; }
.note { color: #666; font-size: 12px; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<div class="grid">
<section><h2>Summary</h2><table class="kv" id="metrics">
${metricsRows}
</table></section>
<section><h2>Configuration</h2><table class="kv" id="config">
${configRows}
</table></section>
</div>
<h2>Charts</h2>
<p class="note">Times in UTC. Click a legend entry to show or hide a series (cash is hidden at first). Price charts: green = buy fill, red = sell fill. Series with more than ${maxPoints} points are min-max decimated.</p>
${chartDivs}
<h2>Trades</h2>
<p class="note">Showing ${shown.length} of ${input.trades.length} round trips (FIFO). MAE/MFE in price units per unit.</p>
<table class="trades" id="trades"><thead><tr>${tradeHead}</tr></thead><tbody>
${tradeRows}
</tbody></table>
<script type="application/json" id="report-data">${data}</script>
<script>${js.replace(/<\/(script)/gi, '<\\/$1')}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}

function buildCharts(input: BacktestReportInput, maxPoints: number): ChartSpec[] {
  const values = equityValues([...input.equityCurve]);
  const eqIdx = downsampleIndices(
    values.map((p) => p.value),
    maxPoints,
  );
  const equity: ChartSpec = {
    id: 'chart-equity',
    title: 'Equity',
    yLabel: 'Equity',
    x: eqIdx.map((i) => values[i].ts),
    series: [
      {
        label: 'Equity',
        color: REPORT_COLORS.equity,
        kind: 'line',
        values: eqIdx.map((i) => values[i].value),
      },
      // Hidden by default (it swings with every position change); toggled from the legend.
      {
        label: 'Cash',
        color: REPORT_COLORS.cash,
        kind: 'line',
        values: eqIdx.map((i) => input.equityCurve[i].cash.toNumber()),
        hidden: true,
      },
    ],
  };
  const dd = drawdownSeries(values);
  const ddDown = downsampleSeries(
    dd.map((p) => p.ts),
    dd.map((p) => -p.drawdown * 100),
    maxPoints,
  );
  const drawdown: ChartSpec = {
    id: 'chart-drawdown',
    title: 'Drawdown (%)',
    yLabel: 'Drawdown %',
    x: ddDown.ts,
    series: [
      { label: 'Drawdown %', color: REPORT_COLORS.drawdown, kind: 'area', values: ddDown.values },
    ],
  };
  const used = new Set<string>(['chart-equity', 'chart-drawdown']);
  const prices = input.prices.map((p) => {
    let id = priceChartId(p.instrumentId);
    if (used.has(id)) id = `chart-price-${p.instrumentId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    for (let k = 2; used.has(id); k++) id = `${priceChartId(p.instrumentId)}-${k}`;
    used.add(id);
    return priceChart(id, p, input.fills, maxPoints);
  });
  return [equity, drawdown, ...prices];
}

function priceChart(
  id: string,
  p: PriceSeries,
  fills: readonly FillRecord[],
  maxPoints: number,
): ChartSpec {
  const close = downsampleSeries(p.ts, p.close, maxPoints);
  const buys = new Map<number, number>();
  const sells = new Map<number, number>();
  for (const f of fills) {
    if (f.instrumentId !== p.instrumentId) continue;
    (f.side === 'BUY' ? buys : sells).set(f.ts, f.price.toNumber());
  }
  const closeAt = new Map<number, number>();
  close.ts.forEach((t, i) => closeAt.set(t, close.values[i]));
  const x = [...new Set([...close.ts, ...buys.keys(), ...sells.keys()])].sort((a, b) => a - b);
  const col = (m: Map<number, number>) => x.map((t) => m.get(t) ?? null);
  return {
    id,
    title: p.instrumentId,
    yLabel: 'Price',
    x,
    series: [
      { label: 'Close', color: REPORT_COLORS.price, kind: 'line', values: col(closeAt) },
      { label: 'Buy', color: REPORT_COLORS.buy, kind: 'marker', values: col(buys) },
      { label: 'Sell', color: REPORT_COLORS.sell, kind: 'marker', values: col(sells) },
    ],
  };
}

/** Browser side: builds one uPlot per chart spec and flags completion on <body>. */
const CLIENT_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var charts = data.charts;
  var drawn = 0;
  function markDrawn(state) {
    if (state.done) return;
    state.done = true;
    drawn++;
    if (drawn === charts.length) document.body.dataset.chartsRendered = String(charts.length);
  }
  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }
  function seriesOpts(s) {
    if (s.kind === 'marker') {
      return { label: s.label, stroke: s.color, width: 0, paths: function () { return null; },
        points: { show: true, space: 0, size: 9, width: 1, stroke: s.color, fill: s.color } };
    }
    var o = { label: s.label, stroke: s.color, width: 1.5, spanGaps: true, show: !s.hidden, points: { show: false } };
    if (s.kind === 'area') o.fill = alpha(s.color, 0.25);
    return o;
  }
  charts.forEach(function (c) {
    var el = document.getElementById(c.id);
    var state = { done: false };
    var width = Math.max(600, Math.min(1400, (el.clientWidth || 1000)));
    var opts = {
      title: c.title,
      width: width,
      height: 300,
      ms: 1,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts), 'Etc/UTC'); },
      scales: { x: { time: true } },
      series: [{ label: 'Time (UTC)' }].concat(c.series.map(seriesOpts)),
      axes: [{}, { label: c.yLabel, size: 80 }],
      hooks: { draw: [function () { markDrawn(state); }] }
    };
    new uPlot(opts, [c.x].concat(c.series.map(function (s) { return s.values; })), el);
  });
  if (charts.length === 0) document.body.dataset.chartsRendered = '0';
})();
`;

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downsampleIndices, downsampleSeries } from './downsample';
import { escapeHtml, priceChartId, renderHtmlReport, scriptSafeJson } from './html-report';
import { renderJsonReport, writeReportFiles } from './report-files';
import { sampleReportInput } from './sample-report-input';

const EVIL = '<img src=x onerror=alert(1)>.SIM';

function embeddedData(html: string): {
  charts: { id: string; x: number[]; series: { label: string; values: (number | null)[] }[] }[];
} {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no report data');
  return JSON.parse(m[1]);
}

describe('downsample', () => {
  it('keeps short series whole', () => {
    expect(downsampleIndices([3, 1, 2], 10)).toEqual([0, 1, 2]);
  });

  it('keeps first, last and each bucket’s min and max within the limit', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => Math.sin(i / 50));
    values[4321] = 99; // a spike must survive
    values[7777] = -99;
    const idx = downsampleIndices(values, 100);
    expect(idx.length).toBeLessThanOrEqual(100);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(9_999);
    expect(idx).toEqual(expect.arrayContaining([4321, 7777]));
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    const s = downsampleSeries(
      values.map((_, i) => i * 1000),
      values,
      100,
    );
    expect(s.ts).toHaveLength(idx.length);
    expect(Math.max(...s.values)).toBe(99);
  });

  it('validates arguments', () => {
    expect(() => downsampleIndices([1], 3)).toThrow(RangeError);
    expect(() => downsampleSeries([1, 2], [1], 10)).toThrow(RangeError);
  });
});

describe('renderHtmlReport', () => {
  const input = sampleReportInput({ instruments: ['AAA.SIM', EVIL], days: 120 });

  it('is self-contained: uPlot inlined, no external resources, CSP forbids the network', () => {
    const html = renderHtmlReport(input);
    expect(html).toContain('Content-Security-Policy');
    expect(html).toMatch(/var uPlot\s*=|uPlot=/);
    expect(html).toContain('.uplot');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    // The only URL is the licence comment inside uPlot.
    expect(html.match(/https?:\/\/[^\s"')]*/g)).toEqual(['https://github.com/leeoniya/uPlot']);
  });

  it('has a container per chart and a metrics and trades table', () => {
    const html = renderHtmlReport(input);
    expect(html).toContain('id="chart-equity"');
    expect(html).toContain('id="chart-drawdown"');
    expect(html).toContain('id="chart-price-AAA"');
    expect(html).toContain(`id="${priceChartId(EVIL)}"`);
    expect(priceChartId(EVIL)).toBe('chart-price-_img_src_x_onerror_alert_1__');
    expect(html).toMatch(/<th>Sharpe<\/th><td>-?\d+\.\d{3}<\/td>/);
    expect(html).toContain('<table class="trades" id="trades">');
    expect(embeddedData(html).charts.map((c) => c.id)).toEqual([
      'chart-equity',
      'chart-drawdown',
      'chart-price-AAA',
      priceChartId(EVIL),
    ]);
  });

  it('escapes every inserted string (no HTML injection from instrument names or config)', () => {
    const html = renderHtmlReport({
      ...input,
      title: '</title><script>alert(1)</script>',
      config: { ...input.config, '<b>k</b>': '"v" & \'w\'' },
    });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<b>k');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;.SIM');
    expect(html).toContain('&quot;v&quot; &amp; &#39;w&#39;');
    // The JSON island cannot close its <script> element.
    const island = /id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(island).not.toMatch(/[<>]/);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
    expect(JSON.parse(scriptSafeJson(JSON.stringify({ s: '</script><!-- & \u2028' })))).toEqual({
      s: '</script><!-- & \u2028',
    });
  });

  it('puts fills on the price charts as buy/sell markers at their timestamps', () => {
    const data = embeddedData(renderHtmlReport(input));
    const aaa = data.charts.find((c) => c.id === 'chart-price-AAA');
    if (!aaa) throw new Error('no AAA chart');
    const buys = input.fills.filter((f) => f.instrumentId === 'AAA.SIM' && f.side === 'BUY');
    const markerTs = aaa.x.filter((_, i) => aaa.series[1].values[i] !== null);
    expect(markerTs).toEqual([...new Set(buys.map((f) => f.ts))]);
    expect(buys.length).toBeGreaterThan(0);
  });

  it('downsamples long series to the point limit and truncates the trades table', () => {
    const big = sampleReportInput({ days: 6_000 });
    const html = renderHtmlReport(big, { maxPointsPerSeries: 1_000, maxTradeRows: 5 });
    const data = embeddedData(html);
    const eq = data.charts[0];
    expect(eq.x.length).toBeLessThanOrEqual(1_000);
    const price = data.charts[2];
    const closes = price.series[0].values.filter((v) => v !== null);
    expect(closes.length).toBeLessThanOrEqual(1_000);
    expect(html).toContain(`Showing 5 of ${big.trades.length} round trips`);
    expect((html.match(/<tr class="(win|loss|)"><td>/g) ?? []).length).toBe(5);
  });

  it('is deterministic: byte-identical HTML and JSON for the same input', () => {
    const again = sampleReportInput({ instruments: ['AAA.SIM', EVIL], days: 120 });
    expect(renderHtmlReport(again)).toBe(renderHtmlReport(input));
    expect(renderJsonReport(again)).toBe(renderJsonReport(input));
  });

  it('renders with no trades, fills or prices (just equity and drawdown)', () => {
    const html = renderHtmlReport({ ...input, trades: [], fills: [], prices: [] });
    expect(embeddedData(html).charts).toHaveLength(2);
    expect(html).toContain('Showing 0 of 0 round trips');
  });

  it('writes report.html and result.json (canonical JSON, decimals as strings)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bt-report-'));
    try {
      const files = writeReportFiles(join(dir, 'out'), input);
      expect(readFileSync(files.htmlPath, 'utf8')).toBe(renderHtmlReport(input));
      const json = readFileSync(files.jsonPath, 'utf8');
      expect(json.endsWith('}\n')).toBe(true);
      const parsed = JSON.parse(json);
      expect(parsed.version).toBe(1);
      expect(typeof parsed.fills[0].price).toBe('string');
      expect(typeof parsed.metrics.finalEquity).toBe('string');
      expect(parsed.equityCurve).toHaveLength(input.equityCurve.length);
      expect(Object.keys(parsed)).toEqual([
        'config',
        'equityCurve',
        'fills',
        'metrics',
        'prices',
        'title',
        'trades',
        'version',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

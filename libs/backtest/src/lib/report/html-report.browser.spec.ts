import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Browser, chromium } from 'playwright-core';
import { priceChartId, REPORT_COLORS } from './html-report';
import { writeReportFiles } from './report-files';
import { sampleReportInput } from './sample-report-input';

/**
 * Opens the generated report in headless Chromium (system binary; never downloaded) with every
 * non-file request aborted, waits for the page's `data-charts-rendered` flag and checks that each
 * chart canvas shows its series colours. Without /usr/bin/chromium the suite is skipped locally
 * and fails in CI (CI=true), where `.ci/run` installs it.
 */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env['CI'])
  throw new Error(`${CHROMIUM} is missing: install chromium (apt-get install -y chromium)`);
const describeBrowser = available ? describe : describe.skip;
const SCREENSHOT = join(tmpdir(), 'backtest-report.png');
const EVIL = '<img src=x onerror=alert(1)>.SIM';

/** The bits of the DOM the page callbacks use (the spec tsconfig has no DOM lib; callbacks run in the page). */
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  } | null;
}
interface PageDocument {
  body: { dataset: Record<string, string | undefined> };
  querySelector(selector: string): PageCanvas | null;
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

describeBrowser('HTML report in headless Chromium', () => {
  jest.setTimeout(60_000);
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bt-report-browser-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders every chart offline, without console errors or injected markup', async () => {
    const input = sampleReportInput({ instruments: ['AAA.SIM', EVIL], days: 260 });
    const { htmlPath } = writeReportFiles(dir, input);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const blocked: string[] = [];
    let dialogs = 0;
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.route('**', (r) => {
      if (r.request().url().startsWith('file:')) return r.continue();
      blocked.push(r.request().url());
      return r.abort();
    });

    await page.goto(pathToFileURL(htmlPath).href);
    await page.waitForSelector('body[data-charts-rendered]', { timeout: 30_000 });
    const ids = ['chart-equity', 'chart-drawdown', 'chart-price-AAA', priceChartId(EVIL)];
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: PageDocument }).document.body.dataset[
            'chartsRendered'
          ],
      ),
    ).toBe(String(ids.length));

    const colours = {
      'chart-equity': [REPORT_COLORS.equity],
      'chart-drawdown': [REPORT_COLORS.drawdown],
      'chart-price-AAA': [REPORT_COLORS.price, REPORT_COLORS.buy, REPORT_COLORS.sell],
      [priceChartId(EVIL)]: [REPORT_COLORS.price, REPORT_COLORS.buy, REPORT_COLORS.sell],
    } as Record<string, string[]>;
    for (const id of ids) {
      const counts = await page.evaluate(
        ({ id, targets }) => {
          const canvas = (
            globalThis as unknown as { document: PageDocument }
          ).document.querySelector(`#${id} canvas`);
          if (!canvas) return null;
          const ctx = canvas.getContext('2d');
          if (!ctx) return null;
          const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0;
          const hits = targets.map(() => 0);
          for (let i = 0; i < px.length; i += 4) {
            if (px[i + 3] === 0) continue;
            painted++;
            targets.forEach(([r, g, b], k) => {
              if (
                Math.abs(px[i] - r) < 24 &&
                Math.abs(px[i + 1] - g) < 24 &&
                Math.abs(px[i + 2] - b) < 24 &&
                px[i + 3] > 200
              )
                hits[k]++;
            });
          }
          return { painted, hits, width: canvas.width };
        },
        // Last target: a colour no series uses (negative control: the measure must discriminate).
        { id, targets: [...colours[id], '#ff7f0e'].map(rgb) },
      );
      expect(counts).not.toBeNull();
      expect(counts?.painted).toBeGreaterThan(1_000);
      const hits = counts?.hits ?? [];
      // Every series colour is actually drawn (lines, the drawdown area's edge, fill markers)…
      hits.slice(0, -1).forEach((h) => expect(h).toBeGreaterThan(20));
      // …and an unused colour is not.
      expect(hits[hits.length - 1]).toBeLessThan(5);
    }

    // Cash is in the legend but hidden.
    expect(await page.locator('#chart-equity .u-legend .u-series.u-off').count()).toBe(1);

    // The hostile instrument name shows as text, never as an element.
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator(`#${priceChartId(EVIL)} .u-title`).textContent()).toBe(EVIL);
    expect(dialogs).toBe(0);
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
    await page.close();
  });
});

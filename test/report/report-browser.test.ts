import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, CHROMIUM_SKIP } from '../display/support/chromium.js';
import t, { type Test } from 'tap';
import { runBench } from '../../src/compose/run-bench.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { loadScenario } from '../../src/config/load-scenario.js';
import { renderReport, writeReportFiles } from '../../src/report/index.js';
import { evaluateMeasurements } from '../../src/session/evaluate-measurements.js';
import { fixtureRun, fixtureSummary, fixtureTruth } from './report-fixture.js';

/**
 * The "Done when": the report opens in headless Chromium without console errors and its
 * plots are drawn. Debian's chromium + playwright-core; skipped with a notice when it is absent.
 */
const skip = CHROMIUM_SKIP;

interface CanvasPixels {
  id: string;
  width: number;
  height: number;
  painted: number;
  coloured: number;
}

interface PageCheck {
  errors: string[];
  canvases: CanvasPixels[];
  status: { ready: boolean; errors: string[]; charts: { id: string }[] };
  screenshot: string;
  pngBytes: number;
}

/** Open a report, wait for every chart, read the canvases back, screenshot the whole page. */
async function openReport(context: BrowserContext, file: string, screenshot: string): Promise<PageCheck> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) errors.push(`network request: ${request.url()}`);
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => (window as unknown as { __reportReady?: boolean }).__reportReady === true);
  // Independent of the page's own check: read every canvas back here.
  const canvases = await page.evaluate(() =>
    [...document.querySelectorAll('canvas')].map((canvas) => {
      const ctx = canvas.getContext('2d')!;
      const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      let coloured = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        if (pixels[i + 3] === 0) continue;
        painted++;
        const r = pixels[i]!;
        const g = pixels[i + 1]!;
        const b = pixels[i + 2]!;
        if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
      }
      return { id: canvas.id, width: canvas.width, height: canvas.height, painted, coloured };
    }),
  );
  const status = (await page.evaluate(
    () => (window as unknown as { __reportStatus: unknown }).__reportStatus,
  )) as PageCheck['status'];
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.close();
  return { errors, canvases, status, screenshot, pngBytes: (await stat(screenshot)).size };
}

function checkPage(t: Test, check: PageCheck, charts: readonly string[]): void {
  t.strictSame(check.errors, [], 'no console errors, page errors or network requests');
  t.equal(check.status.ready, true);
  t.strictSame(check.status.errors, [], 'the page reports no problem');
  t.strictSame(
    check.canvases.map((c) => c.id),
    charts.map((id) => `chart-${id}`),
    'every chart has its canvas',
  );
  for (const c of check.canvases) {
    t.ok(c.width > 200 && c.height > 100, `${c.id} is laid out (${c.width}×${c.height})`);
    t.ok(c.coloured > 500, `${c.id} has coloured pixels (${c.coloured})`);
  }
  t.ok(check.pngBytes > 60_000, `screenshot ${check.screenshot} is not trivial (${check.pngBytes} bytes)`);
}

t.test('the report opens in headless Chromium and draws every chart', { skip }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'shieldlink-report-browser-'));
  const userDataDir = await mkdtemp(join(tmpdir(), 'shieldlink-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [...CHROMIUM_ARGS],
  });
  // The pages and screenshots are removed afterwards unless SHIELDLINK_KEEP_REPORT_SCREENSHOTS is set.
  t.teardown(async () => {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
    if (process.env.SHIELDLINK_KEEP_REPORT_SCREENSHOTS === undefined) await rm(dir, { recursive: true, force: true });
  });

  await t.test('a synthetic run with every section (real-time loop metrics, faults, leaker)', async (t) => {
    const file = join(dir, 'fixture.report.html');
    await writeFile(file, renderReport({ run: fixtureRun(), truth: fixtureTruth(), summary: fixtureSummary() }));
    const check = await openReport(context, file, join(dir, 'fixture.png'));
    checkPage(t, check, ['plan-view', 'altitude', 'timeline', 'launch-error', 'reaction', 'loop-lateness']);
    t.comment(`screenshot: ${check.screenshot}`);
  });

  await t.test('a real simulated run (single ballistic, virtual time), as `shieldlink run` leaves it', async (t) => {
    const scenarioFile = 'hil-configs/scenarios/single-ballistic.yaml';
    const runFile = join(dir, 'single.run');
    const truthFile = join(dir, 'single.truth.jsonl');
    const result = await runBench({
      loaded: await loadBenchConfig('hil-configs/sim.yaml'),
      virtualTime: true,
      scenarioFile,
      recordFile: runFile,
      truthFile,
    });
    const measurements = evaluateMeasurements(result.summary, (await loadScenario(scenarioFile)).measurements);
    const summaryFile = join(dir, 'single.summary.json');
    await writeFile(
      summaryFile,
      JSON.stringify({
        summary: result.summary,
        loopMetrics: result.loopMetrics ?? null,
        measurements,
        linkCounters: result.linkCounters,
      }),
    );
    const file = await writeReportFiles({ runFile, outFile: join(dir, 'single.report.html') });
    const html = await readFile(file, 'utf8');
    t.match(html, /"label":"Radar"/, 'radar placed from the scenario found by name');
    const check = await openReport(context, file, join(dir, 'single.png'));
    // Virtual time: lateness is zero by construction, so no lateness chart.
    checkPage(t, check, ['plan-view', 'altitude', 'timeline', 'launch-error', 'reaction']);
    t.comment(`screenshot: ${check.screenshot}`);
  });

  await t.test('plan view keeps one scale on both axes, also after switching views', async (t) => {
    const file = join(dir, 'fixture.report.html');
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => (window as unknown as { __reportReady?: boolean }).__reportReady === true);
    const ratio = (): Promise<number> =>
      page.evaluate(() => {
        interface Scale {
          min: number;
          max: number;
          width: number;
          height: number;
        }
        const chart = (
          window as unknown as { Chart: { getChart(id: string): { scales: { x: Scale; y: Scale } } } }
        ).Chart.getChart('chart-plan-view');
        const { x, y } = chart.scales;
        return (x.max - x.min) / x.width / ((y.max - y.min) / y.height);
      });
    t.ok(Math.abs((await ratio()) - 1) < 0.02, 'km per pixel equal on x and y');
    await page.click('.views[data-chart="plan-view"] button[data-view="1"]');
    await page.waitForFunction(() => {
      const chart = (window as unknown as { Chart: { getChart(id: string): { $eqPending?: boolean } } }).Chart.getChart(
        'chart-plan-view',
      );
      return chart.$eqPending === false;
    });
    t.ok(Math.abs((await ratio()) - 1) < 0.02, 'still equal in the envelope view');
    t.strictSame(errors, []);
    await page.close();
  });
});

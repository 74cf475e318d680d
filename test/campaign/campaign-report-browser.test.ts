import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import t from 'tap';
import { planCampaignFromText } from '../../src/campaign/campaign-plan.js';
import { renderCampaignReport } from '../../src/campaign/campaign-report.js';
import { campaignStatistics } from '../../src/campaign/campaign-statistics.js';
import type { StoredOutcome } from '../../src/campaign/result-store.js';
import { sweepSchema } from '../../src/campaign/sweep-schema.js';
import { CHROMIUM, CHROMIUM_ARGS, CHROMIUM_SKIP } from '../display/support/chromium.js';

const skip = CHROMIUM_SKIP !== false && process.env['CI'] !== 'true' ? CHROMIUM_SKIP : false;

t.test('the campaign report draws every chart in a real browser, offline', { skip }, async (t) => {
  const plan = planCampaignFromText({
    configFile: 'hil-configs/sim.yaml',
    scenarioFile: 'hil-configs/scenarios/single-ballistic.yaml',
    configText: await readFile('hil-configs/sim.yaml', 'utf8'),
    scenarioText: await readFile('hil-configs/scenarios/single-ballistic.yaml', 'utf8'),
    runs: 3,
    sweep: sweepSchema.parse({
      parameters: [{ name: 'pd', path: 'radars[*].detectionProbability', values: [0.5, 0.9] }],
    }),
  });
  const outcomes: StoredOutcome[] = plan.runs.map((r) => ({
    key: r.key,
    point: r.point,
    runIndex: r.runIndex,
    seed: r.seed,
    status: 'ok',
    figures: {
      hostiles: 1,
      hostilesInEnvelope: 1,
      intercepted: r.point === 1 || r.runIndex === 0 ? 1 : 0,
      interceptRatio: r.point === 1 || r.runIndex === 0 ? 1 : 0,
      leakers: r.point === 1 || r.runIndex === 0 ? 0 : 1,
      friendliesEngaged: 0,
      launches: 1,
      firesPlanned: 1,
      engagements: {},
      safety: { duplicateFires: 0 },
      launchErrorsUs: [0.5],
      reactionsMs: [20000 + r.runIndex],
      measurementsFailed: [],
      simulatedS: 60,
    },
    digests: null,
    error: null,
    wallS: 1,
    worker: 'local',
    recordingFile: null,
  }));
  const stats = campaignStatistics(plan, outcomes);
  const file = join(await mkdtemp(join(tmpdir(), 'sl-campaign-report-')), 'report.html');
  await writeFile(file, renderCampaignReport(stats, 'browser test'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  const requests: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(
    () => (window as unknown as { __campaignReport?: { ready: boolean } }).__campaignReport?.ready === true,
  );
  const status = await page.evaluate(
    () =>
      (window as unknown as { __campaignReport: { charts: { id: string; width: number }[]; errors: string[] } })
        .__campaignReport,
  );
  t.same(status.errors, []);
  t.same(
    status.charts.map((c) => c.id),
    ['intercept', 'leakers', 'rounds', 'launch-error', 'reaction', 'ratio-distribution'],
  );
  t.ok(status.charts.every((c) => c.width > 0));
  t.match(await page.textContent('#overall-intercept'), /intercept ratio 66\.7 % \[\d+\.\d, \d+\.\d\] \(4\/6\)/);
  t.same(requests, [], 'nothing fetched from the network');
});

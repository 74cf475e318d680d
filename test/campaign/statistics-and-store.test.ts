import { mkdtemp, readFile, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { campaignJunit } from '../../src/campaign/campaign-junit.js';
import { formatCampaignTable } from '../../src/campaign/campaign-outputs.js';
import { planCampaignFromText } from '../../src/campaign/campaign-plan.js';
import { renderCampaignReport } from '../../src/campaign/campaign-report.js';
import { campaignStatistics } from '../../src/campaign/campaign-statistics.js';
import { CampaignResultStore, CampaignStoreMismatchError } from '../../src/campaign/result-store.js';
import type { RunOutcome } from '../../src/campaign/run-spec.js';

const plan = async (runs: number) =>
  planCampaignFromText({
    configFile: 'hil-configs/sim.yaml',
    scenarioFile: 'hil-configs/scenarios/single-ballistic.yaml',
    configText: await readFile('hil-configs/sim.yaml', 'utf8'),
    scenarioText: await readFile('hil-configs/scenarios/single-ballistic.yaml', 'utf8'),
    runs,
  });

const SAFE = { firesWhileLinkLost: 0, duplicateFires: 0, friendlyEngagements: 0, firesWithoutAuthorization: 0 };

function outcome(
  runIndex: number,
  over: Partial<RunOutcome> & { intercepted?: number; leakers?: number; safety?: object } = {},
): RunOutcome {
  const { intercepted = 9, leakers = 1, safety = SAFE, ...rest } = over;
  return {
    key: `p0-r${runIndex}`,
    point: 0,
    runIndex,
    seed: 1 + runIndex,
    status: 'ok',
    figures: {
      hostiles: 10,
      hostilesInEnvelope: 10,
      intercepted,
      interceptRatio: intercepted / 10,
      leakers,
      friendliesEngaged: 0,
      launches: 12,
      firesPlanned: 12,
      engagements: {},
      safety: safety as Record<string, number>,
      launchErrorsUs: [runIndex, -runIndex],
      reactionsMs: [1000 + runIndex],
      measurementsFailed: runIndex === 0 ? ['launch error p99'] : [],
      simulatedS: 60,
    },
    digests: { recordingSha256: `r${runIndex}`, outputsSha256: `o${runIndex}`, truthSha256: `t${runIndex}` },
    error: null,
    wallS: 1,
    worker: 'local',
    recordingGzipBase64: null,
    ...rest,
  };
}

t.test(
  'statistics: pooled Wilson intervals, rounds per kill, percentiles; a safety counter fails and names the seed',
  async (t) => {
    const p = await plan(4);
    const dir = await mkdtemp(join(tmpdir(), 'sl-stats-'));
    const store = CampaignResultStore.open(dir, p);
    store.add(outcome(0));
    store.add(outcome(1, { intercepted: 10, leakers: 0 }));
    store.add(outcome(2, { status: 'safety-fail', safety: { ...SAFE, duplicateFires: 2 } }));
    store.add(outcome(3, { intercepted: 8, leakers: 2 }));
    const stats = campaignStatistics(p, store.all());
    const point = stats.points[0]!;
    t.equal(point.interceptRatio.successes, 36);
    t.equal(point.interceptRatio.trials, 40);
    t.ok(point.interceptRatio.low! < 0.9 && point.interceptRatio.high! > 0.9);
    t.equal(point.leakerRate.successes, 4);
    t.equal(point.runsWithLeaker.successes, 3);
    t.equal(point.roundsPerKill, 48 / 36);
    t.equal(point.launchErrorUs.count, 8);
    t.equal(point.launchErrorUs.max, 3);
    t.equal(point.reactionMs.p50, 1001);
    t.same(point.safety, { ...SAFE, duplicateFires: 2 });
    t.same(point.measurementsFailed, { 'launch error p99': 1 });
    t.equal(stats.verdict, 'fail');
    t.same(stats.safetyFailures, [
      { key: 'p0-r2', point: 0, seed: 3, counters: { duplicateFires: 2 }, recordingFile: null },
    ]);
    t.match(formatCampaignTable(stats), 're-run seeds: 3 (p0-r2)');
    const junit = campaignJunit(stats, 12);
    t.match(junit, '<failure message="safety.duplicateFires = 2 over the runs; re-run seeds 3 (p0-r2)"/>');
    t.match(junit, /tests="\d+" failures="1"/);
    const html = renderCampaignReport(stats, 'test');
    t.match(html, 'FAIL');
    t.match(html, '90.0 % [');
  },
);

t.test('store: exactly once per key, resume after a cut line, another campaign refused', async (t) => {
  const p = await plan(3);
  const dir = await mkdtemp(join(tmpdir(), 'sl-store-'));
  const store = CampaignResultStore.open(dir, p);
  t.not(store.add(outcome(0)), null);
  t.equal(store.add(outcome(0)), null, 'a second result for a key is ignored');
  t.not(store.add(outcome(1, { status: 'error', figures: null, digests: null, error: 'crashed' })), null);
  // An interruption cut the last line mid-write.
  await appendFile(join(dir, 'results.jsonl'), '{"key":"p0-r2","poi');
  const again = CampaignResultStore.open(dir, p);
  t.same([...again.results().keys()], ['p0-r0'], 'done: the ok run; the error runs again; the cut line is dropped');
  again.add(outcome(1));
  again.add(outcome(2));
  const lines = (await readFile(join(dir, 'results.jsonl'), 'utf8')).trim().split('\n');
  t.equal(lines.length, 4, 'p0-r0, the error, p0-r1, p0-r2: every line whole');
  t.same(
    again.all().map((o) => `${o.key}:${o.status}`),
    ['p0-r0:ok', 'p0-r1:ok', 'p0-r2:ok'],
  );
  t.throws(() => CampaignResultStore.open(dir, { ...p, id: 'another' }), CampaignStoreMismatchError);
  const fresh = CampaignResultStore.open(dir, { ...p, id: 'another' }, { fresh: true });
  t.equal(fresh.results().size, 0);
  await writeFile(join(dir, 'results.jsonl'), 'not json\n{}\n');
  t.throws(
    () => CampaignResultStore.open(dir, { ...p, id: 'another' }),
    /not a result line/,
    'a bad line mid-file is an error, not a silent loss',
  );
});

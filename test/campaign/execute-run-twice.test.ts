/**
 * A queue may hand one worker the same run twice at once (its lock lapsed on a loaded machine and
 * the stalled-job check gave it out again while the first execution still ran). Two executions
 * of one run in one work directory must not share files: both end `ok` with the digests of the
 * run executed alone. Before each execution had a directory of its own, the two wrote the same
 * recording and the first to finish removed the other's files (an `error` outcome, or a digest
 * that was neither run's).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { planCampaignFromText } from '../../src/campaign/campaign-plan.js';
import { executeRun } from '../../src/campaign/execute-run.js';
import { runSpecFor } from '../../src/campaign/run-specs.js';

const SCENARIO = 'hil-configs/scenarios/single-ballistic.yaml';

t.test('the same run executed twice at once in one work directory: both ok, both as alone', async (t) => {
  const plan = planCampaignFromText({
    configFile: 'hil-configs/sim.yaml',
    scenarioFile: SCENARIO,
    configText: await readFile('hil-configs/sim.yaml', 'utf8'),
    scenarioText: await readFile(SCENARIO, 'utf8'),
    runs: 1,
    durationS: 20,
  });
  const spec = runSpecFor(plan, plan.runs[0]!, false);
  const workDir = await mkdtemp(join(tmpdir(), 'sl-exec-twice-'));
  t.teardown(() => rm(workDir, { recursive: true, force: true }));

  const alone = await executeRun(spec, workDir, 'w');
  t.equal(alone.status, 'ok', alone.error ?? '');
  // The second starts while the first is under way, as a re-delivered job does.
  const firstRun = executeRun(spec, workDir, 'w');
  await new Promise((resolve) => setTimeout(resolve, Math.max(200, alone.wallS * 300)));
  const [first, second] = await Promise.all([firstRun, executeRun(spec, workDir, 'w')]);
  for (const [name, outcome] of [
    ['first', first],
    ['second', second],
  ] as const) {
    t.equal(outcome.status, 'ok', `${name}: ${outcome.error ?? 'ok'}`);
    t.same(outcome.digests, alone.digests, `${name}: the digests of the run alone`);
  }
  t.same(await readdir(workDir), [], 'every execution removed its own directory');
});

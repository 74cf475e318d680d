import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { runBench } from '../../src/compose/run-bench.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { loadScenario } from '../../src/config/load-scenario.js';
import { evaluateMeasurements } from '../../src/session/evaluate-measurements.js';

// The whole bench, virtual time: the simulated launcher NAKs every FIRE `busy` (a `nak-all`
// fault from t = 5 s, after it was armed). Before, it got a FIRE about every millisecond; now
// 3 for the one target (control.maxFireRefusalsPerTarget), every one counted in the summary,
// and a scenario measurement on them fails the run.
t.test('a launcher refusing every FIRE busy gets 3 for its target, counted and limited by a measurement', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-storm-'));
  const scenario = parse(await readFile('hil-configs/scenarios/single-ballistic.yaml', 'utf8')) as {
    launchers: { faults?: unknown[] }[];
    measurements: unknown[];
  };
  scenario.launchers[0]!.faults = [{ kind: 'nak-all', reason: 'busy', atS: 5 }];
  scenario.measurements = [{ name: 'FIREs refused', metric: 'fireRefusals.total', max: 0 }];
  const scenarioFile = join(dir, 'storm.yaml');
  await writeFile(scenarioFile, stringify(scenario));
  const result = await runBench({
    loaded: await loadBenchConfig('hil-configs/sim.yaml'),
    scenarioFile,
    virtualTime: true,
    broker: 'none',
    recordFile: join(dir, 'storm.run'),
    truthFile: join(dir, 'storm.truth.jsonl'),
  });
  const s = result.summary;
  t.equal(s.firesPlanned, 3, 'three FIREs in 120 s, not tens of thousands');
  t.equal(s.launches, 0);
  t.same(s.fireRefusals, { total: 3, byReason: { busy: 3 }, byLauncher: { 'launcher-1': 3 }, targetsGivenUp: 1 });
  const launcher = s.launcherReadiness.find((r) => r.launcherId === 'launcher-1')!;
  t.equal(launcher.fireRefusals, 3);
  t.ok((launcher.notReadyByReasonS['fire-refused'] ?? 0) > 0.25, 'not ready while backing off, and reported');
  const [measurement] = evaluateMeasurements(s, (await loadScenario(scenarioFile)).measurements);
  t.match(measurement, { pass: false, value: 3 }, 'the measurement fails the run');
});

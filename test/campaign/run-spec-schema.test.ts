import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import t from 'tap';
import { planCampaignFromText } from '../../src/campaign/campaign-plan.js';
import { InvalidRunSpecError, parseRunSpec } from '../../src/campaign/run-spec-schema.js';
import { runSpecFor } from '../../src/campaign/run-specs.js';

t.test('queue job data is checked before it runs: plain file names, bounded texts', async (t) => {
  const plan = planCampaignFromText({
    configFile: 'hil-configs/sim.yaml',
    scenarioFile: 'hil-configs/scenarios/single-ballistic.yaml',
    configText: await readFile('hil-configs/sim.yaml', 'utf8'),
    scenarioText: await readFile('hil-configs/scenarios/single-ballistic.yaml', 'utf8'),
    runs: 2,
  });
  const spec = runSpecFor(plan, plan.runs[1]!, false);
  t.same(parseRunSpec(JSON.parse(JSON.stringify(spec))), spec, 'a real spec passes unchanged');
  for (const [field, value] of [
    ['scenarioName', '../../etc/cron.d/x'],
    ['configName', '/tmp/sim.yaml'],
    ['key', '../p0-r1'],
    ['seed', -1],
    ['durationS', 0],
    ['scenarioText', 'x'.repeat(4 * 1024 * 1024 + 1)],
  ] as const) {
    t.throws(
      () => parseRunSpec({ ...spec, [field]: value }),
      InvalidRunSpecError,
      `${field} = ${String(value).slice(0, 30)}`,
    );
  }
  t.throws(() => parseRunSpec(null), /not a campaign run/);
  t.throws(() => parseRunSpec({ ...spec, extra: 1 }), InvalidRunSpecError, 'unknown fields refused');
  fc.assert(
    fc.property(fc.anything(), (data) => {
      try {
        parseRunSpec(data);
        return false; // nothing random is a run spec
      } catch (error) {
        return error instanceof InvalidRunSpecError;
      }
    }),
    { numRuns: 500, seed: 22 },
  );
});

import { readFile } from 'node:fs/promises';
import t from 'tap';
import { parseDocument } from 'yaml';
import { CampaignPlanError, planCampaignFromText, scenarioTextForSeed } from '../../src/campaign/campaign-plan.js';
import { sweepSchema } from '../../src/campaign/sweep-schema.js';
import { parseScenario } from '../../src/config/load-scenario.js';

const SCENARIO = 'hil-configs/scenarios/single-ballistic.yaml';
const texts = async () => ({
  configFile: 'hil-configs/sim.yaml',
  scenarioFile: SCENARIO,
  configText: await readFile('hil-configs/sim.yaml', 'utf8'),
  scenarioText: await readFile(SCENARIO, 'utf8'),
});

t.test('without a sweep: one point, seeds = scenario seed + i, run 0 is the file as written', async (t) => {
  const input = await texts();
  const plan = planCampaignFromText({ ...input, runs: 5 });
  t.equal(plan.points.length, 1);
  t.same(plan.seeds, [1, 2, 3, 4, 5]);
  t.same(
    plan.runs.map((r) => r.key),
    ['p0-r0', 'p0-r1', 'p0-r2', 'p0-r3', 'p0-r4'],
  );
  t.equal(scenarioTextForSeed(plan.points[0]!.scenarioText, 1), input.scenarioText, 'byte for byte');
  const other = scenarioTextForSeed(plan.points[0]!.scenarioText, 4);
  t.equal(parseScenario('x', other).seed, 4);
  t.match(other, '# One hostile ballistic missile', 'comments kept');
  t.equal(planCampaignFromText({ ...input, runs: 5 }).id, plan.id, 'same inputs, same id');
  t.equal(planCampaignFromText({ ...input, runs: 50 }).id, plan.id, 'more runs: the same campaign, grown');
  t.not(planCampaignFromText({ ...input, runs: 5, durationS: 10 }).id, plan.id, 'another duration, another campaign');
});

t.test('a grid: cross product, last parameter fastest; wildcards, ids and list truncation', async (t) => {
  const sweep = sweepSchema.parse({
    parameters: [
      { name: 'rangeSigmaM', path: 'radars[*].rangeSigmaM', values: [5, 20] },
      { name: 'rounds', path: 'launchers[id=launcher-1].rounds', values: [2, 4, 8] },
      { name: 'targets', path: 'targets.length', values: [1] },
    ],
  });
  const plan = planCampaignFromText({ ...(await texts()), runs: 2, sweep });
  t.equal(plan.points.length, 6);
  t.same(plan.parameterNames, ['rangeSigmaM', 'rounds', 'targets']);
  t.same(
    plan.points.map((p) => p.label),
    [
      'rangeSigmaM=5 rounds=2 targets=1',
      'rangeSigmaM=5 rounds=4 targets=1',
      'rangeSigmaM=5 rounds=8 targets=1',
      'rangeSigmaM=20 rounds=2 targets=1',
      'rangeSigmaM=20 rounds=4 targets=1',
      'rangeSigmaM=20 rounds=8 targets=1',
    ],
  );
  const p4 = parseScenario('p4', plan.points[4]!.scenarioText);
  t.equal(p4.radars[0]!.rangeSigmaM, 20);
  t.equal(p4.launchers[0]!.rounds, 4);
  t.equal(plan.runs.length, 12);
  t.same(
    plan.runs.filter((r) => r.point === 3).map((r) => r.seed),
    [1, 2],
    'the same seeds at every point',
  );
  const none = planCampaignFromText({
    ...(await texts()),
    runs: 1,
    sweep: sweepSchema.parse({ parameters: [{ name: 'targets', path: 'targets.length', values: [0] }] }),
  });
  t.equal(parseScenario('x', none.points[0]!.scenarioText).targets.length, 0, 'raid size 0');
});

t.test('an invalid point stops the plan naming the point and the field', async (t) => {
  const input = await texts();
  const sweep = sweepSchema.parse({
    parameters: [{ name: 'rangeSigmaM', path: 'radars[*].rangeSigmaM', values: [5, -1, 10] }],
  });
  const error = t.throws(() => planCampaignFromText({ ...input, runs: 3, sweep })) as CampaignPlanError;
  t.ok(error instanceof CampaignPlanError);
  t.same(error.issues, [
    { point: 1, label: 'rangeSigmaM=-1', field: 'radars[0].rangeSigmaM', message: 'expected at least 0 m' },
  ]);
  t.match(error.message, 'sweep point 1 (rangeSigmaM=-1): radars[0].rangeSigmaM: expected at least 0 m');

  const grow = sweepSchema.parse({ parameters: [{ name: 'launchers', path: 'launchers.length', values: [1, 3] }] });
  const growError = t.throws(() => planCampaignFromText({ ...input, runs: 1, sweep: grow })) as CampaignPlanError;
  t.match(growError.message, /sweep point 1 \(launchers=3\): .*expected at most 1/);

  const missing = sweepSchema.parse({ parameters: [{ name: 'x', path: 'radars[4].rangeSigmaM', values: [1] }] });
  const missingError = t.throws(() => planCampaignFromText({ ...input, runs: 1, sweep: missing })) as CampaignPlanError;
  t.match(missingError.message, /sweep point 0 \(x=1\): 'radars\[4\]\.rangeSigmaM': radars has 1 entries, no \[4\]/);

  const typo = sweepSchema.parse({ parameters: [{ name: 'x', path: 'radars[0].rangeSigma', values: [1] }] });
  const typoError = t.throws(() => planCampaignFromText({ ...input, runs: 1, sweep: typo })) as CampaignPlanError;
  t.match(typoError.message, /radars\[0\]: .*rangeSigma/, 'an unknown key is refused by the scenario schema');
});

t.test('random sampling is seeded: the same file gives the same points', async (t) => {
  const sweep = sweepSchema.parse({
    sampling: { random: { samples: 8, seed: 7 } },
    parameters: [
      { name: 'angleSigmaDeg', path: 'radars[0].angleSigmaDeg', range: { min: 0.01, max: 0.1 } },
      { name: 'rounds', path: 'launchers[0].rounds', range: { min: 1, max: 6, integer: true } },
      { name: 'pd', path: 'radars[0].detectionProbability', values: [0.8, 0.9] },
    ],
  });
  const a = planCampaignFromText({ ...(await texts()), runs: 1, sweep });
  const b = planCampaignFromText({ ...(await texts()), runs: 1, sweep });
  t.equal(a.points.length, 8);
  t.same(
    a.points.map((p) => p.parameters),
    b.points.map((p) => p.parameters),
  );
  for (const p of a.points) {
    const v = p.parameters as { angleSigmaDeg: number; rounds: number; pd: number };
    t.ok(v.angleSigmaDeg >= 0.01 && v.angleSigmaDeg <= 0.1);
    t.ok(Number.isInteger(v.rounds) && v.rounds >= 1 && v.rounds <= 6);
    t.ok([0.8, 0.9].includes(v.pd));
    t.equal(parseDocument(p.scenarioText).getIn(['launchers', 0, 'rounds']), v.rounds);
  }
});

t.test('sweep files are validated with named fields', async (t) => {
  const bad = sweepSchema.safeParse({
    parameters: [
      { name: 'a', path: 'radars[0].rangeSigmaM', range: { min: 1, max: 2 } },
      { name: 'a', path: 'radars[0].rangeSigmaM', values: [1] },
    ],
  });
  t.notOk(bad.success);
  const messages = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  t.ok(
    messages.includes('parameters.0.range: a grid needs values (range is for random sampling)'),
    messages.join('; '),
  );
  t.ok(messages.includes("parameters.1.name: duplicate name 'a'"), messages.join('; '));
});

t.test('a duration swept under its deprecated name applies to its replacement, converted exactly', async (t) => {
  const input = await texts();
  const old = sweepSchema.parse({
    parameters: [{ name: 'scan', path: 'radars[*].scanPeriodMs', values: [250, 1000] }],
  });
  const current = sweepSchema.parse({
    parameters: [{ name: 'scan', path: 'radars[*].scanPeriodS', values: [0.25, 1] }],
  });
  const viaOld = planCampaignFromText({ ...input, runs: 1, sweep: old });
  const viaNew = planCampaignFromText({ ...input, runs: 1, sweep: current });
  t.same(
    viaOld.points.map((p) => p.scenarioText),
    viaNew.points.map((p) => p.scenarioText),
    'the same scenarios',
  );
  t.same(
    viaOld.points.map((p) => parseScenario('x', p.scenarioText).radars.map((r) => r.scanPeriodMs)),
    [[250], [1000]],
  );
});

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { runCli } from '../cli/frames-io.js';

const SCENARIO = 'hil-configs/scenarios/joint-raid.yaml';

t.test('run --joint-mode / --compare-joint: usage errors exit 2', async (t) => {
  const bad = await runCli(['run', '--scenario', SCENARIO, '--joint-mode', 'bogus']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /--joint-mode: expected one of linked, picture-only, unlinked, got 'bogus'/);
  const both = await runCli(['run', '--scenario', SCENARIO, '--joint-mode', 'linked', '--compare-joint']);
  t.equal(both.code, 2);
  t.match(both.stderr, /exclude each other/);
  const single = await runCli(['run', '--scenario', 'hil-configs/scenarios/saturation.yaml', '--compare-joint']);
  t.equal(single.code, 2);
  t.match(single.stderr, /need a scenario with nodes:/);
});

t.test('run --compare-joint prints the three modes side by side and writes them to <name>.joint.json', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-compare-joint-'));
  const config = (await readFile('hil-configs/sim.yaml', 'utf8'))
    .replace('scenario: scenarios/raid-50.yaml', `scenario: ${resolve('hil-configs/scenarios/raid-50.yaml')}`)
    .replace('output: { dir: ../runs }', `output: { dir: ${join(dir, 'out')} }`);
  const file = join(dir, 'sim.yaml');
  await writeFile(file, config);
  const run = await runCli(['run', '--config', file, '--scenario', SCENARIO, '--compare-joint', '--duration', '20']);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /^linked .*\n^picture-only .*\n^unlinked /m, 'one row per mode');
  const figures = JSON.parse(await readFile(join(dir, 'out', 'joint-raid.joint.json'), 'utf8')) as {
    mode: string;
    comparison: { mode: string; launches: number; coordinationDuplicates: unknown }[];
    nodes: { coordination: unknown }[];
  };
  t.equal(figures.mode, 'linked');
  t.same(
    figures.comparison.map((c) => c.mode),
    ['linked', 'picture-only', 'unlinked'],
  );
  t.not(figures.comparison[0]!.coordinationDuplicates, null, 'linked: coordination counted');
  t.equal(figures.comparison[2]!.coordinationDuplicates, null, 'unlinked: no coordination');
  t.ok(
    figures.nodes.every((n) => n.coordination !== null),
    'each node’s coordination summary',
  );
  await readFile(join(dir, 'out', 'unlinked', 'joint-raid.node-a.run'));
});

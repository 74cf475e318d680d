import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runCli } from './frames-io.js';

t.test('config check passes the shipped configs and scenarios', async (t) => {
  const files = [
    'hil-configs/sim.yaml',
    'hil-configs/sim-pty.yaml',
    'hil-configs/bench-example.yaml',
    'hil-configs/scenarios/raid-50.yaml',
    'hil-configs/scenarios/single-ballistic.yaml',
    'hil-configs/scenarios/friendly-in-the-mix.yaml',
    'hil-configs/scenarios/link-faults.yaml',
  ];
  const result = await runCli(['config', 'check', ...files]);
  t.equal(result.code, 0, result.stdout + result.stderr);
  t.equal(result.stdout.trim().split('\n').length, files.length);
});

t.test('a broken config names the failing field, exits 2, and run starts nothing', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-cfg-'));
  const text = (await readFile('hil-configs/bench-example.yaml', 'utf8')).replace('speedMps: 1500', 'speedMps: -1500');
  const file = join(dir, 'broken.yaml');
  await writeFile(file, text);
  const check = await runCli(['config', 'check', file]);
  t.equal(check.code, 2);
  t.match(check.stdout, 'devices.launchers[0].model.flyout.speedMps: expected a positive number');
  const json = await runCli(['config', 'check', file, '--json']);
  t.same(JSON.parse(json.stdout).issues, [
    { path: 'devices.launchers[0].model.flyout.speedMps', message: 'expected a positive number' },
  ]);
  const run = await runCli(['run', '--config', file, '--record', join(dir, 'x.run')]);
  t.equal(run.code, 2, 'run refuses before starting anything');
  t.match(run.stderr, 'speedMps: expected a positive number');
  await t.rejects(readFile(join(dir, 'x.run')), 'no recording was created');
});

t.test('config check warns about a deprecated duration name, naming its replacement; both names fail', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-cfg-'));
  const text = await readFile('hil-configs/bench-example.yaml', 'utf8');
  const old = join(dir, 'old.yaml');
  await writeFile(old, text.replace('launchDelayS: 0.25', 'launchDelayMs: 250'));
  const check = await runCli(['config', 'check', old]);
  t.equal(check.code, 0, check.stdout);
  t.match(
    check.stdout,
    `${old}: warning: devices.launchers[0].model.flyout.launchDelayMs: deprecated name (ms): ` +
      'write devices.launchers[0].model.flyout.launchDelayS: 0.25 (seconds) instead',
  );
  const current = await runCli(['config', 'check', 'hil-configs/bench-example.yaml', '--json']);
  const json = await runCli(['config', 'check', old, '--json']);
  t.equal(JSON.parse(json.stdout).configHash, JSON.parse(current.stdout).configHash, 'the same config');
  const both = join(dir, 'both.yaml');
  await writeFile(both, text.replace('launchDelayS: 0.25', 'launchDelayS: 0.25, launchDelayMs: 250'));
  const refused = await runCli(['config', 'check', both]);
  t.equal(refused.code, 2);
  t.match(refused.stdout, 'launchDelayMs: both launchDelayMs (deprecated, ms) and launchDelayS (s) given');
});

t.test('bad CLI arguments are one clear line and exit 2', async (t) => {
  const bad = await runCli(['run', '--duration', 'soon']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, "--duration: expected a positive number of seconds, got 'soon'");
  t.notMatch(bad.stderr, /\n\s+at /, 'no stack trace');
  const unknown = await runCli(['run', '--frobnicate']);
  t.equal(unknown.code, 2);
  const noCommand = await runCli(['launch-everything']);
  t.equal(noCommand.code, 2);
  t.match(noCommand.stderr, "unknown command 'launch-everything'");
});

t.test('run --json on a short scenario prints the summary as the last line', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-run-'));
  const junit = join(dir, 'x.xml');
  const result = await runCli([
    'run',
    '--scenario',
    'hil-configs/scenarios/single-ballistic.yaml',
    '--virtual-time',
    '--broker',
    'none',
    '--json',
    '--record',
    join(dir, 'x.run'),
    '--junit',
    junit,
  ]);
  t.equal(result.code, 0, result.stderr);
  const last = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  for (const key of [
    'simulatedS',
    'wallS',
    'hostiles',
    'intercepted',
    'leakers',
    'friendliesEngaged',
    'launchErrorUs',
    'reactionMs',
    'recordingSha256',
    'safety',
  ]) {
    t.ok(key in last, `summary has ${key}`);
  }
  t.equal(last.intercepted, 1);
  const xml = await readFile(junit, 'utf8');
  t.match(xml, /<testsuites name="shieldlink" tests="7" failures="0"/);
  const summary = JSON.parse(await readFile(join(dir, 'x.summary.json'), 'utf8')) as {
    measurements: { pass: boolean }[];
  };
  t.equal(summary.measurements.length, 3);
  t.ok(summary.measurements.every((m) => m.pass));
});

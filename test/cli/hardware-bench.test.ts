/**
 * A hardware bench (real `devices:` links, no simulator in the config) run end to end: the
 * firmware simulator runs in its own process (`shieldlink sim`), posing as the controllers on
 * TCP ports, exactly as an Ethernet serial server would. The host is started twice against it
 * (a restart with the launcher still powered): both runs end exit 0 with a summary that says there
 * is no truth, `--json` and JUnit, and the launcher's own truth shows each session's ARM armed it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { REPO, runCli, startCli } from '../reliability/support/cli-process.js';

const SCENARIO = join(REPO, 'hil-configs/scenarios/single-ballistic.yaml');

t.test('a hardware bench against controllers on TCP runs to its end, twice', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shieldlink-hw-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // The scenario without its truth-based measurements (a hardware bench cannot measure them).
  const scenario = parseYaml(readFileSync(SCENARIO, 'utf8')) as Record<string, unknown>;
  delete scenario['measurements'];
  const scenarioFile = join(dir, 'hw.yaml');
  writeFileSync(scenarioFile, toYaml(scenario));
  const truthFile = join(dir, 'controllers.truth.jsonl');
  const sim = startCli([
    'sim',
    '--scenario',
    scenarioFile,
    '--link',
    'radar-1=tcp:0',
    '--link',
    'launcher-1=tcp:0',
    '--truth',
    truthFile,
    '--no-pace',
  ]);
  t.teardown(async () => {
    if (sim.child.exitCode === null) await sim.stop();
  });
  const radar = await sim.waitForLine<{ link: string }>((l) => l['device'] === 'radar-1', 60_000);
  const launcher = await sim.waitForLine<{ link: string }>((l) => l['device'] === 'launcher-1', 60_000);
  const configFile = join(dir, 'bench.yaml');
  writeFileSync(
    configFile,
    toYaml({
      node: { id: 'hw-1' },
      scenario: scenarioFile,
      devices: {
        radars: [{ id: 'radar-1', link: radar.link, position: { eastM: 0, northM: 0, upM: 15 } }],
        launchers: [
          {
            id: 'launcher-1',
            link: launcher.link,
            model: {
              position: { eastM: 2000, northM: -500, upM: 0 },
              flyout: { launchDelayMs: 250, speedMps: 1500 },
              envelope: { minRangeM: 2000, maxRangeM: 40000, maxAltitudeM: 25000 },
              slewRateDegPerS: 90,
            },
          },
        ],
      },
      broker: { disabled: true },
      output: { dir: join(dir, 'out') },
    }),
  );
  for (const session of [1, 2]) {
    const junit = join(dir, `session-${session}.xml`);
    const run = await runCli(['run', '--config', configFile, '--duration', '3', '--json', '--junit', junit]);
    t.equal(run.code, 0, `session ${session}: exit 0 (stderr: ${run.stderr.slice(-400)})`);
    const last = run.stdout.trim().split('\n').at(-1) ?? '';
    const summary = JSON.parse(last) as Record<string, unknown>;
    t.equal(summary['truthAvailable'], false, 'the summary says there is no truth');
    t.equal(summary['truthFile'], null, 'and names no truth log');
    t.equal(summary['clockMode'], 'real');
    t.ok(existsSync(summary['summaryFile'] as string), 'summary file written');
    t.ok(existsSync(summary['reportFile'] as string), 'report written');
    t.match(readFileSync(junit, 'utf8'), /<testsuite name="shieldlink /, 'JUnit written');
    t.notMatch(run.stderr, /ENOENT/);
  }
  const state = JSON.parse(readFileSync(join(dir, 'out', 'hw-1.command-ids.json'), 'utf8')) as {
    reservations: number;
  };
  t.ok(state.reservations >= 2, `command-id blocks reserved on disk: ${state.reservations}`);
  const stopped = await sim.stop('SIGTERM');
  t.equal(stopped.code, 0, 'the simulator stops cleanly');
  const truth = readFileSync(truthFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { kind: string; state?: string });
  const armed = truth.filter((r) => r.kind === 'launcher-state' && r.state === 'armed');
  t.equal(armed.length, 2, 'each host session ARM armed the launcher (truth)');
  t.equal(truth.filter((r) => r.kind === 'duplicate-execution').length, 0);
});

import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../config/config-error.js';
import { TRACKERS, type TrackerName, loadBenchConfig, withTracker } from '../../config/load-bench-config.js';
import { loadScenario } from '../../config/load-scenario.js';
import type { Scenario } from '../../config/scenario-schema.js';
import { runBench } from '../../compose/run-bench.js';
import { evaluateMeasurements } from '../../session/evaluate-measurements.js';
import type { RunSummary } from '../../session/run-summary.js';
import {
  DEFAULT_CONFIG,
  defaultConfigFile,
  requireInProcessSimulator,
  writeConfigIssues,
} from '../bench-config-file.js';
import { type Command, EXIT_OK, EXIT_USAGE, EXIT_VERDICT_FAIL, UsageError } from '../command.js';

const HELP = `Usage: shieldlink compare-trackers --scenario FILE [--config FILE] [--out DIR]
                                   [--duration S] [--json]

Runs one scenario twice in virtual time, identical but for the track filter — imm
(interacting multiple models: constant velocity, ballistic, ballistic with drag, manoeuvre)
and cv (constant velocity with a ballistic classifier) — and prints their results side by
side: hostiles intercepted, the intercept ratio against manoeuvring hostiles (targets with
manoeuvres in the scenario), leakers, friendlies engaged, launches and kills.

Options:
  --scenario FILE   scenario to run (required)
  --config FILE     bench config (default ${DEFAULT_CONFIG}); must run the simulator in-process
  --duration S      stop each run after S simulated seconds (default: the scenario's duration)
  --out DIR         where the two runs' files go: <scenario>.<tracker>.run, .truth.jsonl
                    (default <config output dir>/compare-trackers)
  --json            print {scenario, runs: {imm, cv}} as one JSON object on the last line

Each run is deterministic (same scenario, same bytes); the two differ only by the tracker.

Example:
  shieldlink compare-trackers --scenario hil-configs/scenarios/weave.yaml

Exit codes: 0 both runs safe and every scenario measurement met; 1 a safety counter was not 0
or a measurement failed in either run; 2 usage or config error; 3 runtime error.`;

/** One tracker's result. */
interface TrackerRun {
  readonly tracker: TrackerName;
  readonly summary: RunSummary;
  readonly manoeuvringHostiles: number;
  readonly manoeuvringIntercepted: number;
  readonly pass: boolean;
  readonly recordFile: string;
}

export const compareTrackersCommand: Command = {
  path: ['compare-trackers'],
  summary: 'run a scenario with the imm and the cv tracker and compare them side by side',
  help: HELP,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        scenario: { type: 'string' },
        config: { type: 'string' },
        out: { type: 'string' },
        duration: { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: false,
    });
    if (values.scenario === undefined) throw new UsageError('--scenario FILE is required');
    const durationS = values.duration === undefined ? undefined : Number(values.duration);
    if (durationS !== undefined && !(Number.isFinite(durationS) && durationS > 0)) {
      throw new UsageError(`--duration: expected a positive number of seconds, got '${values.duration}'`);
    }
    const configFile = values.config ?? defaultConfigFile();
    const scenarioFile = resolve(values.scenario);
    let loaded;
    let scenario: Scenario;
    try {
      loaded = await loadBenchConfig(configFile);
      scenario = await loadScenario(scenarioFile);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      writeConfigIssues(error, io.stderr);
      return EXIT_USAGE;
    }
    requireInProcessSimulator(loaded, 'compare-trackers needs the in-process simulator (virtual time)');
    const name = scenarioFile.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
    const outDir = values.out ?? join(loaded.resolvePath(loaded.config.output.dir), 'compare-trackers');
    await mkdir(outDir, { recursive: true });
    const manoeuvring = new Set(
      scenario.targets.filter((t) => t.iff === 'hostile' && (t.manoeuvres?.length ?? 0) > 0).map((t) => t.id),
    );
    const runs: TrackerRun[] = [];
    for (const tracker of TRACKERS) {
      const recordFile = join(outDir, `${name}.${tracker}.run`);
      const truthFile = join(outDir, `${name}.${tracker}.truth.jsonl`);
      if (!values.json) io.stderr.write(`running ${name} with the ${tracker} tracker ...\n`);
      const result = await runBench({
        loaded: withTracker(loaded, tracker),
        scenarioFile,
        virtualTime: true,
        // Like a campaign run: the comparison publishes nothing, so no bridge and no broker.
        broker: 'none',
        ...(durationS === undefined ? {} : { durationS }),
        recordFile,
        truthFile,
      });
      const killed = await killedTargets(truthFile);
      const measurements = evaluateMeasurements(result.summary, result.scenario.measurements);
      const safe = Object.values(result.summary.safety).every((n) => n === 0);
      runs.push({
        tracker,
        summary: result.summary,
        manoeuvringHostiles: manoeuvring.size,
        manoeuvringIntercepted: [...manoeuvring].filter((id) => killed.has(id)).length,
        pass: safe && measurements.every((m) => m.pass),
        recordFile,
      });
    }
    if (values.json) {
      io.stdout.write(
        JSON.stringify({ scenario: name, runs: Object.fromEntries(runs.map((r) => [r.tracker, r])) }) + '\n',
      );
    } else {
      io.stdout.write(comparisonTable(name, runs) + '\n');
    }
    return runs.every((r) => r.pass) ? EXIT_OK : EXIT_VERDICT_FAIL;
  },
};

/** Target ids the truth log records as killed. */
async function killedTargets(truthFile: string): Promise<Set<string>> {
  const killed = new Set<string>();
  for (const line of (await readFile(truthFile, 'utf8')).split('\n')) {
    if (!line.includes('"kind":"kill"')) continue;
    const record = JSON.parse(line) as { kind?: string; targetId?: string };
    if (record.kind === 'kill' && typeof record.targetId === 'string') killed.add(record.targetId);
  }
  return killed;
}

function ratio(n: number, d: number): string {
  return d === 0 ? 'n/a' : `${n}/${d} (${((100 * n) / d).toFixed(0)} %)`;
}

/** The side-by-side table: one row per figure, one column per tracker. */
export function comparisonTable(scenario: string, runs: readonly TrackerRun[]): string {
  const rows: [string, ...string[]][] = [
    ['scenario ' + scenario, ...runs.map((r) => `tracker ${r.tracker}`)],
    [
      'hostiles intercepted (in envelope)',
      ...runs.map((r) => ratio(r.summary.intercepted, r.summary.hostilesInEnvelope)),
    ],
    ['manoeuvring hostiles intercepted', ...runs.map((r) => ratio(r.manoeuvringIntercepted, r.manoeuvringHostiles))],
    ['leakers', ...runs.map((r) => String(r.summary.leakers))],
    ['friendlies engaged', ...runs.map((r) => String(r.summary.friendliesEngaged))],
    ['launches', ...runs.map((r) => String(r.summary.launches))],
    ['kills / misses', ...runs.map((r) => `${r.summary.engagements.kill} / ${r.summary.engagements.miss}`)],
    ['verdict', ...runs.map((r) => (r.pass ? 'pass' : 'FAIL'))],
    ['recording', ...runs.map((r) => r.recordFile.replace(/^.*\//, ''))],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

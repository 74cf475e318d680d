import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CampaignPlanError, type CampaignPlan, planCampaign } from '../../campaign/campaign-plan.js';
import { formatProgressLine, ProgressTracker } from '../../campaign/campaign-progress.js';
import { campaignStatistics } from '../../campaign/campaign-statistics.js';
import { formatCampaignTable, runDigests, writeCampaignOutputs } from '../../campaign/campaign-outputs.js';
import { runLocalCampaign } from '../../campaign/local-campaign.js';
import { loadSweep } from '../../campaign/load-sweep.js';
import { DEFAULT_QUEUE_NAME, runQueuedCampaign } from '../../campaign/queue/queued-campaign.js';
import { parseRedisUrl, RedisUrlError } from '../../campaign/queue/redis-url.js';
import { CampaignResultStore, CampaignStoreMismatchError } from '../../campaign/result-store.js';
import type { Sweep } from '../../campaign/sweep-schema.js';
import { ConfigError } from '../../config/config-error.js';
import { loadBenchConfig } from '../../config/load-bench-config.js';
import { RealClock } from '../../time/real-clock.js';
import {
  DEFAULT_CONFIG,
  defaultConfigFile,
  requireInProcessSimulator,
  writeConfigIssues,
} from '../bench-config-file.js';
import { type Command, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, EXIT_VERDICT_FAIL, UsageError } from '../command.js';

const HELP = `Usage: shieldlink campaign --scenario FILE --runs N [options]
       shieldlink campaign --sweep FILE [--runs N] [options]

Run a scenario over many seeds (and a sweep of parameters), each run in virtual time in a worker
process of its own, and give statistics with confidence intervals.

Seeds: run i uses the scenario's seed + i (the same seeds at every sweep point). Run 0 of a
campaign without a sweep is the scenario file as written: its digests equal \`shieldlink run\`'s.

Sweep file (YAML):
  scenario: scenarios/raid-50.yaml        # relative to the sweep file
  runs: 20                                # seeds per point
  durationS: 120                          # optional
  sampling: grid                          # or {random: {samples: 12, seed: 7}}
  parameters:
    - {name: rangeSigmaM, path: "radars[*].rangeSigmaM", values: [5, 20, 80]}
    - {name: launchers, path: launchers.length, values: [2, 4]}
    - {name: rounds, path: "launchers[id=launcher-1].rounds", range: {min: 4, max: 16, integer: true}}
  Paths: keys, [N], [*] (every entry), [id=X]; "<list>.length" keeps the first N entries.
  Every point is validated before any run; an invalid one stops the campaign naming the point
  and the field.

Options:
  --scenario FILE   scenario (default: the sweep file's, else the config's)
  --sweep FILE      parameters to vary (grid or seeded random samples)
  --runs N          seeds per point (default: the sweep's, else 1)
  --duration S      simulated seconds per run (default: the scenario's)
  --config FILE     bench config, with the in-process simulator (default ${DEFAULT_CONFIG})
  --workers N       local worker processes (default: cores - 1, at least 1)
  --out DIR         result directory (default <config output dir>/campaigns/<scenario>[-<sweep>]);
                    an interrupted campaign resumes from what is stored there, and
                    a larger --runs grows a campaign (run i always has the same seed)
  --fresh           discard the results stored in --out first
  --keep-recordings keep every run's recording (default: only failed runs')
  --report FILE     HTML report (default <out>/report.html)
  --junit FILE      JUnit XML: per point, each safety counter summed (must be 0), errors, completeness
  --json            print the statistics as one JSON object on the last stdout line
  --quiet           no progress, no table
  --queue URL       distribute over Redis (redis://HOST:PORT[/DB]): enqueue the runs, gather the
                    results here while \`shieldlink worker --queue URL\` processes run them. If Redis
                    goes away the campaign pauses and resumes when it returns, losing no result.
  --queue-name NAME BullMQ queue (default ${DEFAULT_QUEUE_NAME})

Stored in --out: campaign.json, points/p<N>.yaml, results.jsonl (one line per run: figures and
digests), statistics.json, report.html, recordings/<run>.run and .yaml (failed runs; re-run one
with \`shieldlink run --scenario recordings/<run>.yaml\`).

Examples:
  shieldlink campaign --scenario hil-configs/scenarios/raid-50.yaml --runs 200
  shieldlink campaign --sweep hil-configs/sweeps/radar-accuracy.yaml --runs 10 --workers 3
  shieldlink campaign --scenario hil-configs/scenarios/raid-50.yaml --runs 1000 --queue redis://10.0.0.5:6379

Exit codes: 0 every run done and every safety counter 0; 1 a safety counter is not 0 (the seeds
are named); 2 usage, config or sweep error (nothing ran); 3 runtime error (a run could not run,
the campaign was interrupted, Redis unreachable at start).`;

export const campaignCommand: Command = {
  path: ['campaign'],
  summary: 'run a scenario over many seeds and a parameter sweep, locally or on many machines',
  help: HELP,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        scenario: { type: 'string' },
        sweep: { type: 'string' },
        runs: { type: 'string' },
        duration: { type: 'string' },
        config: { type: 'string' },
        workers: { type: 'string' },
        out: { type: 'string' },
        fresh: { type: 'boolean' },
        'keep-recordings': { type: 'boolean' },
        report: { type: 'string' },
        junit: { type: 'string' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean' },
        queue: { type: 'string' },
        'queue-name': { type: 'string' },
      },
      allowPositionals: false,
    });
    const positiveInt = (name: string, text: string | undefined): number | undefined => {
      if (text === undefined) return undefined;
      const n = Number(text);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name}: expected a positive integer, got '${text}'`);
      return n;
    };
    const runsArg = positiveInt('runs', values.runs);
    const workers = positiveInt('workers', values.workers) ?? Math.max(1, availableParallelism() - 1);
    const durationS = values.duration === undefined ? undefined : Number(values.duration);
    if (durationS !== undefined && !(Number.isFinite(durationS) && durationS > 0))
      throw new UsageError(`--duration: expected a positive number of seconds, got '${values.duration}'`);
    let queue;
    try {
      queue = values.queue === undefined ? undefined : parseRedisUrl(values.queue);
    } catch (error) {
      if (error instanceof RedisUrlError) throw new UsageError(error.message);
      throw error;
    }

    let sweep: Sweep | undefined;
    let loaded;
    const configFileOf = (sweepConfig: string | undefined): string =>
      values.config !== undefined
        ? resolve(values.config)
        : sweepConfig !== undefined
          ? resolve(dirname(resolve(values.sweep!)), sweepConfig)
          : defaultConfigFile();
    try {
      if (values.sweep !== undefined) sweep = await loadSweep(values.sweep);
      loaded = await loadBenchConfig(configFileOf(sweep?.config));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      writeConfigIssues(error, io.stderr);
      return EXIT_USAGE;
    }
    requireInProcessSimulator(loaded, 'a campaign runs in virtual time: it needs simulator.placement in-process');
    const scenarioFile =
      values.scenario !== undefined
        ? resolve(values.scenario)
        : sweep?.scenario !== undefined
          ? resolve(dirname(resolve(values.sweep!)), sweep.scenario)
          : loaded.config.scenario !== undefined
            ? loaded.resolvePath(loaded.config.scenario)
            : undefined;
    if (scenarioFile === undefined) throw new UsageError('no scenario: give --scenario (or a sweep file naming one)');

    let plan: CampaignPlan;
    try {
      plan = await planCampaign({
        configFile: loaded.file,
        scenarioFile,
        runs: runsArg ?? sweep?.runs ?? 1,
        ...(durationS === undefined ? {} : { durationS }),
        ...(sweep === undefined ? {} : { sweep }),
      });
    } catch (error) {
      if (error instanceof CampaignPlanError) {
        io.stderr.write(`shieldlink campaign: invalid sweep, nothing ran:\n${error.message}\n`);
        return EXIT_USAGE;
      }
      if (error instanceof ConfigError) {
        writeConfigIssues(error, io.stderr);
        return EXIT_USAGE;
      }
      throw error;
    }

    const stem = plan.scenarioName.replace(/\.ya?ml$/, '');
    const sweepStem = values.sweep === undefined ? '' : `-${values.sweep.replace(/^.*\//, '').replace(/\.ya?ml$/, '')}`;
    const outDir = resolve(
      values.out ?? join(loaded.resolvePath(loaded.config.output.dir), 'campaigns', `${stem}${sweepStem}`),
    );
    let store: CampaignResultStore;
    try {
      store = CampaignResultStore.open(outDir, plan, { fresh: values.fresh === true });
    } catch (error) {
      if (error instanceof CampaignStoreMismatchError) throw new UsageError(error.message);
      throw error;
    }

    const chatty = !values.quiet && !values.json;
    const tracker = new ProgressTracker(plan.runs.length, store.results().values());
    const wall = new RealClock();
    // On a terminal (and stdout not reserved for --json) one live line; else a line on stderr
    // every 5 % and on every change of state (CI logs). --quiet: none.
    const live = io.isTty && chatty;
    let lastLoggedStep = -1;
    let lastLine = '';
    let lastState: 'running' | 'paused' = 'running';
    const showProgress = (line: string, fraction: number, force = false): void => {
      if (values.quiet === true) return;
      if (live) io.stdout.write(`\r\x1b[K${line}`);
      else {
        const step = Math.floor(fraction * 20);
        if (step !== lastLoggedStep || force) {
          lastLoggedStep = step;
          io.stderr.write(`${line}\n`);
        }
      }
      lastLine = line;
    };
    if (values.quiet !== true && store.results().size > 0)
      io.stderr.write(
        `${live ? '\r\x1b[K' : ''}resuming: ${store.results().size} of ${plan.runs.length} runs already stored in ${outDir}\n`,
      );
    const interrupt = new Promise<void>((resolveInterrupt) => process.once('SIGINT', () => resolveInterrupt()));

    let interrupted: boolean;
    if (queue === undefined) {
      ({ interrupted } = await runLocalCampaign({
        plan,
        store,
        workers,
        keepRecordings: values['keep-recordings'] === true,
        interrupt,
        onStored: (o) => {
          tracker.add(o);
          const p = tracker.snapshot();
          showProgress(formatProgressLine(p), p.done / p.total);
        },
      }));
    } else {
      ({ interrupted } = await runQueuedCampaign({
        plan,
        store,
        redis: queue,
        queueName: values['queue-name'] ?? DEFAULT_QUEUE_NAME,
        keepRecordings: values['keep-recordings'] === true,
        interrupt,
        onStored: (o) => tracker.add(o),
        onStatus: (state, message, queueWorkers) => {
          const p = tracker.snapshot(state, message, queueWorkers);
          const line = formatProgressLine(p);
          if (line !== lastLine) showProgress(line, p.done / p.total, state !== lastState);
          lastState = state;
        },
      }));
    }
    if (live) io.stdout.write('\r\x1b[K');

    const outcomes = store.all();
    const stats = campaignStatistics(plan, outcomes);
    const files = writeCampaignOutputs(outDir, stats, outcomes, {
      ...(values.report === undefined ? {} : { reportFile: resolve(values.report) }),
      ...(values.junit === undefined ? {} : { junitFile: resolve(values.junit) }),
      wallS: wall.nowUs() / 1e6,
      title: `Campaign: ${stem}${sweepStem} (${plan.runs.length} runs)`,
    });
    if (chatty) {
      io.stdout.write(formatCampaignTable(stats) + '\n');
      io.stdout.write(`results:   ${outDir}\nreport:    ${files.reportFile}\n`);
      if (interrupted)
        io.stdout.write(
          `interrupted: ${stats.overall.runsDone} of ${plan.runs.length} runs stored; run the same command to resume\n`,
        );
    }
    if (values.json) io.stdout.write(JSON.stringify({ ...stats, runs: runDigests(outcomes), outDir, ...files }) + '\n');
    if (stats.safetyFailures.length > 0) return EXIT_VERDICT_FAIL;
    if (interrupted || stats.errors.length > 0 || !stats.complete) return EXIT_RUNTIME;
    return EXIT_OK;
  },
};

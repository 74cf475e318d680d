import { reportFilePaths, writeReportFiles } from '../../report/index.js';
import { onePositional, parseCommandArgs } from '../command-args.js';
import { type Command, EXIT_OK } from '../command.js';

const HELP = `Usage: shieldlink report RUNFILE [-o FILE] [--truth FILE] [--summary FILE] [--scenario FILE]
                         [--title TEXT] [--json]

Write the after-action report of a recorded run: one self-contained HTML page (charts, data and
styles inlined, nothing fetched when opened; send it by mail, open it offline). It shows the
verdict (safety counters and measurements), the plan view of radars, launchers, envelopes,
tracks, interceptor paths, kills and leakers; altitude against time; a per-launcher engagement
timeline (detection, plan, FIRE, launch, intercept) with device faults; histograms of launch
timing error and reaction time; control-loop lateness; link counters; and the operator command
audit. Prints the path of the page.

Inputs next to the run file are found by name (X.run → X.truth.jsonl, X.summary.json, as
'shieldlink run' writes them). Without a truth log the report shows the host's view (radar plots,
aim points, launch instants reported by the launchers).

Options:
  -o, --out FILE     the page to write (default X.report.html next to the run file)
  --truth FILE       simulator truth log (default X.truth.jsonl when it exists)
  --summary FILE     run summary (default X.summary.json when it exists)
  --scenario FILE    scenario, for radar positions (default: found by the recording's scenario
                     name and SHA-256 next to the run file or in hil-configs/scenarios/)
  --title TEXT       page title (default "shieldlink — <scenario>")
  --json             print {"reportFile": ...} instead of the bare path

Examples:
  shieldlink report runs/raid-50.run
  shieldlink report runs/raid-50.run -o /tmp/raid.html
  shieldlink report bench.run --summary bench.summary.json --title "Bench 2, 14 May"

Exit codes: 0 written, 2 usage, 3 unreadable input or unwritable output.`;

export const reportCommand: Command = {
  path: ['report'],
  summary: 'write the after-action HTML report of a recorded run',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      out: { type: 'string', short: 'o' },
      truth: { type: 'string' },
      summary: { type: 'string' },
      scenario: { type: 'string' },
      title: { type: 'string' },
      json: { type: 'boolean' },
    });
    const runFile = onePositional(positionals, 'RUNFILE');
    const outFile = await writeReportFiles({
      runFile,
      outFile: values.out ?? reportFilePaths(runFile).reportFile,
      ...(values.truth === undefined ? {} : { truthFile: values.truth }),
      ...(values.summary === undefined ? {} : { summaryFile: values.summary }),
      ...(values.scenario === undefined ? {} : { scenarioFile: values.scenario }),
      ...(values.title === undefined ? {} : { title: values.title }),
    });
    io.stdout.write(values.json ? JSON.stringify({ reportFile: outFile }) + '\n' : `${outFile}\n`);
    return EXIT_OK;
  },
};

import { exportRunToMcap } from '../../export/mcap-export.js';
import { onePositional, parseCommandArgs } from '../command-args.js';
import { type Command, EXIT_OK, UsageError } from '../command.js';
import { exitUsageOnBadInput } from './export-input.js';

const HELP = `Usage: shieldlink export RUNFILE --mcap FILE.mcap [--mqtt-log FILE|none] [--capture FILE|none]
                         [--truth FILE|none] [--json]

Write a run as an MCAP file that Foxglove (or PlotJuggler, or the mcap CLI) opens with no
plug-in: every channel is JSON with a JSON Schema, every timestamp wall time (virtual-time runs
start at 2026-01-01T00:00:00Z). Channels:
  /shieldlink/run              every line of the run file, byte for byte ('import' gives it back)
  /shieldlink/tick-metrics     per tick: lateness against the schedule, inputs, commands, events
  /shieldlink/launch-errors    per launch: actual minus planned launch time, µs
  /shieldlink/v1/<node>/...    one channel per MQTT topic the bridge published, with the schema
                               of 'shieldlink schema' (tracks, device states, engagements, ...)
  /shieldlink/frames/<link>    every serial frame on that link, both ways, decoded; bad frames
                               kept with their error
  /shieldlink/truth            the simulator's truth log
The MQTT log, capture, truth and summary are taken from beside the run file
(<name>.mqtt.jsonl, <name>.pcapng, <name>.truth.jsonl, <name>.summary.json) when there;
docs/foxglove.md describes a layout (plan view, lateness and launch error plots).

Options:
  --mcap FILE       the MCAP file to write (required)
  --mqtt-log FILE   MQTT log to include instead of the one beside the run file; 'none' to leave out
  --capture FILE    pcapng capture to include; 'none' to leave out
  --truth FILE      truth log to include; 'none' to leave out
  --json            print the message counts per channel as one JSON object

Examples:
  shieldlink export runs/raid-50.run --mcap raid-50.mcap
  shieldlink export runs/raid-50.run --mcap raid-50.mcap --capture none

Exit codes: 0 written, 2 bad option or unusable input (a run file of another format, a capture
of another link type), 3 cannot write.`;

export const exportCommand: Command = {
  path: ['export'],
  summary: 'export a run (and its MQTT log, frames and truth) as MCAP for Foxglove',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      mcap: { type: 'string' },
      'mqtt-log': { type: 'string' },
      capture: { type: 'string' },
      truth: { type: 'string' },
      json: { type: 'boolean' },
    });
    const runFile = onePositional(positionals, 'RUNFILE');
    const mcap = values.mcap;
    if (mcap === undefined) throw new UsageError('--mcap FILE is required (see --help)');
    const side = (value: string | undefined): string | null | undefined => (value === 'none' ? null : value);
    return exitUsageOnBadInput('export', io, async () => {
      const result = await exportRunToMcap({
        runFile,
        outFile: mcap,
        mqttLogFile: side(values['mqtt-log']),
        captureFile: side(values.capture),
        truthFile: side(values.truth),
      });
      if (values.json) io.stdout.write(JSON.stringify({ mcap, ...result }) + '\n');
      else {
        const channels = Object.keys(result.messagesByTopic).length;
        io.stdout.write(`wrote ${mcap}: ${result.messages} messages on ${channels} channels\n`);
      }
      return EXIT_OK;
    });
  },
};

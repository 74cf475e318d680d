import { parseArgs } from 'node:util';
import { type ControlConfig, type ControlInput, createControlState, step } from '../../control/index.js';
import { type ReplayableCore, replayRun } from '../../record/replay.js';
import { threatRecordEntries } from '../../session/threat-record.js';
import { readRunFile } from '../../record/run-reader.js';
import { type Command, EXIT_OK, EXIT_VERDICT_FAIL, UsageError } from '../command.js';
import { type ReplayPublishOptions, replayPublish } from './replay-publish.js';

/** Check the options of `--publish`. */
function publishOptions(
  runFile: string,
  values: { broker?: string; rate?: string; from?: string; to?: string; 'mqtt-log'?: string; json?: boolean },
): ReplayPublishOptions {
  if (values.broker === undefined) throw new UsageError('--publish needs --broker URL');
  const seconds = (text: string | undefined, name: string): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!(Number.isFinite(value) && value >= 0)) throw new UsageError(`${name}: expected seconds >= 0, got '${text}'`);
    return value;
  };
  const rate = values.rate === undefined ? 1 : Number(values.rate);
  if (!(Number.isFinite(rate) && rate > 0)) throw new UsageError(`--rate: expected a number > 0, got '${values.rate}'`);
  const fromS = seconds(values.from, '--from');
  const toS = seconds(values.to, '--to');
  if (fromS !== undefined && toS !== undefined && toS <= fromS) throw new UsageError('--to must be after --from');
  return {
    runFile,
    broker: values.broker,
    rate,
    ...(fromS === undefined ? {} : { fromS }),
    ...(toS === undefined ? {} : { toS }),
    ...(values['mqtt-log'] === undefined ? {} : { mqttLogFile: values['mqtt-log'] }),
    json: values.json === true,
  };
}

const HELP = `Usage: shieldlink replay FILE [--verify] [--json]
       shieldlink replay FILE --publish --broker URL [--rate N] [--from S] [--to S] [--mqtt-log FILE]

Re-run the control core over a recording's inputs, tick by tick, and compare every output with
the recorded one. Prints "identical" with the SHA-256 of all outputs, or the first diverging tick
with both sides.

With --publish, republish instead the MQTT traffic the run published (its MQTT log,
<name>.mqtt.jsonl beside the run file) onto a broker, in the recorded order, at N times the
recorded pace, so a display, a partner node or a C2 system can be developed against a recorded
raid. Every message is marked as replayed: the MQTT 5 user property replay=true, "replay": true
in the status payload, and quality "replayed" in device states and tracks (in place of good or
simulated). Topics, QoS and retain flags are as recorded.

Options:
  --verify          (the default action; accepted for clarity)
  --json            one JSON object: {"identical", "ticks", "outputsSha256"} or {"identical": false, "reason", "firstDivergence"}
  --publish         republish the recorded MQTT traffic (needs --broker)
  --broker URL      the broker to publish to: mqtt://host:port, mqtts://, ws://
  --rate N          pace, N times the recorded one (default 1; 10 = ten times faster)
  --from S, --to S  only the messages from second S (inclusive) to second S (exclusive) of the
                    run's clock, as in the progress line and the report
  --mqtt-log FILE   the MQTT log to republish (default: the one beside the run file)

Examples:
  shieldlink replay runs/raid-50-seed7.run --verify
  shieldlink replay runs/raid-50.run --publish --broker mqtt://127.0.0.1:1883 --rate 10 --from 60 --to 120

Exit codes: 0 identical (or all republished), 1 diverged or incomplete recording, 2 usage or an
input that cannot be used (a run file of a newer format, no MQTT log), 3 unreadable file or
broker unreachable.`;

/** The control core as replay drives it, rebuilt from the recording's manifest. */
export function replayCoreFrom(coreConfig: unknown): ReplayableCore {
  const state = createControlState(coreConfig as ControlConfig);
  return {
    step(nowUs, inputs) {
      const out = step(state, inputs as readonly ControlInput[], nowUs);
      // The arrays are reused by the next step: copy what the comparison keeps.
      return { commands: [...out.commands], events: [...out.events] };
    },
    threats: () => threatRecordEntries(state.threatList()),
  };
}

export const replayCommand: Command = {
  path: ['replay'],
  summary: 're-run a recording and prove the outputs are identical',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        verify: { type: 'boolean' },
        json: { type: 'boolean' },
        publish: { type: 'boolean' },
        broker: { type: 'string' },
        rate: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'mqtt-log': { type: 'string' },
      },
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new UsageError('expected exactly one recording FILE (see --help)');
    if (values.publish) return replayPublish(publishOptions(positionals[0]!, values), io);
    if (
      values.broker !== undefined ||
      values.rate !== undefined ||
      values.from !== undefined ||
      values.to !== undefined
    ) {
      throw new UsageError('--broker, --rate, --from and --to go with --publish');
    }
    const contents = await readRunFile(positionals[0]!);
    const verdict = replayRun(contents, (manifest) => replayCoreFrom(manifest.coreConfig));
    if (values.json) io.stdout.write(JSON.stringify(verdict) + '\n');
    else if (verdict.identical)
      io.stdout.write(`identical  ${verdict.ticks} ticks  outputs sha256 ${verdict.outputsSha256}\n`);
    else {
      io.stdout.write(`diverged  ${verdict.reason}\n`);
      if (verdict.firstDivergence !== null) {
        io.stdout.write(`first diverging tick ${verdict.firstDivergence.tick}\n`);
        io.stdout.write(`  recorded: ${JSON.stringify(verdict.firstDivergence.recorded)}\n`);
        io.stdout.write(`  replayed: ${JSON.stringify(verdict.firstDivergence.replayed)}\n`);
      }
    }
    return verdict.identical ? EXIT_OK : EXIT_VERDICT_FAIL;
  },
};

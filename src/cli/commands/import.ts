import { importMcap } from '../../export/mcap-import.js';
import { onePositional, parseCommandArgs } from '../command-args.js';
import { type Command, EXIT_OK } from '../command.js';
import { exitUsageOnBadInput } from './export-input.js';

const HELP = `Usage: shieldlink import FILE.mcap [--out RUNFILE] [--json]

Turn an MCAP file written by 'shieldlink export' back into a run file, byte for byte, so that
'shieldlink replay RUNFILE --verify' proves the same outputs digest; beside it go the MQTT log
(<name>.mqtt.jsonl, for 'replay --publish'), the frame capture (<name>.pcapng) and the truth
log (<name>.truth.jsonl) when the MCAP file has those channels. Every chunk CRC is checked.

Options:
  --out RUNFILE   run file to write (default FILE.run beside FILE.mcap)
  --json          print what was written as one JSON object

Examples:
  shieldlink import raid-50.mcap --out runs/raid-50-imported.run
  shieldlink replay runs/raid-50-imported.run --verify

Exit codes: 0 written, 2 bad option or unusable input (not MCAP, truncated, a CRC mismatch, not
exported from a run), 3 cannot write.`;

export const importCommand: Command = {
  path: ['import'],
  summary: 'turn an exported MCAP file back into a run file (and its MQTT log, frames, truth)',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { out: { type: 'string' }, json: { type: 'boolean' } });
    const mcap = onePositional(positionals, 'FILE.mcap');
    const out = values.out ?? mcap.replace(/\.mcap$/, '') + '.run';
    return exitUsageOnBadInput('import', io, async () => {
      const result = await importMcap(mcap, out);
      if (values.json) io.stdout.write(JSON.stringify(result) + '\n');
      else {
        io.stdout.write(`wrote ${result.runFile} (${result.runLines} lines)\n`);
        for (const file of [result.mqttLogFile, result.captureFile, result.truthFile]) {
          if (file !== null) io.stdout.write(`wrote ${file}\n`);
        }
      }
      return EXIT_OK;
    });
  },
};

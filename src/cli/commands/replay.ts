import { parseArgs } from 'node:util';
import { type ControlConfig, type ControlInput, createControlState, step } from '../../control/index.js';
import { type ReplayableCore, replayRun } from '../../record/replay.js';
import { readRunFile } from '../../record/run-reader.js';
import { type Command, EXIT_OK, EXIT_VERDICT_FAIL, UsageError } from '../command.js';

const HELP = `Usage: shieldlink replay FILE [--verify] [--json]

Re-run the control core over a recording's inputs, tick by tick, and compare every output with
the recorded one. Prints "identical" with the SHA-256 of all outputs, or the first diverging tick
with both sides.

Options:
  --verify   (the default action; accepted for clarity)
  --json     one JSON object: {"identical", "ticks", "outputsSha256"} or {"identical": false, "reason", "firstDivergence"}

Examples:
  shieldlink replay runs/raid-50-seed7.run --verify

Exit codes: 0 identical, 1 diverged or incomplete recording, 2 usage, 3 unreadable file.`;

/** The control core as replay drives it, rebuilt from the recording's manifest. */
export function replayCoreFrom(coreConfig: unknown): ReplayableCore {
  const state = createControlState(coreConfig as ControlConfig);
  return {
    step(nowUs, inputs) {
      const out = step(state, inputs as readonly ControlInput[], nowUs);
      // The arrays are reused by the next step: copy what the comparison keeps.
      return { commands: [...out.commands], events: [...out.events] };
    },
  };
}

export const replayCommand: Command = {
  path: ['replay'],
  summary: 're-run a recording and prove the outputs are identical',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { verify: { type: 'boolean' }, json: { type: 'boolean' } },
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new UsageError('expected exactly one recording FILE (see --help)');
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

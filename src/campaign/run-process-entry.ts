/**
 * A campaign worker process: runs one run at a time as the parent asks (`{spec}` message) and
 * answers `{key, outcome}`. Started by {@link RunProcessPool}; argv[2] is its scratch directory.
 */
import { executeRun } from './execute-run.js';
import type { RunSpec } from './run-spec.js';

const workDir = process.argv[2] ?? '.';
const worker = process.argv[3] ?? 'local';

process.on('message', (message: { spec: RunSpec }) => {
  // executeRun turns a failed run into an `error` outcome; only a spec that is not one throws.
  executeRun(message.spec, workDir, worker).then(
    (outcome) => process.send?.({ key: message.spec.key, outcome }),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(3);
    },
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });

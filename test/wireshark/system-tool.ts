import { spawnSync } from 'node:child_process';

/**
 * Whether a system tool runs, for tests that need it: `false` when it does, else the skip
 * reason. With CI=true a missing tool is not a skip: the caller fails (see `requireTool`).
 */
export function toolMissing(command: string, args: readonly string[], install: string): string | false {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.error === undefined && result.status === 0
    ? false
    : `${command} not found (apt-get install ${install}; .ci/run installs it)`;
}

/** The skip option for node-tap: the reason locally, but under CI=true throw so the test fails. */
export function requireTool(missing: string | false): { skip: string | false } {
  if (missing !== false && process.env.CI === 'true') throw new Error(`CI=true and ${missing}`);
  return { skip: missing };
}

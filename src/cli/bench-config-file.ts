import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigError } from '../config/config-error.js';
import type { LoadedBenchConfig } from '../config/load-bench-config.js';
import { UsageError } from './command.js';

/** The bench config a command runs without `--config`, relative to the package root. */
export const DEFAULT_CONFIG = 'hil-configs/sim.yaml';

/** The package root (where hil-configs/ lives), from src/cli or dist/src/cli. */
export function packageRootDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes('/dist/') ? resolve(here, '../../..') : resolve(here, '../..');
}

/** The package's {@link DEFAULT_CONFIG} as an absolute path. */
export function defaultConfigFile(): string {
  return join(packageRootDir(), DEFAULT_CONFIG);
}

/** Writes a config error's issues to `out`, one `file: path: message` line each. */
export function writeConfigIssues(error: ConfigError, out: NodeJS.WritableStream): void {
  for (const issue of error.issues)
    out.write(`${error.file}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}\n`);
}

/**
 * For a command that runs in virtual time: throws UsageError `<config file>: <why>` unless the
 * config runs the simulator in-process (the one virtual clock every device must share).
 */
export function requireInProcessSimulator(loaded: LoadedBenchConfig, why: string): void {
  const { simulator } = loaded.config;
  if (!(simulator.enabled && simulator.placement === 'in-process')) throw new UsageError(`${loaded.file}: ${why}`);
}

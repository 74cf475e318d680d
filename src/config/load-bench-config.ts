import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { canonicalJson } from '../common/canonical-json.js';
import { type BenchConfig, benchConfigSchema } from './bench-config-schema.js';
import { asConfigIssues, parseConfigFile } from './parse-config-file.js';
import { benchConfigReferenceIssues } from './bench-config-references.js';

/** A bench config with where it came from and its hash (goes into births and recordings). */
export interface LoadedBenchConfig {
  readonly file: string;
  readonly config: BenchConfig;
  /** SHA-256 (hex) of the canonical JSON of the validated config, defaults included. */
  readonly configHash: string;
  /** Resolve a path written in the config relative to the config file. */
  resolvePath(path: string): string;
}

/** Load and validate a bench config; throws ConfigError listing every problem. */
export async function loadBenchConfig(file: string): Promise<LoadedBenchConfig> {
  const config = await parseConfigFile(file, benchConfigSchema, asConfigIssues(benchConfigReferenceIssues));
  const base = dirname(resolve(file));
  return {
    file,
    config,
    configHash: hashCanonical(config),
    resolvePath: (path) => resolve(base, path),
  };
}

/**
 * SHA-256 (lower-case hex) of the canonical JSON of `value` (`src/common/canonical-json.ts`,
 * finite numbers allowed): object keys sorted at every level, so key order never changes the
 * hash. Throws CanonicalJsonError for what canonical JSON cannot hold (NaN, bigint, …).
 */
export function hashCanonical(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value, 'finite')).digest('hex');
}

/** Track filters a bench can run (`control.tracker`). */
export const TRACKERS = ['imm', 'cv'] as const;
export type TrackerName = (typeof TRACKERS)[number];

/**
 * The same loaded config with `control.tracker` set to `tracker` (its hash recomputed, so a
 * recording says which tracker made it).
 */
export function withTracker(loaded: LoadedBenchConfig, tracker: TrackerName): LoadedBenchConfig {
  const config = { ...loaded.config, control: { ...loaded.config.control, tracker } };
  return { file: loaded.file, config, configHash: hashCanonical(config), resolvePath: loaded.resolvePath };
}

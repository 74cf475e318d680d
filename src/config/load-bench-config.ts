import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { canonicalJson } from '../common/canonical-json.js';
import { type BenchConfig, benchConfigSchema } from './bench-config-schema.js';
import { asConfigIssues, parseConfigFileWarning } from './parse-config-file.js';
import { benchConfigReferenceIssues } from './bench-config-references.js';
import { BENCH_CONFIG_UNIT_SITES } from './config-unit-fields.js';
import { deprecatedNameIssues, deprecatedNameWarnings } from './deprecated-unit-names.js';
import type { ConfigWarning } from './defended-asset-warnings.js';

/** A bench config with where it came from and its hash (goes into births and recordings). */
export interface LoadedBenchConfig {
  readonly file: string;
  readonly config: BenchConfig;
  /** SHA-256 (hex) of the canonical JSON of the validated config, defaults included. */
  readonly configHash: string;
  /** Resolve a path written in the config relative to the config file. */
  resolvePath(path: string): string;
  /** What the file should change though it is valid: deprecated field names, each with its replacement. */
  readonly warnings?: readonly ConfigWarning[];
}

/** Load and validate a bench config; throws ConfigError listing every problem. */
export async function loadBenchConfig(file: string): Promise<LoadedBenchConfig> {
  const references = asConfigIssues(benchConfigReferenceIssues);
  const deprecated = deprecatedNameIssues(BENCH_CONFIG_UNIT_SITES);
  const { value: config, warnings } = await parseConfigFileWarning(
    file,
    benchConfigSchema,
    (data) => [...deprecated(data), ...references(data)],
    deprecatedNameWarnings(BENCH_CONFIG_UNIT_SITES),
  );
  const base = dirname(resolve(file));
  return {
    file,
    config,
    configHash: hashCanonical(config),
    resolvePath: (path) => resolve(base, path),
    warnings,
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
  return {
    file: loaded.file,
    config,
    configHash: hashCanonical(config),
    resolvePath: loaded.resolvePath,
    ...(loaded.warnings === undefined ? {} : { warnings: loaded.warnings }),
  };
}

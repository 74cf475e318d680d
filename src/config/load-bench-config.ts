import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { type BenchConfig, benchConfigSchema } from './bench-config-schema.js';
import { parseConfigFile } from './parse-config-file.js';

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
  const config = await parseConfigFile(file, benchConfigSchema);
  const base = dirname(resolve(file));
  return {
    file,
    config,
    configHash: hashCanonical(config),
    resolvePath: (path) => resolve(base, path),
  };
}

/** SHA-256 hex of JSON with object keys sorted at every level. */
export function hashCanonical(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** JSON with object keys sorted at every level, no whitespace: the canonical form. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

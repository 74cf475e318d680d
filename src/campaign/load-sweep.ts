import { parseConfigFile } from '../config/parse-config-file.js';
import { type Sweep, sweepSchema } from './sweep-schema.js';

/** Load and validate a sweep file (YAML or JSON). Throws ConfigError naming every bad field. */
export function loadSweep(file: string): Promise<Sweep> {
  return parseConfigFile(file, sweepSchema);
}

import { ConfigError } from '../../../src/config/config-error.js';

/**
 * Known defects the config fuzzer found, by a message pattern: the YAML library throws a bare
 * ReferenceError for an unresolved alias (`*x`) and for an alias bomb, which parseConfigText
 * does not turn into a ConfigError (so `config check` exits 3, not 2). Reported to the lead;
 * counted and shown as TODO until parse-config-file.ts wraps `toJS()`.
 */
export const KNOWN_CONFIG_DEFECTS: ReadonlyArray<{ readonly id: string; readonly pattern: RegExp }> = [
  { id: 'yaml-unresolved-alias', pattern: /Unresolved alias/ },
  { id: 'yaml-alias-bomb', pattern: /Excessive alias count/ },
];

/** What a config parse of fuzzed text did. */
export type ConfigOutcome =
  | { readonly kind: 'parsed' }
  | { readonly kind: 'config-error' }
  | { readonly kind: 'known-defect'; readonly id: string }
  | { readonly kind: 'crash'; readonly error: unknown };

/** Run `parse`; a ConfigError with at least one issue, each with a message, is the only good failure. */
export function configOutcome(parse: () => unknown): ConfigOutcome {
  try {
    parse();
    return { kind: 'parsed' };
  } catch (error) {
    if (error instanceof ConfigError) {
      const wellFormed =
        error.issues.length > 0 && error.issues.every((i) => typeof i.path === 'string' && i.message !== '');
      return wellFormed ? { kind: 'config-error' } : { kind: 'crash', error };
    }
    const message = error instanceof Error ? error.message : String(error);
    const known = KNOWN_CONFIG_DEFECTS.find((d) => d.pattern.test(message));
    return known === undefined ? { kind: 'crash', error } : { kind: 'known-defect', id: known.id };
  }
}

import { ConfigError } from '../../../src/config/config-error.js';

/** What a config parse of fuzzed text did. */
export type ConfigOutcome =
  | { readonly kind: 'parsed' }
  | { readonly kind: 'config-error'; readonly issues: string }
  | { readonly kind: 'crash'; readonly error: unknown };

/**
 * Run `parse`; a ConfigError with at least one issue, each with a message, is the only good
 * failure (`issues`: its `path: message` lines). Anything else thrown — a bare error from the
 * YAML library included — is a crash (`config check` would exit 3 instead of 2).
 */
export function configOutcome(parse: () => unknown): ConfigOutcome {
  try {
    parse();
    return { kind: 'parsed' };
  } catch (error) {
    if (error instanceof ConfigError) {
      const wellFormed =
        error.issues.length > 0 && error.issues.every((i) => typeof i.path === 'string' && i.message !== '');
      if (!wellFormed) return { kind: 'crash', error };
      return { kind: 'config-error', issues: error.issues.map((i) => `${i.path}: ${i.message}`).join('\n') };
    }
    return { kind: 'crash', error };
  }
}

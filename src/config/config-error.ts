/** One problem found in a config or scenario file: where, and why. */
export interface ConfigIssue {
  /** Dotted path with indices, e.g. `launchers[1].flyout.speedMps`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

/**
 * A config, scenario or key file that cannot be used. Carries every issue found (not just the
 * first), each with its path, so `shieldlink config check` can print them all.
 */
export class ConfigError extends Error {
  readonly code = 'config';
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(`${file}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Render a zod-style path (`['launchers', 1, 'speedMps']`) as `launchers[1].speedMps`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

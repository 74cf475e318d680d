import { readFile, stat } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { ZodType } from 'zod';
import { ConfigError, type ConfigIssue, formatIssuePath } from './config-error.js';
import { MAX_CONFIG_BYTES, configTextIssues } from './config-text-limits.js';
import type { ConfigWarning } from './defended-asset-warnings.js';

/**
 * Read a YAML (or JSON) file and validate it against a zod schema. Every problem is collected
 * into one ConfigError: unreadable file, YAML syntax errors (with line:column), and each schema
 * issue with its path and reason. Never returns partially valid data.
 */
export async function parseConfigFile<T>(
  file: string,
  schema: ZodType<T>,
  crossCheck?: (data: unknown) => ConfigIssue[],
): Promise<T> {
  return (await parseConfigFileWarning(file, schema, crossCheck)).value;
}

/** A valid config and the warnings found on the way (deprecated names): it is still used. */
export interface ParsedConfig<T> {
  readonly value: T;
  readonly warnings: readonly ConfigWarning[];
}

/** As parseConfigFile, also returning `warn`'s findings on the data read (when it is valid). */
export async function parseConfigFileWarning<T>(
  file: string,
  schema: ZodType<T>,
  crossCheck?: (data: unknown) => ConfigIssue[],
  warn?: (data: unknown) => readonly ConfigWarning[],
): Promise<ParsedConfig<T>> {
  let text: string;
  try {
    // Never read a huge file into memory: its size is checked first.
    const size = (await stat(file)).size;
    if (size > MAX_CONFIG_BYTES) {
      throw new ConfigError(file, [
        { path: '', message: `file too large: ${size} bytes, at most ${MAX_CONFIG_BYTES}` },
      ]);
    }
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(file, [
      { path: '', message: `cannot read file (${(error as NodeJS.ErrnoException).code ?? String(error)})` },
    ]);
  }
  return parseConfigTextWarning(file, text, schema, crossCheck, warn);
}

/** As parseConfigFile, from text already read (`source` names it in errors). */
export function parseConfigText<T>(
  source: string,
  text: string,
  schema: ZodType<T>,
  crossCheck?: (data: unknown) => ConfigIssue[],
): T {
  return parseConfigTextWarning(source, text, schema, crossCheck).value;
}

/** As parseConfigFileWarning, from text already read. */
export function parseConfigTextWarning<T>(
  source: string,
  text: string,
  schema: ZodType<T>,
  crossCheck?: (data: unknown) => ConfigIssue[],
  warn?: (data: unknown) => readonly ConfigWarning[],
): ParsedConfig<T> {
  const limits = configTextIssues(text);
  if (limits.length > 0) throw new ConfigError(source, limits);
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      source,
      document.errors.map((e) => ({
        path: '',
        message: `YAML ${e.linePos?.[0] ? `line ${e.linePos[0].line}:${e.linePos[0].col}: ` : ''}${e.message.split('\n')[0]}`,
      })),
    );
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // Unresolvable aliases and alias bombs: the YAML library throws while building the value.
    throw new ConfigError(source, [{ path: '', message: `YAML ${(error as Error).message.split('\n')[0]}` }]);
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issues: ConfigIssue[] = result.error.issues.map((issue) => ({
      path: formatIssuePath(issue.path),
      message: issue.message,
    }));
    // Cross-references (duplicate ids, unknown devices, envelopes) are checked on the raw data
    // too, so they come with the shape errors rather than after the shape is fixed.
    for (const extra of crossCheck?.(data) ?? []) {
      if (!issues.some((i) => i.path === extra.path && i.message === extra.message)) issues.push(extra);
    }
    throw new ConfigError(source, issues);
  }
  return { value: result.data, warnings: warn?.(data) ?? [] };
}

/** A cross-check returning zod-style paths, as one giving ConfigIssues. */
export function asConfigIssues(
  check: (data: unknown) => readonly { readonly path: readonly (string | number)[]; readonly message: string }[],
): (data: unknown) => ConfigIssue[] {
  return (data) => check(data).map((issue) => ({ path: formatIssuePath(issue.path), message: issue.message }));
}

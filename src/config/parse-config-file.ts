import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { ZodType } from 'zod';
import { ConfigError, type ConfigIssue, formatIssuePath } from './config-error.js';

/**
 * Read a YAML (or JSON) file and validate it against a zod schema. Every problem is collected
 * into one ConfigError: unreadable file, YAML syntax errors (with line:column), and each schema
 * issue with its path and reason. Never returns partially valid data.
 */
export async function parseConfigFile<T>(file: string, schema: ZodType<T>): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [
      { path: '', message: `cannot read file (${(error as NodeJS.ErrnoException).code ?? String(error)})` },
    ]);
  }
  return parseConfigText(file, text, schema);
}

/** As parseConfigFile, from text already read (`source` names it in errors). */
export function parseConfigText<T>(source: string, text: string, schema: ZodType<T>): T {
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
    throw new ConfigError(source, issues);
  }
  return result.data;
}

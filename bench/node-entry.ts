import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * How to start a module of this repository in a new Node process, in the form the benchmark
 * itself runs in: compiled (`dist/…/x.js`, plain node) or from source (`…/x.ts` through tsx).
 * `relative` is written as the compiled path, relative to the bench/ folder, e.g.
 * `../src/cli/main.js`.
 */
export interface NodeEntry {
  /** Arguments for `process.execPath` before the module's own arguments. */
  readonly execArgv: readonly string[];
  /** The module's file path. */
  readonly file: string;
  /** Whether it runs from source through tsx. */
  readonly fromSource: boolean;
}

export function nodeEntry(relative: string): NodeEntry {
  const compiled = fileURLToPath(new URL(relative, import.meta.url));
  if (import.meta.url.endsWith('.js') && existsSync(compiled)) {
    return { execArgv: [], file: compiled, fromSource: false };
  }
  const source = compiled.replace(/\.js$/, '.ts');
  if (!existsSync(source)) throw new Error(`bench: neither ${compiled} nor ${source} exists`);
  return { execArgv: ['--import', 'tsx'], file: source, fromSource: true };
}

/**
 * A file of the source tree (not compiled: scenarios, docs, results), given relative to the
 * repository root; works from bench/ and from dist/bench/.
 */
export function repoFile(relative: string): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const root = here.replace(/\/dist\/bench\/$/, '/').replace(/\/bench\/$/, '/');
  return root + relative;
}

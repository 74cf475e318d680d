import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The URL of a module next to `baseUrl`, given by its compiled name (`./x.js`): `./x.ts` when
 * `baseUrl` is itself a `.ts` source (we run under a TypeScript loader: tap's ts-node, tsx),
 * `./x.js` otherwise (compiled `dist/`). Use it to name a worker entry or a handler module so
 * that one line works from sources and from the build.
 */
export function siblingModuleUrl(jsRelative: string, baseUrl: string): URL {
  const fromSource = new URL(baseUrl).pathname.endsWith('.ts');
  return new URL(fromSource ? jsRelative.replace(/\.js$/, '.ts') : jsRelative, baseUrl);
}

/**
 * Start a worker thread on the ES module at `moduleUrl`, compiled or TypeScript.
 *
 * Why this is not just `new Worker(url)`:
 * - Compiled (`dist/…/*.js`): it is. Node needs no loader.
 * - TypeScript source (`*.ts`, tests under `npx tap`, tools under `npx tsx`): Node can only load
 *   the file if a TypeScript loader is active *inside the worker*, and the two we use differ:
 *   - tap 21 (@tapjs/typescript) puts ts-node's ESM hooks in `--import=…` flags; a worker
 *     inherits `process.execArgv`, so a *file* worker on a `.ts` gets the hooks and loads. An
 *     `eval` worker does not: importing a `.ts` from it fails with ERR_UNKNOWN_FILE_EXTENSION
 *     (Node 20.20, even after waiting 1.5 s, so not a start-up race).
 *   - tsx 4 on Node 20 registers its hooks in the main thread only (its loader skips worker
 *     threads on Node < 22; tsx issue #354), so a file worker on a `.ts` fails with
 *     ERR_UNKNOWN_FILE_EXTENSION too.
 *   One path that works under both: a `.ts` module is started through a small `eval` bootstrap
 *   that imports it and, if that fails with ERR_UNKNOWN_FILE_EXTENSION, registers tsx's ESM API
 *   (`tsx/esm/api`, a dev dependency, resolved from this file) in the worker and imports it again
 *   (with a query, so the failed load is not reused). In practice, under tap as under tsx, the
 *   worker's TypeScript is therefore compiled by tsx. Relative `.js` imports inside the module
 *   (and handler modules named `.js` or `.ts`) then resolve to their `.ts` sources.
 *   Checked: `npx tap test/control/realtime`, `npx tsx bench/loop.ts`, and plain `node` on
 *   `dist/` after `npm run build`.
 *
 * `options.workerData`, `env`, `resourceLimits` etc. pass through unchanged; `execArgv` is
 * inherited unless given.
 */
export function spawnWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, options);
  return new Worker(tsBootstrap(moduleUrl.href, resolveTsxApi()), { ...options, eval: true });
}

function resolveTsxApi(): string | null {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return null;
  }
}

function tsBootstrap(entryHref: string, tsxApiHref: string | null): string {
  return `
const entry = ${JSON.stringify(entryHref)};
const tsxApi = ${JSON.stringify(tsxApiHref)};
import(entry).catch(async (error) => {
  if (error?.code !== 'ERR_UNKNOWN_FILE_EXTENSION' || tsxApi === null) throw error;
  const { register } = await import(tsxApi);
  register();
  await import(entry + (entry.includes('?') ? '&' : '?') + 'loader=tsx');
});
`;
}

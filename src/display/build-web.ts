import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, from src/display or dist/src/display. */
function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes('/dist/') ? resolve(here, '../../..') : resolve(here, '../..');
}

/**
 * Build the tactical display page: bundle src/display/web/main.ts (with mqtt.js's browser build)
 * into `<outDir>/app.js` with esbuild, and copy index.html and style.css beside it. Run by
 * `npm run build` (default outDir `dist/display`) and by the browser test (into a temp dir).
 * esbuild is imported here only, lazily: nothing at run time needs it.
 */
export async function buildWeb(outDir = join(packageRoot(), 'dist', 'display')): Promise<string> {
  const esbuild = await import('esbuild');
  const web = join(packageRoot(), 'src', 'display', 'web');
  await mkdir(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: [join(web, 'main.ts')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  await copyFile(join(web, 'index.html'), join(outDir, 'index.html'));
  await copyFile(join(web, 'style.css'), join(outDir, 'style.css'));
  return outDir;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildWeb(process.argv[2]);
  console.log(`display page built into ${out}`);
}

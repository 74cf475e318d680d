import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

/**
 * The repository explains itself: the design lives in docs/architecture.md and docs/decisions/,
 * and every `docs/….md` a source file, test, benchmark or document cites exists. (A design file
 * outside the repository used to be cited two dozen times.)
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const ROOTS = ['src', 'firmware-sim', 'test', 'bench', 'docs', 'hil-configs', 'README.md', 'eslint.config.js'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'results', 'corpus', 'vectors']);

function files(path: string): string[] {
  const full = join(REPO, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full)
    .filter((name) => !SKIP_DIRS.has(name))
    .flatMap((name) => files(join(path, name)));
}

const texts = ROOTS.flatMap(files)
  .filter((f) => /\.(ts|js|md|yaml)$/.test(f))
  .map((f) => ({ file: relative(REPO, join(REPO, f)), text: readFileSync(join(REPO, f), 'utf8') }));

t.test('no citation of a design file that is not in the repository', async (t) => {
  const missing = ['DESIGN', 'md'].join('.');
  const citing = texts.filter(({ text }) => text.includes(missing)).map(({ file }) => file);
  t.same(citing, [], `nothing cites ${missing}`);
});

t.test('every docs/….md cited exists', async (t) => {
  const dangling: string[] = [];
  let cited = 0;
  for (const { file, text } of texts) {
    for (const match of text.matchAll(/\bdocs\/[\w./-]*?\.md\b/g)) {
      cited++;
      if (!existsSync(join(REPO, match[0]))) dangling.push(`${file}: ${match[0]}`);
    }
  }
  t.ok(cited > 20, `${cited} citations checked`);
  t.same(dangling, [], 'no dangling citation');
});

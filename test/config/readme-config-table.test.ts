import { readFileSync } from 'node:fs';
import t from 'tap';
import { fromSeconds } from '../../src/common/config-units.js';
import { benchConfigSchema } from '../../src/config/bench-config-schema.js';
import { BENCH_CONFIG_UNIT_SITES } from '../../src/config/config-unit-fields.js';

/**
 * README's configuration reference states each default; the schema (src/config) is where each
 * default is set, once. This test reads the README table and checks every stated default against
 * what the schema fills in for a minimal config — so the two cannot drift apart.
 */

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Configuration reference'));
const rows = section
  .split('\n')
  .slice(section.split('\n').findIndex((l) => l.startsWith('| key')) + 2)
  .filter((_, i, all) => all.slice(0, i + 1).every((l) => l.startsWith('|')))
  .map((line) =>
    line
      .slice(1, -1)
      .split('|')
      .map((c) => c.trim()),
  );

/** The minimal valid config: every other value comes from the schema's defaults. */
const MINIMAL = { node: { id: 'n' }, scenario: 's.yaml', simulator: { enabled: true } };
const filled = benchConfigSchema.parse(MINIMAL) as unknown as Record<string, unknown>;
const withoutSimulator = benchConfigSchema.parse({
  node: { id: 'n' },
  devices: { radars: [{ id: 'r', link: 'memory:r', position: { eastM: 0, northM: 0, upM: 0 } }] },
}) as unknown as Record<string, unknown>;

/**
 * A README key as the parsed config holds it: a duration written in seconds (`links.ackTimeoutS`)
 * is held in its internal unit under its internal name (`links.ackTimeoutMs`).
 */
function internalKey(path: string): { path: string; digits: number } {
  const dot = path.lastIndexOf('.');
  const [parent, name] = [path.slice(0, dot), path.slice(dot + 1)];
  for (const site of BENCH_CONFIG_UNIT_SITES) {
    const unit = site.at.replace(/\[\]/g, '') === parent ? site.fields[name] : undefined;
    if (unit !== undefined) return { path: `${parent}.${unit[0]}`, digits: unit[1] };
  }
  return { path, digits: 0 };
}

function at(config: Record<string, unknown>, path: string): unknown {
  return path
    .replace(/\[\]$/, '')
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], config);
}

/** A README default cell as a value: numbers, `backticked` strings, false/true, []. */
function parseCell(cell: string): unknown {
  // A trailing parenthesis explains the value: `0.1 (3.3 ms at 50 m, 1500 m/s)`.
  const text = cell
    .replace(/`/g, '')
    .replace(/\s*\(.*\)$/, '')
    .trim();
  if (text === '[]') return [];
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

t.test('the README table lists keys', async (t) => {
  t.ok(rows.length >= 15, `${rows.length} rows`);
});

for (const [keyCell, , defaultCell] of rows) {
  const keys = [...keyCell!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  t.test(`README default of ${keys.join(', ')}: ${defaultCell}`, async (t) => {
    if (/^required/.test(defaultCell!)) {
      const without = structuredClone(MINIMAL) as Record<string, unknown>;
      if (keys[0] === 'node.id') without['node'] = {};
      else delete without[keys[0]!];
      t.notOk(benchConfigSchema.safeParse(without).success, `${keys[0]} is required`);
      return;
    }
    // `none: …` and `per link: …` (chosen by the code from the link, not by the schema).
    if (/^(none|per link)/.test(defaultCell!)) {
      for (const key of keys) t.equal(at(filled, internalKey(key).path), undefined, `${key} has no default`);
      return;
    }
    if (keys[0] === 'broker') {
      const embedded = (filled['broker'] as { embedded: { host: string; port: number; wsPort: number } }).embedded;
      t.equal(
        `embedded on ${embedded.host}:${embedded.port}, WebSocket ${embedded.wsPort}`,
        defaultCell,
        'broker default',
      );
      return;
    }
    const stated = keys.length === 1 ? [defaultCell!] : defaultCell!.split(',').map((c) => c.trim());
    t.equal(stated.length, keys.length, 'one default per key');
    keys.forEach((key, i) => {
      const config = key.startsWith('simulator.') ? withoutSimulator : filled;
      const internal = internalKey(key);
      const value = parseCell(stated[i]!);
      const expected = internal.digits > 0 && typeof value === 'number' ? fromSeconds(value, internal.digits) : value;
      t.same(at(config, internal.path), expected, `${key} = ${stated[i]}`);
    });
  });
}

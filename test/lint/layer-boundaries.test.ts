import { readdirSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import t from 'tap';

/**
 * The layer map holds: for every layer of eslint-layers.js, a probe file in that layer imports
 * every other layer, and eslint (the repository's own config, as `npm run lint` runs it) must
 * reject exactly the imports the map does not allow — each boundary proved by a probe import that
 * fails. Also: every folder of src/ is a layer, and the package ownership rules (serialport, mqtt)
 * and the one-clock rule fire.
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url));

interface Layer {
  readonly layer: string;
  readonly may: readonly string[];
}
const map = (await import(pathToFileURL(`${REPO}eslint-layers.js`).href)) as {
  LAYERS: readonly Layer[];
  layerOf(path: string): string | undefined;
};
const eslint = new ESLint({ cwd: REPO });
const RULE = 'layers/import-only-downward';

async function lintProbe(layer: string, source: string): Promise<ESLint.LintResult> {
  const [result] = await eslint.lintText(source, { filePath: `${REPO}${layer}/__layer_probe__.ts` });
  return result!;
}

function specifier(fromLayer: string, toLayer: string): string {
  const rel = posix.relative(fromLayer, `${toLayer}/probe-target.js`);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

t.test('every folder of src/ is a layer of the map', async (t) => {
  const names = map.LAYERS.map((l) => l.layer);
  for (const entry of readdirSync(`${REPO}src`, { withFileTypes: true })) {
    if (entry.isDirectory()) t.ok(names.includes(`src/${entry.name}`), `src/${entry.name} is in the layer map`);
  }
  t.ok(names.includes('firmware-sim'), 'firmware-sim is in the layer map');
});

t.test('the map is ordered: a layer may import only earlier layers', async (t) => {
  const names = map.LAYERS.map((l) => l.layer);
  map.LAYERS.forEach((l, i) => {
    for (const m of l.may) t.ok(names.indexOf(m) >= 0 && names.indexOf(m) < i, `${l.layer} -> ${m} points down`);
  });
});

t.test('firmware-sim may use only what docs/architecture.md allows', async (t) => {
  const sim = map.LAYERS.find((l) => l.layer === 'firmware-sim')!;
  t.same([...sim.may].sort(), [
    'src/asterix',
    'src/common',
    'src/config',
    'src/framing',
    'src/geo',
    'src/nmea',
    'src/protocol',
    'src/time',
    'src/transport',
    'src/truth',
  ]);
});

for (const from of map.LAYERS) {
  t.test(`probe imports from ${from.layer}`, async (t) => {
    const targets = map.LAYERS.filter((l) => l.layer !== from.layer).map((l) => l.layer);
    // One import per line; line n+1 imports targets[n].
    const source = targets.map((to) => `import '${specifier(from.layer, to)}';`).join('\n') + '\n';
    const result = await lintProbe(from.layer, source);
    const flagged = new Set(result.messages.filter((m) => m.ruleId === RULE).map((m) => m.line));
    t.same(
      result.messages.filter((m) => m.ruleId !== RULE && m.ruleId !== null),
      [],
      'no other rule fires on the probe',
    );
    targets.forEach((to, i) => {
      const allowed = from.may.includes(to);
      t.equal(flagged.has(i + 1), !allowed, `${from.layer} -> ${to}: ${allowed ? 'allowed' : 'rejected'}`);
    });
    // Outside every layer (tests, docs): always rejected from a layer.
    const outside = await lintProbe(from.layer, `import '${specifier(from.layer, 'test/support')}';\n`);
    t.ok(
      outside.messages.some((m) => m.ruleId === RULE),
      `${from.layer} -> test/: rejected`,
    );
  });
}

t.test('a nested layer is not its parent', async (t) => {
  t.equal(map.layerOf('src/control/realtime/tick-loop.ts'), 'src/control/realtime');
  t.equal(map.layerOf('src/control/step.ts'), 'src/control');
  t.equal(map.layerOf('src/controlx/a.ts'), undefined);
});

t.test('only src/transport imports serialport; only the bridge, display, CLI and benchmarks import mqtt', async (t) => {
  for (const { layer } of map.LAYERS) {
    const result = await lintProbe(layer, "import 'serialport';\nimport 'mqtt';\n");
    const lines = new Set(result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.line));
    t.equal(lines.has(1), layer !== 'src/transport', `${layer} serialport`);
    t.equal(lines.has(2), !['src/bridge', 'src/display', 'src/cli', 'bench'].includes(layer), `${layer} mqtt`);
  }
});

t.test('one clock: no wall time or global timers outside src/time', async (t) => {
  const source = 'export const a = Date.now();\nexport const b = Math.random();\nsetTimeout(() => {}, 1);\n';
  for (const layer of ['src/devices', 'src/control', 'firmware-sim', 'src/session']) {
    const result = await lintProbe(layer, source);
    const lines = new Set(
      result.messages
        .filter((m) => m.ruleId === 'no-restricted-properties' || m.ruleId === 'no-restricted-globals')
        .map((m) => m.line),
    );
    t.same([...lines].sort(), [1, 2, 3], `${layer}: all three rejected`);
  }
  const inTime = await lintProbe('src/time', source);
  t.same(
    inTime.messages.filter((m) => m.ruleId?.startsWith('no-restricted')),
    [],
    'src/time may',
  );
});

t.test('the picture-quality metrics are pure: src/metrics imports only the neutral helpers', async (t) => {
  t.same(map.LAYERS.find((l) => l.layer === 'src/metrics')?.may, ['src/common']);
});

t.test('engagement coordination is pure: no transport, broker, clock or session', async (t) => {
  t.same(map.LAYERS.find((l) => l.layer === 'src/coordination')?.may, ['src/common', 'src/sharing', 'src/control']);
});

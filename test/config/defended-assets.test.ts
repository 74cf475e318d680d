import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { benchConfigSchema } from '../../src/config/bench-config-schema.js';
import { uncoveredAssetWarnings } from '../../src/config/defended-asset-warnings.js';
import { defendedAssetsSchema, doctrineSchema } from '../../src/config/defended-asset-schema.js';
import { makeControlConfig } from '../../src/control/index.js';
import { controlConfigFor } from '../../src/compose/control-config-for.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { runCli } from '../cli/frames-io.js';

const launcher = { id: 'l1', position: { eastM: 0, northM: 0 }, envelope: { minRangeM: 2000, maxRangeM: 40_000 } };

t.test('an asset is a circle or a polygon, never both or neither', async (t) => {
  const ok = defendedAssetsSchema.safeParse([
    { id: 'a', center: { eastM: 0, northM: 0 }, radiusM: 100, value: 3 },
    {
      id: 'b',
      polygon: [
        { eastM: 0, northM: 0 },
        { eastM: 1, northM: 0 },
        { eastM: 0, northM: 1 },
      ],
    },
  ]);
  t.ok(ok.success);
  const both = defendedAssetsSchema.safeParse([
    { id: 'a', center: { eastM: 0, northM: 0 }, radiusM: 100, polygon: [{ eastM: 0, northM: 0 }] },
  ]);
  t.notOk(both.success);
  const neither = defendedAssetsSchema.safeParse([{ id: 'a' }]);
  t.notOk(neither.success);
  t.match(JSON.stringify(neither.error?.issues), 'expected center + radiusM (a circle) or polygon');
  const half = defendedAssetsSchema.safeParse([{ id: 'a', center: { eastM: 0, northM: 0 } }]);
  t.match(JSON.stringify(half.error?.issues), 'a circle needs both center and radiusM');
  const dup = defendedAssetsSchema.safeParse([
    { id: 'a', center: { eastM: 0, northM: 0 }, radiusM: 1 },
    { id: 'a', center: { eastM: 0, northM: 0 }, radiusM: 1 },
  ]);
  t.match(JSON.stringify(dup.error?.issues), "duplicate asset id 'a'");
  const band = defendedAssetsSchema.safeParse([
    { id: 'a', center: { eastM: 0, northM: 0 }, radiusM: 1, altitudeBandM: { minM: 10, maxM: 5 } },
  ]);
  t.match(JSON.stringify(band.error?.issues), 'expected minM <= maxM');
});

t.test('an asset outside every launcher envelope is a warning naming it', async (t) => {
  const assets = defendedAssetsSchema.parse([
    { id: 'near', center: { eastM: 10_000, northM: 0 }, radiusM: 100 },
    { id: 'far', center: { eastM: 90_000, northM: 0 }, radiusM: 100 },
    { id: 'inside-min', center: { eastM: 100, northM: 0 }, radiusM: 100 },
    { id: 'edge', center: { eastM: 40_500, northM: 0 }, radiusM: 600 },
  ]);
  const warnings = uncoveredAssetWarnings(assets, [launcher], 'defendedAssets');
  t.same(
    warnings.map((w) => w.path),
    ['defendedAssets[1]', 'defendedAssets[2]'],
  );
  t.match(warnings[0]!.message, "asset 'far' lies outside every launcher envelope (l1)");
  t.match(uncoveredAssetWarnings(assets.slice(0, 1), [], 'x')[0]!.message, 'none configured');
});

t.test('a launcher envelope beyond speed × maximum flight time is an error naming both fields', async (t) => {
  const config = {
    node: { id: 'n' },
    devices: {
      launchers: [
        {
          id: 'l1',
          link: 'memory:l1',
          model: {
            position: { eastM: 0, northM: 0, upM: 0 },
            flyout: { launchDelayS: 0.25, speedMps: 1000 },
            envelope: { minRangeM: 2000, maxRangeM: 40_000, maxAltitudeM: 20_000 },
            slewRateDegPerS: 90,
            maxFlightTimeS: 30,
          },
        },
      ],
    },
  };
  const result = benchConfigSchema.safeParse(config);
  t.notOk(result.success);
  const issue = result.error!.issues.find((i) => i.path.join('.') === 'devices.launchers.0.model.envelope.maxRangeM');
  t.ok(issue, 'the envelope field is the path');
  t.match(issue!.message, 'flyout.speedMps × maxFlightTimeS = 1000 × 30 = 30000 m');
  t.match(issue!.message, 'envelope.maxRangeM 40000 m');
  config.devices.launchers[0]!.model.maxFlightTimeS = 40;
  t.ok(benchConfigSchema.safeParse(config).success, '40 km reachable in 40 s at 1000 m/s');
});

t.test('config assets and doctrine reach the control core; none keeps the old config', async (t) => {
  const loaded = await loadBenchConfig('hil-configs/bench-example.yaml');
  const host = loaded.config.devices.launchers.map((l) => ({ id: l.id, model: l.model, rounds: 4 }));
  const core = controlConfigFor(loaded.config, ['radar-1'], host, undefined, {
    defendedAssets: [{ id: 'depot', center: { eastM: 5, northM: 6 }, radiusM: 50 }],
    doctrine: { reserveRounds: 2 },
    assignmentOverride: 'earliest-impact',
  });
  t.same(
    core.defendedAssets.map((a) => [a.id, a.value, a.area.kind, a.keepOut.length, a.maxAltitudeM]),
    [
      ['command-post', 10, 'circle', 1, 1000],
      ['airfield', 4, 'polygon', 0, 3000],
      ['depot', 1, 'circle', 0, 1000],
    ],
  );
  t.equal(core.doctrine.reserveRounds, 2);
  t.equal(core.doctrine.assignment, 'earliest-impact');
  const plain = controlConfigFor({ ...loaded.config, defendedAssets: undefined }, ['radar-1'], host);
  t.same(plain.defendedAssets, []);
  t.equal(plain.doctrine.assignment, 'expected-value');
});

t.test(
  'doctrine.firing: shoot-look-shoot by default, salvo from config, scenario or override; a typo is named',
  async (t) => {
    const loaded = await loadBenchConfig('hil-configs/bench-example.yaml');
    const host = loaded.config.devices.launchers.map((l) => ({ id: l.id, model: l.model, rounds: 4 }));
    // Absent means shoot-look-shoot, and keeps the recorded config of existing benches unchanged.
    t.equal(controlConfigFor(loaded.config, ['radar-1'], host).doctrine.firing, undefined, 'default');
    const fromScenario = controlConfigFor(loaded.config, ['radar-1'], host, undefined, {
      doctrine: { firing: 'salvo' },
    });
    t.equal(fromScenario.doctrine.firing, 'salvo', 'the scenario sets it');
    const overridden = controlConfigFor(loaded.config, ['radar-1'], host, undefined, {
      doctrine: { firing: 'salvo', reserveRounds: 1 },
      firingOverride: 'shoot-look-shoot',
    });
    t.equal(overridden.doctrine.firing, 'shoot-look-shoot', 'run --doctrine overrides it');
    t.equal(overridden.doctrine.reserveRounds, 1, 'the other fields stay');
    const bad = doctrineSchema.safeParse({ firing: 'salvos' });
    t.notOk(bad.success);
    t.same(bad.error!.issues[0]!.path, ['firing']);
    t.match(bad.error!.issues[0]!.message, 'expected one of shoot-look-shoot, salvo');
    t.throws(
      () => makeControlConfig({ ...fromScenario, doctrine: { ...fromScenario.doctrine, firing: 'ripple' as 'salvo' } }),
      /doctrine\.firing.*shoot-look-shoot or salvo/,
      'the core refuses an unknown firing doctrine',
    );
  },
);

t.test('config check prints the uncovered-asset warning and still exits 0', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-assets-'));
  const text = (await readFile('hil-configs/bench-example.yaml', 'utf8')).replace(
    'center: { eastM: 0, northM: 3000 }',
    'center: { eastM: 0, northM: 300000 }',
  );
  const file = join(dir, 'bench.yaml');
  await writeFile(file, text);
  const check = await runCli(['config', 'check', file]);
  t.equal(check.code, 0, check.stdout + check.stderr);
  t.match(check.stdout, "warning: defendedAssets[0]: asset 'command-post' lies outside every launcher envelope");
  const json = JSON.parse((await runCli(['config', 'check', file, '--json'])).stdout) as { warnings: unknown[] };
  t.equal(json.warnings.length, 1);
});

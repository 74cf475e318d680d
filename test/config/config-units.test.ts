import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import t from 'tap';
import { decimalShift, fromSeconds, toSecondsExactly } from '../../src/common/config-units.js';
import { canonicalJson } from '../../src/common/canonical-json.js';
import { benchConfigSchema } from '../../src/config/bench-config-schema.js';
import { BENCH_CONFIG_UNIT_SITES, SCENARIO_UNIT_SITES } from '../../src/config/config-unit-fields.js';
import { ConfigError } from '../../src/config/config-error.js';
import { deprecatedNameIssues, renameDeprecatedUnitNames } from '../../src/config/deprecated-unit-names.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { loadScenarioWarning } from '../../src/config/load-scenario.js';
import { parseConfigText } from '../../src/config/parse-config-file.js';
import { scenarioSchema } from '../../src/config/scenario-schema.js';

/**
 * Every duration a user writes is in seconds; the names durations had before (`ackTimeoutMs`,
 * `offsetUs`, …) stay accepted as deprecated aliases. These tests hold the promise that nothing
 * is lost: an old name maps to exactly the internal value it always did, and every shipped
 * config loads to the internal config the loader before the change produced.
 */

type Path = readonly (string | number)[];
const get = (data: unknown, path: Path): unknown =>
  path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], data);
function set(data: unknown, path: Path, value: unknown): void {
  const parent = get(data, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1]!] = value;
}
const without = (data: unknown, path: Path): void => {
  delete (get(data, path.slice(0, -1)) as Record<string | number, unknown>)[path[path.length - 1]!];
};

const enu = (eastM: number, northM: number, upM: number) => ({ eastM, northM, upM });

/** A bench config holding every object with a duration field (old names, as before). */
const BENCH = {
  node: { id: 'n' },
  devices: {
    launchers: [
      {
        id: 'l1',
        link: 'tcp://10.0.0.5:4001',
        model: {
          position: enu(0, 0, 0),
          flyout: { launchDelayMs: 250, speedMps: 1500 },
          envelope: { minRangeM: 1000, maxRangeM: 40000, maxAltitudeM: 20000 },
          slewRateDegPerS: 90,
        },
      },
    ],
    asterixRadars: [
      {
        id: 'a1',
        protocol: 'asterix-cat048',
        link: 'udp://0.0.0.0:8600',
        site: { latDeg: 48, lonDeg: 11, heightM: 500 },
        accuracy: { rangeSigmaM: 30, azimuthSigmaDeg: 0.1, velocitySigmaMps: 5 },
        staleAfterMs: 10000,
      },
    ],
    nmeaRadars: [
      {
        id: 'm1',
        protocol: 'nmea-ttm',
        link: 'tcp://10.0.0.6:4001',
        position: enu(0, 0, 0),
        accuracy: { rangeSigmaM: 30, bearingSigmaDeg: 0.5, velocitySigmaMps: 1 },
        staleAfterMs: 10000,
      },
    ],
  },
  control: { commandLeadMs: 50, syncBoundUs: 200, trackStaleMs: 3000 },
  links: { supervisionMs: 150, ackTimeoutMs: 30, timeSyncPeriodMs: 100, maxDelayAsymmetryUs: 150 },
  output: { cat062: { link: 'udp://239.0.0.1:8600', sac: 1, sic: 2, periodMs: 1000 } },
  sharing: { staleAfterMs: 3000, futureToleranceMs: 2000, maxAgeMs: 30000, partners: [] },
};

/** A scenario holding every object with a duration field (old names, as before). */
const SCENARIO = {
  seed: 1,
  durationS: 60,
  truthSampleMs: 100,
  radars: [
    {
      id: 'r1',
      position: enu(0, 0, 10),
      scanPeriodMs: 500,
      maxRangeM: 100000,
      rangeSigmaM: 5,
      angleSigmaDeg: 0.05,
      detectionProbability: 0.9,
      clock: { offsetUs: 1_500_000, driftPpm: 20 },
      faults: [
        { kind: 'latency', latencyMs: 2, jitterMs: 1 },
        { kind: 'slow', delayMs: 30, jitterMs: 5 },
      ],
    },
  ],
  launchers: [
    {
      id: 'l1',
      position: enu(2000, 0, 0),
      rounds: 4,
      slewRateDegPerS: 90,
      launchDelayMs: 250,
      speedMps: 1500,
      lethalRadiusM: 50,
      maxFlightTimeS: 40,
      armingMs: 500,
      clock: { offsetUs: 2_500_000, driftPpm: 50 },
      envelope: { minRangeM: 2000, maxRangeM: 40000, maxAltitudeM: 25000 },
      flyout: { launchDelayMs: 240, speedMps: 1400 },
      faults: [
        { kind: 'latency', latencyMs: 2, jitterMs: 1 },
        { kind: 'slow', delayMs: 30 },
      ],
    },
  ],
};

/** Each renamed field: where it is (old name last), its replacement, its valid range in the old unit. */
interface Field {
  readonly path: Path;
  readonly replacement: string;
  readonly digits: number;
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
}
const f = (path: Path, replacement: string, digits: number, min: number, max: number, integer = false): Field => ({
  path,
  replacement,
  digits,
  min,
  max,
  integer,
});
const BENCH_FIELDS: readonly Field[] = [
  f(['devices', 'launchers', 0, 'model', 'flyout', 'launchDelayMs'], 'launchDelayS', 3, 0, 60_000),
  f(['devices', 'asterixRadars', 0, 'staleAfterMs'], 'staleAfterS', 3, 0.001, 1e9),
  f(['devices', 'nmeaRadars', 0, 'staleAfterMs'], 'staleAfterS', 3, 0.001, 1e9),
  f(['control', 'commandLeadMs'], 'commandLeadS', 3, 1, 10_000),
  f(['control', 'syncBoundUs'], 'syncBoundS', 6, 1, 1_000_000),
  f(['control', 'trackStaleMs'], 'trackStaleS', 3, 10, 600_000),
  f(['links', 'supervisionMs'], 'supervisionS', 3, 10, 2000),
  f(['links', 'ackTimeoutMs'], 'ackTimeoutS', 3, 1, 5000),
  f(['links', 'timeSyncPeriodMs'], 'timeSyncPeriodS', 3, 10, 10_000),
  f(['links', 'maxDelayAsymmetryUs'], 'maxDelayAsymmetryS', 6, 0.001, 1_000_000),
  f(['output', 'cat062', 'periodMs'], 'periodS', 3, 200, 60_000),
  f(['sharing', 'staleAfterMs'], 'staleAfterS', 3, 100, 600_000, true),
  f(['sharing', 'futureToleranceMs'], 'futureToleranceS', 3, 0, 60_000, true),
  f(['sharing', 'maxAgeMs'], 'maxAgeS', 3, 100, 600_000, true),
];
const SCENARIO_FIELDS: readonly Field[] = [
  f(['truthSampleMs'], 'truthSampleS', 3, 1, 60_000),
  f(['radars', 0, 'scanPeriodMs'], 'scanPeriodS', 3, 10, 60_000),
  f(['radars', 0, 'clock', 'offsetUs'], 'offsetS', 6, 0, 1e15),
  f(['radars', 0, 'faults', 0, 'latencyMs'], 'latencyS', 3, 0, 1e9),
  f(['radars', 0, 'faults', 0, 'jitterMs'], 'jitterS', 3, 0, 1e9),
  f(['radars', 0, 'faults', 1, 'delayMs'], 'delayS', 3, 0, 1e9),
  f(['radars', 0, 'faults', 1, 'jitterMs'], 'jitterS', 3, 0, 1e9),
  f(['launchers', 0, 'launchDelayMs'], 'launchDelayS', 3, 0, 60_000),
  f(['launchers', 0, 'armingMs'], 'armingS', 3, 0, 600_000),
  f(['launchers', 0, 'clock', 'offsetUs'], 'offsetS', 6, 0, 1e15),
  f(['launchers', 0, 'flyout', 'launchDelayMs'], 'launchDelayS', 3, 0, 60_000),
  f(['launchers', 0, 'faults', 0, 'latencyMs'], 'latencyS', 3, 0, 1e9),
  f(['launchers', 0, 'faults', 0, 'jitterMs'], 'jitterS', 3, 0, 1e9),
  f(['launchers', 0, 'faults', 1, 'delayMs'], 'delayS', 3, 0, 1e9),
];

const parseBench = (data: unknown) => parseConfigText('bench.json', JSON.stringify(data), benchConfigSchema);
const parseScenarioData = (data: unknown) => parseConfigText('scenario.json', JSON.stringify(data), scenarioSchema);

t.test('decimal shifts are exact where multiplication is not', async (t) => {
  t.equal(fromSeconds(1.001, 3), 1001, '1.001 s is 1001 ms');
  t.not(1.001 * 1000, 1001, 'the float product would have been wrong (1000.9999999999999)');
  t.equal(fromSeconds(0.0002, 6), 200);
  t.equal(fromSeconds(0.03, 3), 30);
  t.equal(fromSeconds(0.00015, 6), 150);
  t.equal(fromSeconds(1e9, 6), 1e15);
  t.equal(decimalShift(1.5e-7, 6), 0.15);
  t.equal(decimalShift(-0.25, 3), -250);
  t.equal(decimalShift(0, 3), 0);
});

t.test('every integer up to 10^15 in the old unit (every schema range) survives seconds unchanged', async (t) => {
  for (const digits of [3, 6]) {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e15 }), (n) => {
        const seconds = toSecondsExactly(n, digits);
        return seconds !== undefined && fromSeconds(seconds, digits) === n;
      }),
      { numRuns: 3000 },
    );
    t.pass(`exact for 10^-${digits} s`);
  }
});

t.test('so does every value of at most 15 significant digits', async (t) => {
  const decimal = fc
    .tuple(fc.integer({ min: -(1e15 - 1), max: 1e15 - 1 }), fc.integer({ min: -20, max: 20 }))
    .map(([mantissa, exponent]) => Number(`${mantissa}e${exponent}`));
  for (const digits of [3, 6]) {
    fc.assert(
      fc.property(decimal, (v) => {
        const seconds = toSecondsExactly(v, digits);
        return seconds !== undefined && Object.is(fromSeconds(seconds, digits), v);
      }),
      { numRuns: 3000 },
    );
    t.pass(`exact for 10^-${digits} s`);
  }
});

t.test('any other double is kept exactly or refused, never changed', async (t) => {
  // Beyond 15 digits seconds may be too coarse: 8977413585148147 ms is 285 000 years, and the
  // doubles near 8977413585148.147 s are 1.95 ms apart.
  t.equal(toSecondsExactly(8977413585148147, 3), undefined);
  for (const digits of [3, 6]) {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        const seconds = toSecondsExactly(v, digits);
        return seconds === undefined || fromSeconds(seconds, digits) === v;
      }),
      { numRuns: 5000 },
    );
  }
  const refused = renameDeprecatedUnitNames({ links: { ackTimeoutMs: 8977413585148147 } }, BENCH_CONFIG_UNIT_SITES);
  t.same(refused.issues, [
    {
      path: ['links', 'ackTimeoutMs'],
      message: '8977413585148147 ms has no exact value in seconds: write ackTimeoutS instead',
    },
  ]);
});

t.test('the field tables cover every renamed field of the schemas', async (t) => {
  const names = (sites: typeof BENCH_CONFIG_UNIT_SITES) =>
    new Set(sites.flatMap((s) => Object.values(s.fields).map(([old]) => `${s.at}.${old}`)));
  const covered = (fields: readonly Field[]) =>
    new Set(
      fields.map((x) => {
        const at = x.path
          .slice(0, -1)
          .map((p, i, all) => (typeof p === 'number' ? null : typeof all[i + 1] === 'number' ? `${p}[]` : p))
          .filter((p) => p !== null)
          .join('.');
        return `${at}.${String(x.path[x.path.length - 1])}`;
      }),
    );
  t.same([...names(BENCH_CONFIG_UNIT_SITES)].sort(), [...covered(BENCH_FIELDS)].sort());
  // A joint scenario's node devices and network are checked by the next test.
  const singleNode = SCENARIO_UNIT_SITES.filter((s) => !s.at.startsWith('nodes[]') && s.at !== 'network');
  t.same([...names(singleNode)].sort(), [...covered(SCENARIO_FIELDS)].sort());
});

t.test('a joint scenario: old names under nodes[] and network load to what their replacements give', async (t) => {
  const joint = (old: boolean): unknown => {
    const { radars, launchers, ...world } = SCENARIO;
    const node = (id: string, partner: string) => ({
      id,
      site: { latDeg: 48, lonDeg: id === 'a' ? 11 : 11.2, heightM: 400 },
      radars: radars.map((r) => ({ ...r, id: `${id}-${r.id}` })),
      launchers: launchers.map((l) => ({ ...l, id: `${id}-${l.id}` })),
      release: {
        [partner]: {
          identities: ['hostile'],
          geofence: { circle: { center: { latDeg: 48, lonDeg: 11.1 }, radiusM: 100_000 } },
          positionQuantumM: 10,
          velocityQuantumMps: 1,
          maxRateHz: 2,
          fields: ['velocity'],
        },
      },
    });
    const data = {
      ...world,
      site: { latDeg: 48, lonDeg: 11.1, heightM: 400 },
      network: { latencyMs: 150, jitterMs: 20 },
      nodes: [node('a', 'b'), node('b', 'a')],
    };
    if (old) return data;
    const renamed = renameDeprecatedUnitNames(data, SCENARIO_UNIT_SITES);
    t.same(renamed.issues, [], 'every old name has an exact replacement');
    return renamed.data;
  };
  const before = parseScenarioData(joint(true));
  const after = parseScenarioData(joint(false));
  t.same(after, before, 'the same internal scenario');
  t.equal(after.network?.latencyMs, 150);
  t.equal(after.nodes?.[1]?.radars[0]?.scanPeriodMs, 500);
  t.equal(after.nodes?.[0]?.launchers[0]?.clock.offsetUs, 2_500_000);
  t.match(JSON.stringify(joint(false)), /"latencyS":0\.15/, 'the network is renamed to seconds');
  t.notMatch(JSON.stringify(joint(false)), /Ms"|Us"/, 'no old name is left');
});

for (const [what, base, fields, parse] of [
  ['bench config', BENCH, BENCH_FIELDS, parseBench],
  ['scenario', SCENARIO, SCENARIO_FIELDS, parseScenarioData],
] as const) {
  t.test(`${what}: each old name maps to the internal value it always had, and so does its replacement`, async (t) => {
    for (const field of fields) {
      const value = field.integer
        ? fc.integer({ min: field.min, max: field.max })
        : fc.oneof(
            fc.integer({ min: Math.ceil(field.min), max: Math.floor(field.max) }),
            // Any double a person writes: at most 15 significant digits (see above for the rest).
            fc
              .double({ min: field.min, max: field.max, noNaN: true })
              .map((v) => Number(v.toPrecision(15)))
              // (and not a subnormal: 5e-324 ms has no seconds value at all; it is refused)
              .filter((v) => v >= field.min && v <= field.max && (v === 0 || v > 1e-290)),
          );
      fc.assert(
        fc.property(value, (v) => {
          const old = structuredClone(base) as unknown;
          set(old, field.path, v);
          // Before the rename the internal value was the value written: it still is.
          const fromOld = parse(old);
          if (!Object.is(get(fromOld, field.path), v)) return false;
          const renamed = structuredClone(base) as unknown;
          without(renamed, field.path);
          set(renamed, [...field.path.slice(0, -1), field.replacement], toSecondsExactly(v, field.digits));
          const fromNew = parse(renamed);
          return canonicalJson(fromNew, 'finite') === canonicalJson(fromOld, 'finite');
        }),
        { numRuns: 60 },
      );
      t.pass(`${field.path.join('.')} → ${field.replacement}`);
    }
  });

  t.test(`${what}: an old name and its replacement together are refused, naming both`, async (t) => {
    for (const field of fields) {
      const both = structuredClone(base) as unknown;
      set(both, [...field.path.slice(0, -1), field.replacement], 1);
      const old = String(field.path[field.path.length - 1]);
      t.throws(() => parse(both), ConfigError, `${field.path.join('.')} with ${field.replacement}`);
      const sites = what === 'scenario' ? SCENARIO_UNIT_SITES : BENCH_CONFIG_UNIT_SITES;
      const issues = deprecatedNameIssues(sites)(both);
      t.equal(issues.length, 1);
      t.match(issues[0]!.message, `both ${old} (deprecated`);
      t.match(issues[0]!.message, `and ${field.replacement} (s) given`);
    }
  });
}

t.test('a deprecated name warns with its replacement; a non-number under it is an issue', async (t) => {
  const migrated = renameDeprecatedUnitNames(BENCH, BENCH_CONFIG_UNIT_SITES);
  t.equal(migrated.warnings.length, BENCH_FIELDS.length, 'one warning per old name');
  t.same(
    migrated.warnings.find((w) => w.path === 'links.ackTimeoutMs'),
    {
      path: 'links.ackTimeoutMs',
      message: 'deprecated name (ms): write links.ackTimeoutS: 0.03 (seconds) instead',
    },
  );
  t.equal((BENCH.links as Record<string, unknown>)['ackTimeoutMs'], 30, 'the input is not modified');
  const text = renameDeprecatedUnitNames({ links: { ackTimeoutMs: '30' } }, BENCH_CONFIG_UNIT_SITES);
  t.same(text.issues, [
    {
      path: ['links', 'ackTimeoutMs'],
      message: 'expected a number of ms (deprecated name: write ackTimeoutS in seconds)',
    },
  ]);
  const clean = { links: { ackTimeoutS: 0.03 } };
  t.equal(renameDeprecatedUnitNames(clean, BENCH_CONFIG_UNIT_SITES).data, clean, 'nothing to rename: no copy');
});

/** Every bench config and scenario shipped under hil-configs (sweeps are another format). */
function shippedFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.yaml') && !path.includes('/sweeps/')) files.push(path);
    }
  };
  walk('hil-configs');
  return files.sort();
}

t.test('every shipped file loads to the internal config the loader produced before the rename', async (t) => {
  // Generated with the loader of the main branch (before durations were in seconds) over the
  // files as they were then: `hil-configs-internal.main.json`, file → canonical internal config.
  // A file added or changed since is entered with the loader of its day (`UPDATE_FIXTURE=1 npx
  // tap test/config/config-units.test.ts` rewrites the entries of files that load without
  // warnings), so the fixture also pins what each shipped file means.
  const before = JSON.parse(readFileSync('test/config/hil-configs-internal.main.json', 'utf8')) as Record<
    string,
    unknown
  >;
  const files = shippedFiles();
  if (process.env.UPDATE_FIXTURE === '1') {
    for (const file of files) {
      const scenario = file.includes('/scenarios/');
      const loaded = scenario ? await loadScenarioWarning(file) : await loadBenchConfig(file);
      if ((loaded.warnings ?? []).length > 0) continue;
      before[relative('hil-configs', file)] = JSON.parse(
        canonicalJson('value' in loaded ? loaded.value : loaded.config, 'finite'),
      );
    }
    const sorted = Object.fromEntries(Object.entries(before).sort(([a], [b]) => a.localeCompare(b)));
    writeFileSync('test/config/hil-configs-internal.main.json', `${JSON.stringify(sorted, null, 2)}\n`);
  }
  t.same(
    files.map((p) => relative('hil-configs', p)),
    Object.keys(before).sort(),
    'the same files',
  );
  for (const file of files) {
    const key = relative('hil-configs', file);
    const scenario = file.includes('/scenarios/');
    const loaded = scenario ? await loadScenarioWarning(file) : await loadBenchConfig(file);
    const config = 'value' in loaded ? loaded.value : loaded.config;
    t.same(JSON.parse(canonicalJson(config, 'finite')), before[key], `${key}: identical internal config`);
    t.same(loaded.warnings ?? [], [], `${key}: no deprecated names left`);
  }
});

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { ConfigError } from '../../src/config/config-error.js';
import { loadScenario, parseScenario } from '../../src/config/load-scenario.js';
import { launcherModelOf } from '../../src/config/scenario-schema.js';

const DIR = join(import.meta.dirname, '../../hil-configs/scenarios');

const minimal = `
seed: 1
durationS: 60
targets:
  - { id: t1, kind: ballistic, startS: 1, iff: hostile,
      position: { eastM: 50000, northM: 0, upM: 10000 }, velocity: { eastMps: -500, northMps: 0, upMps: 100 } }
radars:
  - { id: radar-1, position: { eastM: 0, northM: 0, upM: 0 }, scanPeriodMs: 500, maxRangeM: 100000,
      rangeSigmaM: 5, angleSigmaDeg: 0.05, detectionProbability: 0.9 }
launchers:
  - id: launcher-1
    position: { eastM: 0, northM: 0, upM: 0 }
    rounds: 4
    slewRateDegPerS: 60
    launchDelayMs: 200
    speedMps: 1200
    lethalRadiusM: 20
    maxFlightTimeS: 30
    envelope: { minRangeM: 1000, maxRangeM: 30000, maxAltitudeM: 20000 }
  - id: launcher-2
    position: { eastM: 0, northM: 100, upM: 0 }
    rounds: 4
    slewRateDegPerS: 60
    launchDelayMs: 200
    speedMps: 1200
    lethalRadiusM: 20
    maxFlightTimeS: 30
    envelope: { minRangeM: 1000, maxRangeM: 30000, maxAltitudeM: 20000 }
    flyout: { launchDelayMs: 250, speedMps: 1100 }
operatorCommands:
  - { atS: 5, command: set-weapons-status, value: free, operators: [op-a, op-b] }
  - { atS: 5, command: arm, launcher: launcher-1, operators: [op-a, op-b] }
`;

function issuesOf(text: string): string[] {
  try {
    parseScenario('s.yaml', text);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

t.test('every scenario in hil-configs/scenarios is valid', async (t) => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
  for (const required of ['single-ballistic.yaml', 'raid-50.yaml', 'friendly-in-the-mix.yaml', 'link-faults.yaml']) {
    t.ok(files.includes(required), required);
  }
  for (const file of files) {
    const scenario = await loadScenario(join(DIR, file));
    t.ok(scenario.durationS > 0, file);
  }
  const raid = await loadScenario(join(DIR, 'raid-50.yaml'));
  t.equal(raid.targets.filter((x) => x.iff === 'hostile').length, 50, 'raid-50 has 50 hostiles');
  t.ok(raid.targets.some((x) => x.iff === 'friendly') && raid.targets.some((x) => x.iff === 'unknown'));
  t.ok(raid.launchers.length >= 2);
});

t.test('defaults are filled in, including the host flyout model', async (t) => {
  const s = parseScenario('s.yaml', minimal);
  t.equal(s.truthSampleMs, 100);
  t.same(s.radars[0]!.clock, { offsetUs: 0, driftPpm: 0 });
  t.equal(s.radars[0]!.baud, 921_600);
  t.equal(s.radars[0]!.initialMode, 'search');
  t.same(s.launchers[0]!.flyout, { launchDelayMs: 200, speedMps: 1200 }, 'flyout defaults to the truth');
  t.same(s.launchers[1]!.flyout, { launchDelayMs: 250, speedMps: 1100 }, 'an explicit flyout is kept');
  t.same(launcherModelOf(s.launchers[0]!), {
    position: { eastM: 0, northM: 0, upM: 0 },
    flyout: { launchDelayMs: 200, speedMps: 1200 },
    envelope: { minRangeM: 1000, maxRangeM: 30000, maxAltitudeM: 20000 },
    slewRateDegPerS: 60,
    lethalRadiusM: 20,
  });
  t.equal(s.targets[0]!.detectability, 1);
});

t.test('errors name the path and the reason', async (t) => {
  const bad = minimal
    .replace(
      'speedMps: 1200\n    lethalRadiusM: 20\n    maxFlightTimeS: 30\n    envelope: { minRangeM: 1000, maxRangeM: 30000, maxAltitudeM: 20000 }\n    flyout',
      'speedMps: -3\n    lethalRadiusM: 20\n    maxFlightTimeS: 30\n    envelope: { minRangeM: 1000, maxRangeM: 30000, maxAltitudeM: 20000 }\n    flyout',
    )
    .replace('detectionProbability: 0.9', 'detectionProbability: 1.5');
  const issues = issuesOf(bad);
  t.ok(issues.includes('launchers[1].speedMps: expected a positive number'), issues.join('\n'));
  t.ok(issues.includes('radars[0].detectionProbability: expected a probability in [0, 1]'), issues.join('\n'));
});

t.test('semantic checks: ids, references, windows, envelope, ground', async (t) => {
  const dupe = minimal.replace('id: launcher-2', 'id: radar-1');
  t.match(issuesOf(dupe), [/^launchers\[1\]\.id: duplicate id 'radar-1'/]);
  const unknownRef = minimal.replace('launcher: launcher-1', 'launcher: launcher-9');
  t.same(issuesOf(unknownRef), ["operatorCommands[1].launcher: unknown launcher 'launcher-9'"]);
  const envelope = minimal.replace('minRangeM: 1000, maxRangeM: 30000', 'minRangeM: 40000, maxRangeM: 30000');
  t.ok(issuesOf(envelope).includes('launchers[0].envelope.minRangeM: expected minRangeM < maxRangeM'));
  const late = minimal.replace('startS: 1,', 'startS: 61,');
  t.same(issuesOf(late), ['targets[0].startS: expected a start before durationS']);
  const underground = minimal.replace('upM: 10000 }', 'upM: -5 }');
  t.same(issuesOf(underground), ['targets[0].position.upM: expected a target above the ground']);
  const missing = minimal.replace('scanPeriodMs: 500, ', '');
  t.same(issuesOf(missing), ['radars[0].scanPeriodS: required: a number in [0.01, 60] s']);
});

t.test('faults and operator commands are validated by kind', async (t) => {
  const withFaults = (faults: string) =>
    minimal.replace('detectionProbability: 0.9 }', `detectionProbability: 0.9, faults: ${faults} }`);
  t.same(issuesOf(withFaults('[{ kind: drop, rate: 0.01 }, { kind: disconnect, atS: 5, forS: 2 }]')), []);
  const s = parseScenario('s', withFaults('[{ kind: latency, latencyMs: 3, jitterMs: 1, direction: to-host }]'));
  t.same(s.radars[0]!.faults, [{ kind: 'latency', latencyMs: 3, jitterMs: 1, direction: 'to-host' }]);
  t.match(issuesOf(withFaults('[{ kind: drop, rate: 2 }]')), [
    'radars[0].faults[0].rate: expected a probability in [0, 1]',
  ]);
  t.match(issuesOf(withFaults('[{ kind: silence, atS: 5 }]')), [
    'radars[0].faults[0].forS: required: a positive number',
  ]);
  t.match(issuesOf(withFaults('[{ kind: melt }]')), [/^radars\[0\]\.faults\[0\]\.kind: expected kind drop, bit-flip/]);
  t.match(issuesOf(withFaults('[{ kind: drop, rate: 0.1, atS: 100 }]')), [
    'radars[0].faults[0].atS: expected a time before durationS',
  ]);
  t.match(issuesOf(withFaults('[{ kind: drop, rate: 0.1, sped: 3 }]')), [
    /^radars\[0\]\.faults\[0\]: Unrecognized key/,
  ]);
  const badCommand = minimal.replace('value: free', 'value: loose');
  t.same(issuesOf(badCommand), ['operatorCommands[0].value: expected hold, tight or free']);
  const noOperators = minimal.replace(
    'operators: [op-a, op-b] }\n  - { atS: 5, command: arm',
    'operators: [] }\n  - { atS: 5, command: arm',
  );
  t.same(issuesOf(noOperators), ['operatorCommands[0].operators: expected at least one operator']);
});

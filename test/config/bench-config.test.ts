import { createHash } from 'node:crypto';
import t from 'tap';
import { benchConfigSchema } from '../../src/config/bench-config-schema.js';
import { ConfigError } from '../../src/config/config-error.js';
import { hashCanonical } from '../../src/config/load-bench-config.js';
import { parseConfigText } from '../../src/config/parse-config-file.js';
import { driverSessionConfig } from '../../src/compose/simulated-devices.js';

const hardware = `
node: { id: bench-1 }
devices:
  radars:
    - { id: radar-1, link: "serial:/dev/serial/by-id/usb-FTDI-if00?baud=921600", position: { eastM: 0, northM: 0, upM: 5 } }
  launchers:
    - id: launcher-1
      link: tcp://10.0.0.5:4001
      model:
        position: { eastM: 100, northM: 0, upM: 0 }
        flyout: { launchDelayS: 0.2, speedMps: 1200 }
        envelope: { minRangeM: 1000, maxRangeM: 40000, maxAltitudeM: 20000 }
        slewRateDegPerS: 60
`;

t.test('a valid hardware config parses with defaults', async (t) => {
  const config = parseConfigText('bench.yaml', hardware, benchConfigSchema);
  t.equal(config.node.id, 'bench-1');
  t.equal(config.control.tickHz, 1000);
  t.same(config.broker, { embedded: { host: '127.0.0.1', port: 1883, wsPort: 9001 } });
  t.equal(config.simulator.enabled, false);
});

t.test('every error is reported with its path and reason', async (t) => {
  const broken = hardware
    .replace('speedMps: 1200', 'speedMps: -5')
    .replace('minRangeM: 1000', 'minRangeM: 50000')
    .replace('tcp://10.0.0.5:4001', 'tcp://nowhere');
  try {
    parseConfigText('bench.yaml', broken, benchConfigSchema);
    t.fail('should throw');
  } catch (error) {
    t.type(error, ConfigError);
    const issues = (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
    t.ok(issues.includes('devices.launchers[0].model.flyout.speedMps: expected a positive number'), issues.join('\n'));
    t.ok(
      issues.some((i) => i.startsWith('devices.launchers[0].link: expected serial:')),
      issues.join('\n'),
    );
  }
});

t.test('unknown keys, YAML syntax errors and semantic rules are rejected', async (t) => {
  t.throws(() => parseConfigText('x', hardware + 'tickrate: 5\n', benchConfigSchema), ConfigError);
  try {
    parseConfigText('x', 'node: { id: a\n', benchConfigSchema);
    t.fail('should throw');
  } catch (error) {
    t.match((error as ConfigError).issues[0]?.message, /^YAML line \d+/);
  }
  t.throws(
    () => parseConfigText('x', 'node: { id: a }\nsimulator: { enabled: true }\n', benchConfigSchema),
    /needs a scenario/,
  );
  t.throws(() => parseConfigText('x', 'node: { id: a }\n', benchConfigSchema), /at least one device/);
  const minMax = hardware.replace('minRangeM: 1000', 'minRangeM: 50000');
  t.throws(() => parseConfigText('x', minMax, benchConfigSchema), /minRangeM < maxRangeM/);
});

t.test('canonical JSON sorts keys at every level, so the hash ignores key order', async (t) => {
  t.equal(
    hashCanonical({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 2 } }),
    createHash('sha256').update('{"a":{"c":2,"d":[1,{"y":2,"z":1}]},"b":1}').digest('hex'),
  );
  t.equal(hashCanonical({ a: 1, b: 2 }), hashCanonical({ b: 2, a: 1 }));
  t.not(hashCanonical({ a: 1 }), hashCanonical({ a: 2 }));
});

t.test('the config hash of a validated config is pinned (recordings carry it)', async (t) => {
  const tricky = hardware
    .replace('eastM: 0, northM: 0, upM: 5', 'eastM: 0.5, northM: -0, upM: 5')
    .replace('eastM: 100, northM: 0', 'eastM: 100.25, northM: 1e-7');
  const config = parseConfigText('bench.yaml', tricky, benchConfigSchema);
  t.equal(config.devices.radars[0]!.position.eastM, 0.5, 'the replacements applied');
  t.equal(config.devices.launchers[0]!.model.position.northM, 1e-7, 'the replacements applied');
  // Fractions, -0 and 1e-7 as JSON.stringify writes them, defaults included, keys sorted.
  // (Re-pinned when defaults changed: embedded broker WebSocket port 9001, control.launchErrorMargin
  // and control.maxFireRefusalsPerTarget added, control.syncBoundUs no longer defaulted,
  // control.tracker added, default cv.)
  t.equal(hashCanonical(config), '19868494b3aeb974368f6d0cf46066a1cba18b354539b3fd26514831f10efbe1');
});

t.test('links.timeSyncBurst: an integer 1..8, passed to the drivers; absent means 1', async (t) => {
  const withLinks = (links: string) => parseConfigText('x', `${hardware}links: { ${links} }\n`, benchConfigSchema);
  t.equal(driverSessionConfig(withLinks('timeSyncBurst: 2')).timeSync?.burst, 2);
  t.equal(driverSessionConfig(withLinks('timeSyncPeriodS: 0.1')).timeSync?.burst, undefined, 'driver default (1)');
  for (const bad of ['0', '9', '1.5', '"2"']) {
    t.throws(() => withLinks(`timeSyncBurst: ${bad}`), ConfigError, bad);
  }
});

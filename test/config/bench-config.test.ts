import t from 'tap';
import { benchConfigSchema } from '../../src/config/bench-config-schema.js';
import { ConfigError } from '../../src/config/config-error.js';
import { canonicalJson, hashCanonical } from '../../src/config/load-bench-config.js';
import { parseConfigText } from '../../src/config/parse-config-file.js';

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
        flyout: { launchDelayMs: 200, speedMps: 1200 }
        envelope: { minRangeM: 1000, maxRangeM: 40000, maxAltitudeM: 20000 }
        slewRateDegPerS: 60
`;

t.test('a valid hardware config parses with defaults', async (t) => {
  const config = parseConfigText('bench.yaml', hardware, benchConfigSchema);
  t.equal(config.node.id, 'bench-1');
  t.equal(config.control.tickHz, 1000);
  t.same(config.broker, { embedded: { host: '127.0.0.1', port: 1883, wsPort: 8883 } });
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
  t.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 2 } }), '{"a":{"c":2,"d":[1,{"y":2,"z":1}]},"b":1}');
  t.equal(hashCanonical({ a: 1, b: 2 }), hashCanonical({ b: 2, a: 1 }));
  t.not(hashCanonical({ a: 1 }), hashCanonical({ a: 2 }));
});

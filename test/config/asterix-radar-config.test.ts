import t from 'tap';
import { benchConfigSchema } from '../../src/config/bench-config-schema.js';

const radar = {
  id: 'asterix-1',
  protocol: 'asterix-cat048',
  link: 'udp://239.1.2.3:8600?iface=10.0.0.5',
  site: { latDeg: 45.9, lonDeg: 16.1, heightM: 250 },
  accuracy: { rangeSigmaM: 30, azimuthSigmaDeg: 0.05, velocitySigmaMps: 5 },
};

t.test('an ASTERIX radar in a hardware bench: defaults, and each bad field named', async (t) => {
  const ok = benchConfigSchema.safeParse({ node: { id: 'n' }, devices: { asterixRadars: [radar] } });
  t.ok(ok.success, JSON.stringify(ok.error?.issues));
  if (ok.success) t.match(ok.data.devices.asterixRadars?.[0], { acceptSimulated: false, staleAfterMs: 10_000 });
  const paths = (config: unknown): string[] => {
    const parsed = benchConfigSchema.safeParse(config);
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };
  t.match(paths({ node: { id: 'n' }, devices: { asterixRadars: [{ ...radar, link: 'tcp://1.2.3.4:5' }] } }), [
    /devices.asterixRadars.0.link: expected udp/,
  ]);
  t.match(
    paths({
      node: { id: 'n' },
      devices: { asterixRadars: [{ ...radar, site: { latDeg: 95, lonDeg: 0, heightM: 0 } }] },
    }),
    [/site.latDeg/],
  );
  // Simulated benches simulate them, in-process or in the simulator's own process; that process
  // starts before the host binds its socket, so it needs a fixed port.
  t.same(
    paths({ node: { id: 'n' }, scenario: 's.yaml', simulator: { enabled: true }, devices: { asterixRadars: [radar] } }),
    [],
  );
  const inPty = (link: string): string[] =>
    paths({
      node: { id: 'n' },
      scenario: 's.yaml',
      simulator: { enabled: true, placement: 'pty' },
      devices: { asterixRadars: [{ ...radar, link }] },
    });
  t.same(inPty('udp://0.0.0.0:30048'), [], 'a fixed port in the PTY placement');
  t.match(inPty('udp://0.0.0.0:0'), [/devices.asterixRadars.0.link: .*needs a fixed port/]);
  t.match(
    paths({ node: { id: 'n' }, site: { latDeg: 0, lonDeg: 200, heightM: 0 }, devices: { asterixRadars: [radar] } }),
    [/site.lonDeg/],
  );
});

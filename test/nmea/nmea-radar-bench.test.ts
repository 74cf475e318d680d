/**
 * A hardware bench whose radar is an ARPA radar sending NMEA 0183 TTM on a serial line: the
 * simulated ARPA radar writes TTM on one end of a real PTY pair (socat), `shieldlink run`'s
 * composition reads the other end at 38400 baud from `devices.nmeaRadars`, and the moving surface
 * target becomes a track of the control core's picture at the right place.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { type ArpaTargetTruth, TtmEmitter } from '../../firmware-sim/nmea/ttm-emitter.js';
import { runBench } from '../../src/compose/run-bench.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { RealClock } from '../../src/time/real-clock.js';
import { SerialTransport, openPtyPair } from '../../src/transport/index.js';

const inCi = process.env['CI'] === 'true';
const pair = await openPtyPair().catch((error: Error) => error);
const skip =
  pair instanceof Error ? `socat not found or failed (${pair.message}): install socat to run the PTY test` : false;
if (skip && inCi) throw new Error(`${skip} (CI=true: a missing tool fails the test)`);

/** The radar at (1000 E, 2000 N); its bow 90° true (relative bearings). */
const RADAR = { eastM: 1000, northM: 2000, upM: 10 };

t.test('an NMEA TTM radar over a PTY is tracked in the picture', { skip, timeout: 120_000 }, async (t) => {
  if (pair instanceof Error) return;
  t.teardown(() => pair.close());
  const dir = mkdtempSync(path.join(tmpdir(), 'nmea-bench-'));
  const configFile = path.join(dir, 'bench.yaml');
  writeFileSync(
    configFile,
    [
      'node: { id: nmea-bench }',
      `scenario: ${path.resolve('hil-configs/scenarios/single-ballistic.yaml')}`,
      'devices:',
      '  nmeaRadars:',
      '    - id: arpa-1',
      '      protocol: nmea-ttm',
      `      link: serial:${pair.paths[1]}?baud=38400`,
      `      position: { eastM: ${RADAR.eastM}, northM: ${RADAR.northM}, upM: ${RADAR.upM} }`,
      '      headingDeg: 90',
      '      accuracy: { rangeSigmaM: 15, bearingSigmaDeg: 0.3, velocitySigmaMps: 1 }',
      '  launchers:',
      '    - id: launcher-1',
      // nobody listens there: the launcher stays unreachable and SAFE (a control core needs one)
      '      link: tcp://127.0.0.1:9',
      '      model:',
      '        position: { eastM: 0, northM: 0, upM: 0 }',
      '        flyout: { launchDelayMs: 250, speedMps: 1500 }',
      '        envelope: { minRangeM: 2000, maxRangeM: 40000, maxAltitudeM: 25000 }',
      '        slewRateDegPerS: 90',
      'broker: { disabled: true }',
      `output: { dir: ${dir} }`,
    ].join('\n'),
  );
  const clock = new RealClock();
  const radarEnd = new SerialTransport({ path: pair.paths[0], baud: 38400 });
  await radarEnd.open();
  t.teardown(() => radarEnd.close());
  // A boat 6 km east-north-east of the radar making 8 m/s north; relative bearings from a bow at 90°.
  const startUs = clock.nowUs();
  const target = (): ArpaTargetTruth => {
    const s = (clock.nowUs() - startUs) / 1e6;
    return { targetNumber: 4, eastM: 6000, northM: 2000 + 8 * s, eastMps: 0, northMps: 8, status: 'tracking' };
  };
  const emitter = new TtmEmitter(radarEnd, clock, 250_000, () => [target()], {
    talker: 'RA',
    units: 'N',
    relative: true,
    headingDeg: 90,
  });
  emitter.start();
  t.teardown(() => emitter.stop());
  let last: { eastM: number; northM: number; upM: number; atUs: number } | undefined;
  const result = await runBench({
    loaded: await loadBenchConfig(configFile),
    virtualTime: false,
    broker: 'none',
    durationS: 4,
    observers: [
      {
        onSnapshot: (snapshot) => {
          const track = snapshot.tracks[0];
          if (track !== undefined) last = { ...track, atUs: snapshot.nowUs };
        },
      },
    ],
  });
  emitter.stop();
  const counters = result.linkCounters['arpa-1'] as { status: string; measurements: number; checksumErrors: number };
  t.comment(JSON.stringify(counters));
  t.equal(counters.status, 'active');
  t.ok(counters.measurements >= 8, `${counters.measurements} TTM sentences became measurements`);
  t.equal(counters.checksumErrors, 0);
  t.ok(
    result.controlConfig.radars.some((r) => r.id === 'arpa-1'),
    'arpa-1 is a control-core radar',
  );
  t.ok(last !== undefined, 'the target is a track of the picture');
  if (last === undefined) return;
  // Truth in the bench frame: radar + (6000 E, 2000 + 8 s N) relative to it.
  const s = (last.atUs - startUs) / 1e6;
  const errorM = Math.hypot(last.eastM - (RADAR.eastM + 6000), last.northM - (RADAR.northM + 2000 + 8 * s));
  t.ok(errorM < 60, `track ${errorM.toFixed(1)} m from the boat (TTM: 0.001 NM, 0.1° at 6.3 km)`);
  t.equal(last.upM, 0, 'a surface track');
});

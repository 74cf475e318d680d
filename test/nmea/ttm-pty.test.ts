/**
 * The simulated ARPA radar writes TTM over a real PTY pair (socat) at 38400 baud; the host reads
 * it with `serialport` through the NMEA reader: the surface tracks match the simulated targets
 * within the sentence's rounding, the lost target becomes a drop, and the source passes the TTM
 * conformance rules (a broken source fails the rule it breaks).
 */
import t from 'tap';
import { type ArpaTargetTruth, TtmEmitter, ttmSentence } from '../../firmware-sim/nmea/ttm-emitter.js';
import { NmeaTargetReader, checkTtmSource, surfaceTrackOf, withChecksum } from '../../src/nmea/index.js';
import { RealClock } from '../../src/time/real-clock.js';
import { SerialTransport, openPtyPair } from '../../src/transport/index.js';

const inCi = process.env['CI'] === 'true';
const pair = await openPtyPair().catch((error: Error) => error);
const skip =
  pair instanceof Error ? `socat not found or failed (${pair.message}): install socat to run the PTY test` : false;
if (skip && inCi) throw new Error(`${skip} (CI=true: a missing tool fails the test)`);

const TARGETS: ArpaTargetTruth[] = [
  { targetNumber: 1, eastM: 3000, northM: 4000, eastMps: 5, northMps: -3, status: 'tracking', name: 'ALPHA' },
  { targetNumber: 2, eastM: -1200, northM: 800, eastMps: 0, northMps: 7.5, status: 'tracking' },
  { targetNumber: 3, eastM: 500, northM: -9000, eastMps: 1, northMps: 1, status: 'lost' },
];

t.test('TTM over a real PTY: sentences become surface tracks matching the simulated targets', { skip }, async (t) => {
  if (pair instanceof Error) return;
  t.teardown(() => pair.close());
  const clock = new RealClock();
  const radarEnd = new SerialTransport({ path: pair.paths[0], baud: 38400 });
  const hostEnd = new SerialTransport({ path: pair.paths[1], baud: 38400 });
  await radarEnd.open();
  await hostEnd.open();
  t.teardown(async () => {
    await radarEnd.close();
    await hostEnd.close();
  });
  const received: Uint8Array[] = [];
  const updates: ReturnType<typeof surfaceTrackOf>[] = [];
  const radar = { eastM: 0, northM: 0, upM: 0, headingDeg: 30, rangeSigmaM: 15, bearingSigmaDeg: 0.3 };
  const reader = new NmeaTargetReader({ ttm: (report) => updates.push(surfaceTrackOf(report, radar)) });
  hostEnd.on('data', (chunk) => {
    received.push(chunk);
    reader.push(chunk);
  });
  const emitter = new TtmEmitter(radarEnd, clock, 100_000, () => TARGETS, {
    talker: 'RA',
    units: 'N',
    relative: true,
    headingDeg: 30,
  });
  emitter.start();
  await new Promise<void>((resolve) => {
    const check = (): void => {
      if (reader.counters.ttm >= 6) resolve();
      else clock.setTimer(20_000, check);
    };
    check();
  });
  emitter.stop();
  t.equal(reader.counters.checksumErrors, 0);
  const tracks = updates.filter((u) => u.kind === 'measurement');
  for (const truth of TARGETS.filter((target) => target.status === 'tracking')) {
    const track = tracks.find((u) => u.targetNumber === truth.targetNumber);
    t.ok(track, `target ${truth.targetNumber} reported`);
    if (track?.kind !== 'measurement') continue;
    // 0.001 NM range and 0.1° bearing rounding: a few metres at these ranges
    const rangeM = Math.hypot(truth.eastM, truth.northM);
    const allowedM = 1.852 + (rangeM * 0.05 * Math.PI) / 180;
    t.ok(
      Math.hypot(track.eastM - truth.eastM, track.northM - truth.northM) < allowedM,
      `position within ${allowedM.toFixed(1)} m`,
    );
    t.ok(Math.hypot(track.eastMps - truth.eastMps, track.northMps - truth.northMps) < 0.05, 'velocity within 0.05 m/s');
  }
  t.ok(
    updates.some((u) => u.kind === 'drop' && u.targetNumber === 3),
    'the lost target is a drop',
  );
  const results = checkTtmSource(Buffer.concat(received));
  t.same(
    results.filter((r) => !r.passed).map((r) => r.id),
    [],
    'the simulated ARPA radar passes every TTM rule',
  );
});

t.test('TTM conformance: a broken source fails the rule it breaks', async (t) => {
  const good = ttmSentence(TARGETS[0]!, {}, 3600);
  const badChecksum = good.slice(0, -2) + (good.endsWith('00') ? '01' : '00');
  const noCrLf = Buffer.from(`${good}\n${good}\r\n`, 'latin1');
  const failed = (bytes: Uint8Array): string[] =>
    checkTtmSource(bytes)
      .filter((r) => !r.passed)
      .map((r) => r.id);
  t.same(failed(Buffer.from(`${good}\r\n${good}\r\n`, 'latin1')), []);
  t.same(failed(Buffer.from(`${badChecksum}\r\n${good}\r\n`, 'latin1')), ['NMEA-TTM-001']);
  t.same(failed(noCrLf), ['NMEA-TTM-003']);
  const short = withChecksum('RATTM,01,1.0,10.0,T,1.0,1.0,T,,,N,,T');
  t.same(failed(Buffer.from(`${short}\r\n`, 'latin1')), ['NMEA-TTM-004'], 'a TTM without UTC and acquisition type');
  t.same(
    failed(Buffer.from(`${withChecksum('GPGGA,1')}\r\n`, 'latin1')),
    ['NMEA-TTM-004', 'NMEA-TTM-006', 'NMEA-TTM-005'],
    'no TTM at all',
  );
});

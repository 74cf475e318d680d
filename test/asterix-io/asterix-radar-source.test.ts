/**
 * The ASTERIX radar source: CAT048 reports written by the simulated radar (its own code path,
 * firmware-sim/asterix) from a radar site 25 km from the bench site come back as measurements
 * matching the targets within the items' resolution; SIM, source, end-of-track and missing
 * heights are honoured; over loopback UDP in real time, CAT034 north markers keep the source
 * active and their silence makes it stale.
 */
import { createSocket } from 'node:dgram';
import t from 'tap';
import { cat034NorthMarker, cat048ReportOf } from '../../firmware-sim/asterix/cat048-report.js';
import { AsterixDecoder, encodeBlock } from '../../src/asterix/index.js';
import type { ControlInput, TrackMeasurementInput } from '../../src/control/control-inputs.js';
import { LocalFrame } from '../../src/geo/index.js';
import { AsterixRadarSource, parseUdpLinkUrl } from '../../src/asterix-io/asterix-radar-source.js';
import {
  type Cat048RadarContext,
  cat048Measurement,
  hostUsOfTimeOfDay,
} from '../../src/asterix-io/cat048-measurement.js';
import { RealClock } from '../../src/time/real-clock.js';

const BENCH = new LocalFrame({ latDeg: 45.8, lonDeg: 15.97, heightM: 110 });
const RADAR = new LocalFrame({ latDeg: 45.95, lonDeg: 16.2, heightM: 300 });
const SOURCE = { sac: 25, sic: 13 };
const TOD = (hostUs: number): number => (36_000 + hostUs / 1e6) % 86_400;

function context(acceptSimulated = true): Cat048RadarContext {
  return {
    radarFrame: RADAR,
    benchFrame: BENCH,
    ...SOURCE,
    rangeSigmaM: 30,
    azimuthSigmaDeg: 0.05,
    velocitySigmaMps: 5,
    acceptSimulated,
    timeOfDayS: TOD,
  };
}

function roundTrip(
  target: Parameters<typeof cat048ReportOf>[0],
  atHostUs: number,
  ctx = context(),
): ReturnType<typeof cat048Measurement> {
  const block = encodeBlock(48, [cat048ReportOf(target, BENCH, RADAR, SOURCE, TOD(atHostUs))]);
  const [record] = new AsterixDecoder().decodeAll(block).records;
  return cat048Measurement(record!, atHostUs + 40_000, ctx);
}

t.test('targets through CAT048 from another site come back within the items resolution', async (t) => {
  const targets = [
    { trackNumber: 1, eastM: 30_000, northM: 12_000, upM: 9_000, eastMps: -250, northMps: 30 },
    { trackNumber: 2, eastM: -8_000, northM: 40_000, upM: 3_000, eastMps: 120, northMps: -200 },
    { trackNumber: 3, eastM: 60_000, northM: -20_000, upM: 15_000, eastMps: 0, northMps: 300 },
  ];
  for (const target of targets) {
    const result = roundTrip(target, 5_000_000);
    t.equal(result.kind, 'measurement');
    if (result.kind !== 'measurement') continue;
    const slantM = Math.hypot(
      ...Object.values(RADAR.enuFromFrame(BENCH, { eastM: target.eastM, northM: target.northM, upM: target.upM })),
    );
    // half an LSB each: range 1/256 NM, azimuth 360/2^16 deg, height 25 ft
    const allowedM = 1852 / 512 + (slantM * (360 / 65536 / 2) * Math.PI) / 180 + 25 * 0.3048 + 0.5;
    const errorM = Math.hypot(
      result.position.eastM - target.eastM,
      result.position.northM - target.northM,
      result.position.upM - target.upM,
    );
    t.ok(
      errorM < allowedM,
      `target ${target.trackNumber}: ${errorM.toFixed(2)} m from truth (allowed ${allowedM.toFixed(1)} m)`,
    );
    const vError = Math.hypot(result.velocity.eastM - target.eastMps, result.velocity.northM - target.northMps);
    t.ok(vError < 0.5, `target ${target.trackNumber}: horizontal velocity within 0.5 m/s (${vError.toFixed(3)})`);
    t.equal(
      Math.round(result.measurementHostUs / 7812.5),
      Math.round(5_000_000 / 7812.5),
      'I140 maps back to the host time (1/128 s)',
    );
    t.ok(result.positionSigmaM > 30, 'covariance from the declared accuracies at this range');
  }
});

t.test('SIM, another radar, end of track and a report without height are honoured', async (t) => {
  const target = { trackNumber: 9, eastM: 1000, northM: 20_000, upM: 5000, eastMps: 0, northMps: 100 };
  t.same(roundTrip(target, 0, context(false)), { kind: 'refused', reason: 'simulated' });
  t.same(roundTrip(target, 0, { ...context(), sic: 99 }), { kind: 'refused', reason: 'other-source' });
  const ended = roundTrip({ ...target, ended: true }, 1_000_000);
  t.equal(ended.kind, 'drop');
  const record = new AsterixDecoder().decodeAll(encodeBlock(48, [cat048ReportOf(target, BENCH, RADAR, SOURCE, TOD(0))]))
    .records[0]!;
  record.items.delete('110');
  record.items.set('090', { V: 1, G: 0, FL: 100 }); // code not validated
  t.same(cat048Measurement(record, 0, context()), { kind: 'refused', reason: 'no-height' });
  t.throws(() => parseUdpLinkUrl('tcp://1.2.3.4:5'), /udp:\/\//);
  t.equal(parseUdpLinkUrl('udp://239.1.2.3:8600').multicast, true);
  t.equal(parseUdpLinkUrl('udp://0.0.0.0:8600').multicast, false);
});

t.test(
  'over loopback UDP in real time: measurements flow, CAT034 keeps it active, silence makes it stale',
  async (t) => {
    const clock = new RealClock();
    const inputs: ControlInput[] = [];
    const statuses: string[] = [];
    let seq = 0;
    const source = new AsterixRadarSource({
      radarId: 'asterix-1',
      clock,
      context: context(),
      staleAfterUs: 300_000,
      emit: (input) => inputs.push(input),
      nextSeq: () => ++seq,
      onStatus: (status) => statuses.push(status),
    });
    const { port } = await source.listen('udp://127.0.0.1:0');
    t.teardown(() => source.stop());
    const sender = createSocket('udp4');
    t.teardown(() => sender.close());
    const send = (bytes: Uint8Array): Promise<void> =>
      new Promise((resolve) => sender.send(bytes, port, '127.0.0.1', () => resolve()));
    const sleep = (ms: number): Promise<void> => new Promise((resolve) => clock.setTimer(ms * 1000, resolve));
    for (let scan = 0; scan < 3; scan++) {
      const now = clock.nowUs();
      await send(encodeBlock(34, [cat034NorthMarker(SOURCE, TOD(now), 4)]));
      await send(
        encodeBlock(48, [
          cat048ReportOf(
            { trackNumber: 7, eastM: 20_000, northM: 20_000 + scan * 400, upM: 8000, eastMps: 0, northMps: 100 },
            BENCH,
            RADAR,
            SOURCE,
            TOD(now),
          ),
        ]),
      );
      await send(Uint8Array.from([48, 0, 9, 0xff])); // a malformed datagram on the way
      await sleep(100);
    }
    t.equal(source.status, 'active');
    await sleep(800);
    t.same(statuses, ['active', 'stale'], 'active with the north markers, stale when they stop');
    const measurements = inputs.filter((input): input is TrackMeasurementInput => input.kind === 'track-measurement');
    // The track's first plot only primes its vertical rate (CAT048 carries none).
    t.equal(source.counters.firstPlots, 1);
    t.equal(measurements.length, 2);
    t.equal(measurements[0]!.radarTrackId, 7);
    t.ok(Math.abs(measurements[1]!.northM - 20_800) < 10, `north ${measurements[1]!.northM.toFixed(1)} m`);
    t.ok(Math.abs(measurements[1]!.upMps) < 20, `level flight: vertical rate ${measurements[1]!.upMps.toFixed(1)} m/s`);
    t.equal(source.counters.malformedBlocks, 3);
    t.equal(source.counters.staleEpisodes, 1);
  },
);

t.test('I140 time of day maps to the host time on the nearest day, across midnight', async (t) => {
  // host time 0 is 23:59:59 UTC
  const tod = (hostUs: number): number => (86_399 + hostUs / 1e6) % 86_400;
  t.equal(hostUsOfTimeOfDay(86_398.5, 0, tod), -500_000, 'half a second before, same day');
  t.equal(hostUsOfTimeOfDay(0.5, 0, tod), 1_500_000, 'a report stamped just after midnight');
  t.equal(hostUsOfTimeOfDay(86_399.5, 2_000_000, tod), 500_000, 'received after midnight, stamped before');
});

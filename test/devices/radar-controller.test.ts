import t from 'tap';
import { type RadarStatusReport, type TrackDropReport, type TrackReport } from '../../src/devices/index.js';
import { radarBench, startActive } from './support/bench.js';
import { settle } from './support/run-command.js';

t.test('radar: setMode, status, tracks with measurement time in host time', async (t) => {
  const bench = radarBench({ device: { clockOffsetUs: -700_000, driftPpm: -30 } });
  const statuses: RadarStatusReport[] = [];
  const tracks: TrackReport[] = [];
  const drops: TrackDropReport[] = [];
  bench.driver.on('status', (s) => statuses.push(s));
  bench.driver.on('track', (r) => tracks.push(r));
  bench.driver.on('track-drop', (d) => drops.push(d));
  await bench.clock.advance(1_000_000); // host starts before the device's clock passes 0
  await startActive(bench);
  t.equal(bench.host.writesOf('SAFE').length, 0, 'no SAFE for a radar');
  await settle(bench, bench.driver.setMode({ commandId: 1, mode: 'standby' }));
  await bench.clock.advance(20_000);
  t.equal(bench.driver.status?.mode, 'standby');
  t.equal(statuses.at(-1)?.quality, 'good');

  await bench.clock.advance(1_000_000);
  const measuredHostUs = bench.clock.nowUs() - 12_345;
  bench.device.send({
    type: 'TRACK_REPORT',
    trackId: 5,
    measurementTimeUs: bench.device.toDeviceUs(measuredHostUs),
    eastM: 1,
    northM: 2,
    upM: 3,
    eastMps: 4,
    northMps: 5,
    upMps: 6,
    positionSigmaM: 7,
    velocitySigmaMps: 8,
    quality: 90,
    iffClass: 'hostile',
  });
  bench.device.send({ type: 'TRACK_DROP', trackId: 5, deviceTimeUs: bench.device.deviceNowUs(), reason: 'destroyed' });
  await bench.clock.advance(20_000);
  t.equal(tracks.length, 1);
  const track = tracks[0]!;
  t.ok(Math.abs(track.measurementHostUs! - measuredHostUs) <= 2, 'measurement time converted to host time');
  t.ok(track.timeUncertaintyUs >= Math.abs(track.measurementHostUs! - measuredHostUs) - 1);
  t.ok(track.receivedAtHostUs > measuredHostUs);
  t.same([track.trackId, track.eastM, track.upMps, track.iffClass], [5, 1, 6, 'hostile']);
  t.equal(drops[0]?.reason, 'destroyed');
  t.ok(drops[0]?.hostTimeUs !== undefined);
});

t.test('radar: counters event and snapshot', async (t) => {
  const bench = radarBench({ driver: { countersPeriodUs: 500_000 } });
  const snapshots: number[] = [];
  bench.driver.on('counters', (c) => snapshots.push(c.framesIn));
  await startActive(bench);
  await bench.clock.advance(1_000_000);
  t.ok(snapshots.length >= 2);
  const counters = bench.driver.counters();
  t.ok(counters.framesIn > 20 && counters.framesOut > 20);
  t.equal(counters.seqGaps, 0);
  t.equal(counters.frameErrors.crc, 0);
});

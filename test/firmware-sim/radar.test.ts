import t from 'tap';
import type { ScenarioInput } from '../../src/config/scenario-schema.js';
import { SCHEMA_HASH } from '../../src/protocol/catalogue/index.js';
import { encodeMessage } from '../../src/protocol/codec.js';
import { lineTimeUs } from '../../src/transport/paced-transport.js';
import { BASE_SCENARIO, bench } from './sim-harness.js';

const radarSpec = BASE_SCENARIO.radars![0]!;

function withTargets(targets: ScenarioInput['targets'], radar: Partial<typeof radarSpec> = {}): ScenarioInput {
  return { ...BASE_SCENARIO, targets, radars: [{ ...radarSpec, ...radar }] };
}

const crossing = {
  id: 'aircraft',
  kind: 'constant-velocity' as const,
  startS: 0,
  position: { eastM: 20_000, northM: -10_000, upM: 5_000 },
  velocity: { eastMps: 0, northMps: 200, upMps: 0 },
  iff: 'friendly' as const,
};

t.test('HELLO → IDENT with the schema hash; a wrong advertised hash is reported (ICD-CMN-001/002)', async (t) => {
  const b = await bench(BASE_SCENARIO, { devices: { 'launcher-1': { schemaHash: 0xdeadbeef } } });
  b.host('radar-1').hello();
  b.host('launcher-1').hello();
  await b.clock.advance(10_000);
  t.match(b.host('radar-1').last('IDENT'), {
    deviceKind: 'radar',
    schemaHash: SCHEMA_HASH,
    firmwareMajor: 1,
    deviceSerial: b.sim.radar('radar-1').serial,
  });
  t.match(b.host('launcher-1').last('IDENT'), { deviceKind: 'launcher', schemaHash: 0xdeadbeef });
  b.host('launcher-1').startHeartbeats();
  const seq = b.host('launcher-1').command({ type: 'ARM', commandId: 1 });
  await b.clock.advance(10_000);
  t.match(
    b.host('launcher-1').answerTo(seq),
    { type: 'NAK', reason: 'schema-mismatch' },
    'the device fails closed too',
  );
  b.host('radar-1').hello(0x12345678);
  await b.clock.advance(10_000);
  t.equal(b.host('radar-1').all('IDENT').length, 2, 'IDENT even when the host hash differs');
  await b.sim.stop();
});

t.test('TIME_SYNC_RESPONSE: t2 at end of reception, t3 at start of transmission (ICD-CMN-007)', async (t) => {
  const b = await bench({
    ...BASE_SCENARIO,
    radars: [{ ...radarSpec, clock: { offsetUs: 1_000_000, driftPpm: 100 }, baud: 9600 }],
  });
  const host = b.host('radar-1');
  const radar = b.sim.radar('radar-1');
  await b.clock.runUntil(50_000); // the 50 ms heartbeat is on the line (9600 baud: ~20 ms)
  const sentUs = b.clock.nowUs();
  host.send({ type: 'TIME_SYNC_REQUEST', t1HostUs: 777 });
  await b.clock.advance(150_000);
  const response = host.last('TIME_SYNC_RESPONSE')!;
  t.equal(response.t1HostUs, 777);
  t.equal(response.t2DeviceUs, radar.deviceClock.toDeviceUs(sentUs), 't2 = device time of reception');
  t.ok(response.t3DeviceUs > response.t2DeviceUs, 'waited for the heartbeat already on the line');
  const arrivedUs = host.receivedAtUs[host.received.indexOf(response)]!;
  const lineUs = lineTimeUs(encodeMessage(response).length, 9600);
  const startUs = radar.deviceClock.toSharedUs(response.t3DeviceUs);
  t.ok(
    Math.abs(arrivedUs - lineUs - startUs) < 1.1,
    `t3 is the start of transmission (${arrivedUs - lineUs} vs ${startUs})`,
  );
  await b.sim.stop();

  const fast = await bench();
  await fast.clock.runUntil(50_000);
  const askedUs = fast.clock.nowUs();
  fast.host('radar-1').send({ type: 'TIME_SYNC_REQUEST', t1HostUs: 1 });
  await fast.clock.advance(20_000);
  const answerUs =
    fast.host('radar-1').receivedAtUs[
      fast.host('radar-1').received.indexOf(fast.host('radar-1').last('TIME_SYNC_RESPONSE')!)
    ]!;
  t.ok(answerUs - askedUs < 5_000, `answered within 5 ms at 921600 baud: ${answerUs - askedUs} us`);
  await fast.sim.stop();
});

t.test(
  'RADAR_STATUS every 100 ms and on mode change; SET_MODE ACKed, idempotent ids (ICD-RDR-001/002/005)',
  async (t) => {
    const b = await bench(withTargets([crossing]));
    const host = b.host('radar-1');
    const radar = b.sim.radar('radar-1');
    host.hello();
    await b.clock.advance(2_500_000);
    const times = host.all('RADAR_STATUS').map((s) => s.deviceTimeUs);
    for (let i = 1; i < times.length; i++) t.ok(times[i]! - times[i - 1]! <= 100_000, 'at most 100 ms apart');
    t.ok(host.all('TRACK_REPORT').length >= 2, 'tracks in search mode');
    const seq = host.command({ type: 'RADAR_SET_MODE', commandId: 5, mode: 'standby' });
    await b.clock.advance(5_000);
    t.match(host.answerTo(seq), { type: 'ACK', commandId: 5 });
    t.match(host.last('RADAR_STATUS'), { mode: 'standby', lastCommandId: 5 }, 'status at once');
    t.match(host.last('TRACK_DROP'), { reason: 'mode-change' });
    const reports = host.all('TRACK_REPORT').length;
    await b.clock.advance(3_000_000);
    t.equal(host.all('TRACK_REPORT').length, reports, 'no reports outside search (ICD-RDR-003)');
    host.retransmit({ type: 'RADAR_SET_MODE', commandId: 5, mode: 'standby' }, seq);
    await b.clock.advance(5_000);
    t.equal(host.all('ACK').filter((a) => a.ackedSeq === seq).length, 2, 'retransmission ACKed again');
    t.equal(radar.mode, 'standby');
    const zero = host.command({ type: 'RADAR_SET_MODE', commandId: 0, mode: 'search' });
    const same = host.command({ type: 'RADAR_SET_MODE', commandId: 6, mode: 'standby' });
    await b.clock.advance(5_000);
    t.match(host.answerTo(zero), { type: 'NAK', reason: 'bad-field' }, 'command id 0 (ICD-CMN-008)');
    t.match(host.answerTo(same), { type: 'ACK' }, 'the current mode: ACK, no effect');
    const search = host.command({ type: 'RADAR_SET_MODE', commandId: 7, mode: 'search' });
    await b.clock.advance(2_000_000);
    t.match(host.answerTo(search), { type: 'ACK' });
    t.equal(radar.mode, 'search');
    const ids = [...new Set(host.all('TRACK_REPORT').map((r) => r.trackId))];
    t.same(ids, [1, 2], 'a new track number after the drop, never reused (ICD-RDR-004)');
    await b.sim.stop();
  },
);

t.test('reports: noise-free position exact, measurement time = scan instant in the radar clock', async (t) => {
  const b = await bench(withTargets([crossing], { clock: { offsetUs: 3_000_000, driftPpm: -20 } }));
  const host = b.host('radar-1');
  const radar = b.sim.radar('radar-1');
  await b.clock.advance(3_100_000);
  const reports = host.all('TRACK_REPORT');
  t.equal(reports.length, 3, 'one per scan');
  for (const [k, report] of reports.entries()) {
    const scanUs = (k + 1) * 1_000_000;
    t.equal(report.measurementTimeUs, radar.deviceClock.toDeviceUs(scanUs));
    t.ok(Math.abs(report.northM - (-10_000 + 200 * (k + 1))) < 0.01);
    t.ok(Math.abs(report.eastM - 20_000) < 0.01);
    t.equal(report.iffClass, 'friendly');
    t.equal(report.trackId, 1);
  }
  await b.sim.stop();
});

t.test('noise statistics match the configured sigmas (fixed seed)', async (t) => {
  const b = await bench({
    ...withTargets(
      [
        {
          ...crossing,
          velocity: { eastMps: 0, northMps: 0, upMps: 0 },
          position: { eastM: 30_000, northM: 0, upM: 0.001 },
        },
      ],
      {
        scanPeriodMs: 100,
        rangeSigmaM: 10,
        angleSigmaDeg: 0.1,
        velocitySigmaMps: 2,
      },
    ),
    durationS: 400,
  });
  const host = b.host('radar-1');
  await b.clock.advance(200_000_000);
  const reports = host.all('TRACK_REPORT');
  t.ok(reports.length > 1900);
  const stats = (xs: number[]): { mean: number; sd: number } => {
    const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
    return { mean, sd: Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)) };
  };
  // Target due east at 30 km: east error ≈ range noise, north error ≈ 30 km × azimuth noise.
  const east = stats(reports.map((r) => r.eastM - 30_000));
  const north = stats(reports.map((r) => r.northM));
  const vel = stats(reports.map((r) => r.northMps));
  const crossRangeSigma = 30_000 * ((0.1 * Math.PI) / 180);
  t.ok(Math.abs(east.mean) < 1.5, `range bias ${east.mean}`);
  t.ok(Math.abs(east.sd / 10 - 1) < 0.1, `range sigma ${east.sd}`);
  t.ok(Math.abs(north.sd / crossRangeSigma - 1) < 0.1, `cross-range sigma ${north.sd} vs ${crossRangeSigma}`);
  t.ok(Math.abs(vel.sd / 2 - 1) < 0.1, `velocity sigma ${vel.sd}`);
  t.ok(reports.every((r) => Math.abs(r.positionSigmaM - Math.sqrt((100 + 2 * crossRangeSigma ** 2) / 3)) < 0.01));
  await b.sim.stop();
});

t.test(
  'detection probability, coasting and drops lost / out-of-coverage; false alarms are unknown and short-lived',
  async (t) => {
    const leaving = {
      ...crossing,
      id: 'leaving',
      position: { eastM: 49_000, northM: 0, upM: 1000 },
      velocity: { eastMps: 500, northMps: 0, upMps: 0 },
    };
    const b = await bench({
      ...withTargets([crossing, leaving], {
        scanPeriodMs: 500,
        detectionProbability: 0.7,
        falseAlarmRatePerS: 2,
        coastScans: 2,
      }),
      durationS: 200,
    });
    const host = b.host('radar-1');
    await b.clock.advance(120_000_000);
    const reports = host.all('TRACK_REPORT');
    const drops = host.all('TRACK_DROP');
    const real = reports.filter((r) => r.iffClass === 'friendly');
    const scans = b.sim.radar('radar-1').scans;
    const pd = real.length / (scans + 2); // 'leaving' is seen for about two scans
    t.ok(pd > 0.6 && pd < 0.8, `detection ratio ${pd}`);
    t.ok(
      drops.some((d) => d.reason === 'out-of-coverage'),
      'the leaving target left coverage',
    );
    t.ok(
      drops.some((d) => d.reason === 'lost'),
      'coasting ran out or false tracks ended',
    );
    const falseTracks = reports.filter((r) => r.iffClass === 'unknown');
    t.ok(falseTracks.length > 100, `false alarms: ${falseTracks.length}`);
    const perTrack = new Map<number, number>();
    for (const r of falseTracks) perTrack.set(r.trackId, (perTrack.get(r.trackId) ?? 0) + 1);
    t.ok(
      [...perTrack.values()].every((n) => n <= 3),
      'false tracks live at most 3 scans',
    );
    const dropped = new Set(drops.map((d) => d.trackId));
    t.equal(dropped.size, drops.length, 'exactly one TRACK_DROP per track (ICD-RDR-004)');
    const allIds = reports.map((r) => r.trackId);
    for (let i = 1; i < allIds.length; i++) {
      if (dropped.has(allIds[i - 1]!) && allIds[i]! < allIds[i - 1]!) {
        t.notOk(dropped.has(allIds[i]!) && drops.findIndex((d) => d.trackId === allIds[i]) < 0);
      }
    }
    const firstSeen = new Map<number, number>();
    reports.forEach((r, i) => firstSeen.has(r.trackId) || firstSeen.set(r.trackId, i));
    const order = [...firstSeen.keys()];
    t.same(
      order,
      [...order].sort((a, b) => a - b),
      'track numbers only grow: never reused',
    );
    await b.sim.stop();
  },
);

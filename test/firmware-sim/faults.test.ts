import t from 'tap';
import type { ScenarioInput } from '../../src/config/scenario-schema.js';
import { HEARTBEAT_PERIOD_US } from '../../src/protocol/timing-rules.js';
import { LINK_LOSS_GRACE_US } from '../../firmware-sim/faults/outage-tracker.js';
import { BASE_SCENARIO, armedLauncher, bench } from './sim-harness.js';

type Fault = NonNullable<NonNullable<ScenarioInput['radars']>[number]['faults']>[number];

function withRadarFaults(faults: Fault[]): ScenarioInput {
  return { ...BASE_SCENARIO, radars: [{ ...BASE_SCENARIO.radars![0]!, faults }] };
}

t.test(
  'drop and bit flips corrupt frames: the host rejects them by CRC, the device rejects what it gets',
  async (t) => {
    const b = await bench(
      withRadarFaults([
        { kind: 'drop', rate: 0.01 },
        { kind: 'bit-flip', rate: 0.01 },
      ]),
    );
    const host = b.host('radar-1');
    for (let i = 0; i < 50; i++) {
      host.hello();
      await b.clock.advance(20_000);
    }
    await b.clock.advance(2_000_000);
    const counters = host.reader.counters;
    const rejected = Object.values(counters.errors).reduce((a, n) => a + n, 0);
    t.ok(counters.framesOk > 20, `some frames pass: ${counters.framesOk}`);
    t.ok(rejected > 5, `some frames rejected: ${JSON.stringify(counters.errors)}`);
    const wire = b.sim.radar('radar-1').wire.counters;
    t.ok(wire['to-host'].droppedBytes > 0 && wire['to-host'].flippedBytes > 0);
    t.ok(wire['to-device'].droppedBytes + wire['to-device'].flippedBytes > 0, 'host → device corrupted too');
    const deviceRejected = Object.values(b.sim.radar('radar-1').reader.counters.errors).reduce((a, n) => a + n, 0);
    t.ok(deviceRejected > 0, 'the device discarded corrupted HELLOs (ICD-FRM-010)');
    t.ok(host.all('IDENT').length < 50 && host.all('IDENT').length > 10, `IDENTs: ${host.all('IDENT').length}`);
    await b.sim.stop();
  },
);

t.test('garbage bursts, duplicates and latency with jitter (order kept)', async (t) => {
  const b = await bench(
    withRadarFaults([
      { kind: 'garbage', ratePerS: 20, minBytes: 5, maxBytes: 50, direction: 'to-host' },
      { kind: 'duplicate', rate: 0.2, direction: 'to-host' },
      { kind: 'latency', latencyMs: 10, jitterMs: 4, direction: 'to-host' },
    ]),
  );
  const host = b.host('radar-1');
  await b.clock.advance(3_000_000);
  const counters = b.sim.radar('radar-1').wire.counters['to-host'];
  t.ok(counters.garbageBytes > 1000, `garbage ${counters.garbageBytes}`);
  t.ok(counters.duplicatedFrames > 5);
  const beats = host.all('HEARTBEAT');
  const counts = beats.map((h) => h.heartbeatCount);
  t.ok(counts.length > new Set(counts).size, 'duplicated frames arrive twice (same seq)');
  for (let i = 1; i < counts.length; i++) t.ok(counts[i]! >= counts[i - 1]!, 'never reordered');
  const first = host.receivedAtUs[host.received.indexOf(beats[0]!)]!;
  t.ok(first >= 10_000 && first <= 14_500, `first heartbeat delayed by latency: ${first}`);
  await b.sim.stop();
});

t.test('silence: nothing leaves the device for the window; the device still receives', async (t) => {
  const b = await bench(withRadarFaults([{ kind: 'silence', atS: 1, forS: 0.5 }]));
  const host = b.host('radar-1');
  await b.clock.runUntil(1_100_000);
  host.hello();
  await b.clock.runUntil(2_000_000);
  const times = host.receivedAtUs;
  t.notOk(
    times.some((x) => x > 1_000_500 && x < 1_500_000),
    'no frame inside the window',
  );
  t.ok(times.some((x) => x > 1_500_000));
  t.ok(b.sim.radar('radar-1').handshaken, 'HELLO received while silent');
  t.match(b.truth.ofKind('fault'), [
    { deviceId: 'radar-1', fault: 'silence', phase: 'start', tUs: 1_000_000 },
    { deviceId: 'radar-1', fault: 'silence', phase: 'end', tUs: 1_500_000 },
  ]);
  await b.sim.stop();
});

t.test('disconnect: the link pair is unplugged for D, the device reopens after; the watchdog trips', async (t) => {
  const b = await bench({
    ...BASE_SCENARIO,
    launchers: [{ ...BASE_SCENARIO.launchers![0]!, faults: [{ kind: 'disconnect', atS: 2, forS: 2 }] }],
  });
  const host = await armedLauncher(b);
  const launcher = b.sim.launcher('launcher-1');
  host.pair.hostEnd.on('close', () => host.stopHeartbeats());
  await b.clock.runUntil(2_000_100);
  t.notOk(host.pair.plugged);
  t.notOk(host.pair.hostEnd.isOpen, 'the host end saw the unplug');
  await b.clock.runUntil(2_400_000);
  t.equal(launcher.state, 'safe', 'watchdog: SAFE');
  t.equal(launcher.watchdog, 'tripped');
  await b.clock.runUntil(4_000_100);
  t.ok(host.pair.plugged);
  await host.pair.hostEnd.open();
  const before = host.received.length;
  await b.clock.advance(200_000);
  t.ok(host.received.length > before, 'the device end reopened and talks again');
  t.equal(launcher.port.opens, 2);
  await b.sim.stop();
});

t.test('a FIRE received while the link is down is recorded (should never happen)', async (t) => {
  const b = await bench({
    ...BASE_SCENARIO,
    launchers: [{ ...BASE_SCENARIO.launchers![0]!, faults: [{ kind: 'silence', atS: 1, forS: 1 }] }],
  });
  const host = await armedLauncher(b); // now ~0.66 s
  const launcher = b.sim.launcher('launcher-1');
  await b.clock.runUntil(1_000_000 + LINK_LOSS_GRACE_US - HEARTBEAT_PERIOD_US);
  host.command({
    type: 'FIRE',
    commandId: 1,
    trackId: 1,
    executeAtUs: launcher.deviceClock.nowUs() + 5_000_000,
    aimEastM: 1,
    aimNorthM: 1,
    aimUpM: 1,
  });
  await b.clock.advance(10_000);
  t.equal(b.truth.ofKind('fire-while-link-down').length, 0, 'inside the grace period the host cannot know yet');
  await b.clock.runUntil(1_000_000 + LINK_LOSS_GRACE_US + 1);
  host.command({
    type: 'FIRE',
    commandId: 2,
    trackId: 1,
    executeAtUs: launcher.deviceClock.nowUs() + 5_000_000,
    aimEastM: 1,
    aimNorthM: 1,
    aimUpM: 1,
  });
  await b.clock.advance(10_000);
  t.match(b.truth.ofKind('fire-while-link-down'), [{ launcherId: 'launcher-1', commandId: 2 }]);
  await b.clock.runUntil(2_500_000);
  host.command({
    type: 'FIRE',
    commandId: 3,
    trackId: 1,
    executeAtUs: launcher.deviceClock.nowUs() + 5_000_000,
    aimEastM: 1,
    aimNorthM: 1,
    aimUpM: 1,
  });
  await b.clock.advance(10_000);
  t.equal(b.truth.ofKind('fire-while-link-down').length, 2, 'still down after the fault until a HELLO');
  host.hello();
  await b.clock.advance(10_000);
  host.command({
    type: 'FIRE',
    commandId: 4,
    trackId: 1,
    executeAtUs: launcher.deviceClock.nowUs() + 5_000_000,
    aimEastM: 1,
    aimNorthM: 1,
    aimUpM: 1,
  });
  await b.clock.advance(10_000);
  t.equal(b.truth.ofKind('fire-while-link-down').length, 2, 'up again after the re-handshake');
  t.equal(b.sim.world.totals.firesWhileLinkDown, 2);
  await b.sim.stop();
});

t.test('nak-all refuses everything with the reason; slow answers late; both injectable at run time', async (t) => {
  const b = await bench();
  const host = await armedLauncher(b);
  const faults = b.sim.faults('launcher-1');
  const nak = faults.inject({ kind: 'nak-all', reason: 'busy' });
  const seq = host.command({ type: 'SLEW', commandId: 70, azimuthDeg: 10, elevationDeg: 10 });
  await b.clock.advance(20_000);
  t.match(host.answerTo(seq), { type: 'NAK', reason: 'busy' });
  t.equal(b.sim.launcher('launcher-1').slew.target.azimuthDeg, 0, 'refused: no effect (ICD-CMN-006)');
  nak.clear();
  t.ok(nak.ended);
  const slow = faults.inject({ kind: 'slow', delayMs: 30 });
  const sentUs = b.clock.nowUs();
  const seq2 = host.command({ type: 'SLEW', commandId: 71, azimuthDeg: 10, elevationDeg: 10 });
  await b.clock.advance(25_000);
  t.equal(host.answerTo(seq2), undefined, 'not within 20 ms');
  await b.clock.advance(10_000);
  const index = host.received.indexOf(host.answerTo(seq2)!);
  t.ok(index >= 0 && host.receivedAtUs[index]! - sentUs >= 30_000);
  slow.clear();
  t.same(faults.activeFaults, []);
  await b.sim.stop();
});

t.test('faults draw from seeded per-fault streams: same seed, same corruption', async (t) => {
  const run = async (): Promise<number[]> => {
    const b = await bench(
      withRadarFaults([
        { kind: 'bit-flip', rate: 0.05 },
        { kind: 'garbage', ratePerS: 5 },
      ]),
    );
    await b.clock.advance(1_000_000);
    await b.sim.stop();
    return b.host('radar-1').bytes;
  };
  t.same(await run(), await run());
});

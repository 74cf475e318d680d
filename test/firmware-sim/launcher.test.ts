import t from 'tap';
import type { ScenarioInput } from '../../src/config/scenario-schema.js';
import type { MessageBody } from '../../src/protocol/message-types.js';
import { LAUNCHER_WATCHDOG_US } from '../../src/protocol/timing-rules.js';
import { BASE_SCENARIO, StallingSimClock, armedLauncher, bench } from './sim-harness.js';

const SKEWED: ScenarioInput = {
  ...BASE_SCENARIO,
  launchers: [{ ...BASE_SCENARIO.launchers![0]!, clock: { offsetUs: 2_500_000, driftPpm: 50 } }],
};

function fire(
  commandId: number,
  executeAtUs: number,
  extra: Partial<Extract<MessageBody, { type: 'FIRE' }>> = {},
): MessageBody {
  return {
    type: 'FIRE',
    commandId,
    trackId: 7,
    executeAtUs,
    aimEastM: 10_000,
    aimNorthM: 5_000,
    aimUpM: 8_000,
    ...extra,
  };
}

t.test(
  'powers on SAFE, status every 100 ms, heartbeats with no host listening (ICD-LNCH-001, ICD-CMN-003)',
  async (t) => {
    const b = await bench();
    const host = b.host('launcher-1');
    await b.clock.advance(1_000_000);
    const statuses = host.all('LAUNCHER_STATUS');
    t.ok(statuses.length >= 10);
    t.ok(statuses.every((s) => s.state === 'safe'));
    t.equal(statuses[0]!.watchdog, 'ok');
    t.equal(statuses[statuses.length - 1]!.watchdog, 'tripped', 'the watchdog runs from power-on (ICD-LNCH-004)');
    t.ok(statuses.every((s) => s.watchdog === 'ok' || s.deviceTimeUs >= LAUNCHER_WATCHDOG_US));
    const times = host.all('HEARTBEAT').map((h) => h.senderTimeUs);
    t.ok(times.length >= 19);
    for (let i = 1; i < times.length; i++) {
      t.ok(Math.abs(times[i]! - times[i - 1]! - 50_000) <= 1_000, 'heartbeat every 50 ms (±10 ms allowed)');
    }
    t.equal(times[times.length - 1]! - times[0]!, 50_000 * (times.length - 1), 'on absolute deadlines');
    t.same(
      host.all('HEARTBEAT').map((h) => h.heartbeatCount),
      times.map((_, i) => i),
    );
    await b.sim.stop();
  },
);

t.test('commands before HELLO are refused not-handshaken, except SAFE (ICD-CMN-001, ICD-LNCH-003)', async (t) => {
  const b = await bench();
  const host = b.host('launcher-1');
  host.startHeartbeats();
  const seq = host.command({ type: 'ARM', commandId: 1 });
  const safe = host.command({ type: 'SAFE', commandId: 2 });
  await b.clock.advance(30_000);
  t.match(host.answerTo(seq), { type: 'NAK', reason: 'not-handshaken', commandId: 1 });
  t.match(host.answerTo(safe), { type: 'ACK', commandId: 2 });
  t.equal(b.sim.launcher('launcher-1').state, 'safe');
  await b.sim.stop();
});

t.test('a retransmission of a refused command is evaluated again (ICD-CMN-008)', async (t) => {
  const b = await bench();
  const host = b.host('launcher-1');
  host.hello();
  await b.clock.advance(10_000);
  const body: MessageBody = { type: 'ARM', commandId: 4 };
  const seq = host.command(body);
  await b.clock.advance(10_000);
  t.match(host.answerTo(seq), { type: 'NAK', reason: 'no-heartbeat' });
  host.startHeartbeats();
  await b.clock.advance(10_000);
  host.retransmit(body, seq);
  await b.clock.advance(10_000);
  t.match(host.last('ACK'), { ackedSeq: seq, commandId: 4 });
  t.equal(b.sim.launcher('launcher-1').state, 'arming');
  await b.sim.stop();
});

t.test(
  'ARM: no-heartbeat without a live host heartbeat; SAFE → ARMING → ARMED; repeated ARM no effect (ICD-LNCH-002)',
  async (t) => {
    const b = await bench();
    const host = b.host('launcher-1');
    const launcher = b.sim.launcher('launcher-1');
    host.hello();
    await b.clock.advance(10_000);
    const refused = host.command({ type: 'ARM', commandId: 1 });
    await b.clock.advance(20_000);
    t.match(host.answerTo(refused), { type: 'NAK', reason: 'no-heartbeat' });
    host.startHeartbeats();
    await b.clock.advance(10_000);
    const seq = host.command({ type: 'ARM', commandId: 2 });
    await b.clock.advance(20_000);
    t.match(host.answerTo(seq), { type: 'ACK', commandId: 2 });
    t.equal(launcher.state, 'arming');
    t.equal(host.last('LAUNCHER_STATUS')?.state, 'arming', 'status on state change');
    await b.clock.advance(500_000);
    t.equal(launcher.state, 'armed');
    const again = host.command({ type: 'ARM', commandId: 3 });
    await b.clock.advance(20_000);
    t.match(host.answerTo(again), { type: 'ACK' });
    t.equal(launcher.state, 'armed');
    await b.sim.stop();
  },
);

t.test(
  'FIRE executes exactly at executeAtUs in the launcher clock, with offset and drift (ICD-LNCH-009)',
  async (t) => {
    const b = await bench(SKEWED);
    const host = await armedLauncher(b);
    const launcher = b.sim.launcher('launcher-1');
    const executeAtUs = launcher.deviceClock.nowUs() + 123_457;
    const seq = host.command(fire(100, executeAtUs));
    await b.clock.advance(20_000);
    t.match(host.answerTo(seq), { type: 'ACK', commandId: 100 });
    t.equal(launcher.pending?.commandId, 100);
    t.equal(host.last('LAUNCHER_STATUS')?.pendingFireCommandId, 100);
    await b.clock.runUntil(launcher.deviceClock.toSharedUs(executeAtUs) + 100_000);
    t.equal(launcher.state, 'firing', 'FIRING during the launch delay');
    t.equal(host.last('LAUNCHER_STATUS')?.state, 'firing');
    await b.clock.advance(150_000);
    t.equal(launcher.state, 'armed', 'back to ARMED once the interceptor is away');
    const report = host.last('FIRE_REPORT');
    t.match(report, { fireCommandId: 100, result: 'launched', actualTimeUs: executeAtUs, roundsRemaining: 3 });
    const [launch] = b.truth.ofKind('launch');
    t.equal(launch?.launcherTimeUs, executeAtUs, 'executed at the device instant asked');
    t.equal(launch?.executeAtUs, executeAtUs);
    t.ok(Math.abs(launch!.errorUs) < 1e-6, `error ${launch?.errorUs} us`);
    t.equal(launch!.tUs - launch!.executedUs, 200_000, 'the interceptor leaves after the launch delay');
    await b.sim.stop();
  },
);

t.test('every refusal reason, in the order of docs/protocol.md §12 (ICD-LNCH-005..012, ICD-CMN-008)', async (t) => {
  const b = await bench({
    ...BASE_SCENARIO,
    launchers: [{ ...BASE_SCENARIO.launchers![0]!, rounds: 1 }],
  });
  const host = b.host('launcher-1');
  const launcher = b.sim.launcher('launcher-1');
  const now = (): number => launcher.deviceClock.nowUs();
  const nakOf = async (body: MessageBody): Promise<string | undefined> => {
    const seq = host.command(body);
    await b.clock.advance(5_000);
    const answer = host.answerTo(seq);
    return answer?.type === 'NAK' ? answer.reason : answer?.type;
  };
  host.hello();
  host.startHeartbeats();
  await b.clock.advance(60_000);
  t.equal(await nakOf(fire(1, now() + 100_000)), 'bad-state', 'SAFE');
  t.equal(await nakOf(fire(0, now() + 100_000)), 'bad-field', 'command id 0');
  t.equal(await nakOf({ type: 'ABORT', commandId: 19, fireCommandId: 1 }), 'bad-state', 'ABORT in SAFE');
  t.equal(await nakOf({ type: 'ARM', commandId: 2 }), 'ACK');
  t.equal(await nakOf(fire(3, now() + 100_000)), 'bad-state', 'ARMING');
  t.equal(await nakOf({ type: 'ARM', commandId: 20 }), 'ACK', 'ARM while ARMING: no effect');
  await b.clock.advance(500_000);
  t.equal(launcher.state, 'armed');
  t.equal(await nakOf(fire(4, now() - 1)), 'late');
  t.equal(await nakOf(fire(5, now() + 30_000_000 + 10_000)), 'too-far-ahead');
  t.equal(
    await nakOf(fire(21, now() + 100_000, { aimEastM: 100_000 })),
    'out-of-envelope',
    'beyond speed × flight time',
  );
  t.equal(await nakOf(fire(22, now() + 100_000, { aimUpM: -10 })), 'out-of-envelope', 'underground');
  t.equal(await nakOf(fire(6, now() + 30_000_000)), 'ACK', '30 s ahead exactly is accepted');
  t.equal(await nakOf(fire(7, now() + 100_000)), 'busy', 'one pending at a time');
  t.equal(
    await nakOf({ type: 'SLEW', commandId: 23, azimuthDeg: 10, elevationDeg: 10 }),
    'busy',
    'SLEW while a FIRE is pending',
  );
  t.equal(await nakOf(fire(6, now() + 100_000)), 'duplicate-command', 'a new frame reusing the id');
  t.equal(await nakOf({ type: 'ABORT', commandId: 8, fireCommandId: 6 }), 'ACK');
  t.equal(host.last('FIRE_REPORT')?.result, 'aborted');
  t.equal(
    await nakOf({ type: 'ABORT', commandId: 9, fireCommandId: 6 }),
    'bad-state',
    'nothing pending (ICD-LNCH-010)',
  );
  t.equal(await nakOf(fire(6, now() + 100_000)), 'duplicate-command', 'an aborted FIRE id stays used');
  t.equal(launcher.state, 'armed', 'ABORT leaves ARMED');
  t.equal(await nakOf(fire(10, now() + 20_000)), 'ACK');
  await b.clock.advance(50_000);
  t.equal(launcher.state, 'firing');
  t.equal(await nakOf(fire(24, now() + 500_000)), 'busy', 'FIRE in FIRING');
  t.equal(await nakOf({ type: 'ARM', commandId: 25 }), 'bad-state', 'ARM in FIRING');
  t.equal(await nakOf({ type: 'SLEW', commandId: 26, azimuthDeg: 10, elevationDeg: 10 }), 'busy', 'SLEW in FIRING');
  await b.clock.advance(300_000);
  t.equal(launcher.roundsReady, 0);
  t.equal(launcher.state, 'armed', 'out of rounds: stays ARMED');
  t.equal(await nakOf(fire(11, now() + 100_000)), 'no-rounds');
  t.equal(await nakOf({ type: 'SLEW', commandId: 12, azimuthDeg: 360, elevationDeg: 10 }), 'bad-field', 'ICD-LNCH-011');
  t.equal(await nakOf({ type: 'SLEW', commandId: 13, azimuthDeg: 10, elevationDeg: 91 }), 'bad-field');
  t.equal(await nakOf({ type: 'SLEW', commandId: 14, azimuthDeg: 359.5, elevationDeg: 90 }), 'ACK');
  launcher.enterFault();
  await b.clock.advance(1_000);
  t.equal(host.last('LAUNCHER_STATUS')?.state, 'fault', 'status on the change');
  t.equal(await nakOf({ type: 'ARM', commandId: 15 }), 'bad-state', 'FAULT (ICD-LNCH-012)');
  t.equal(await nakOf(fire(16, now() + 100_000)), 'bad-state', 'FAULT');
  t.equal(await nakOf({ type: 'SLEW', commandId: 27, azimuthDeg: 10, elevationDeg: 10 }), 'bad-state', 'FAULT');
  t.equal(await nakOf({ type: 'SAFE', commandId: 17 }), 'ACK');
  t.equal(launcher.state, 'fault', 'SAFE acknowledged, FAULT stays until the fault clears');
  launcher.clearFault();
  t.equal(await nakOf({ type: 'SAFE', commandId: 28 }), 'ACK');
  t.equal(launcher.state, 'safe', 'SAFE leaves a cleared FAULT');
  const received = b.truth.ofKind('fire-received').map((r) => r.outcome);
  t.ok(received.includes('nak:late') && received.includes('accepted') && received.includes('nak:busy'));
  await b.sim.stop();
});

t.test('watchdog: 250 ms without host heartbeat → SAFE, tripped, latched until ARM (ICD-LNCH-004)', async (t) => {
  const b = await bench();
  const host = await armedLauncher(b);
  const launcher = b.sim.launcher('launcher-1');
  const executeAtUs = launcher.deviceClock.nowUs() + 1_000_000;
  host.command(fire(50, executeAtUs));
  await b.clock.advance(20_000);
  t.equal(launcher.pending?.commandId, 50);
  host.stopHeartbeats();
  const lastHeartbeatUs = launcher.lastHostHeartbeatUs!;
  await b.clock.runUntil(lastHeartbeatUs + LAUNCHER_WATCHDOG_US - 1);
  t.equal(launcher.state, 'armed', 'not before 250 ms');
  await b.clock.runUntil(lastHeartbeatUs + LAUNCHER_WATCHDOG_US + 1_000);
  t.equal(launcher.state, 'safe');
  t.equal(launcher.watchdog, 'tripped');
  t.equal(launcher.pending, undefined, 'pending FIRE cancelled');
  t.match(host.last('FIRE_REPORT'), { fireCommandId: 50, result: 'aborted' });
  t.match(host.last('LAUNCHER_STATUS'), { state: 'safe', watchdog: 'tripped' });
  host.startHeartbeats();
  await b.clock.advance(300_000);
  t.equal(launcher.watchdog, 'tripped', 'heartbeats back: still latched');
  const seq = host.command(fire(51, launcher.deviceClock.nowUs() + 100_000));
  await b.clock.advance(20_000);
  t.match(host.answerTo(seq), { type: 'NAK', reason: 'watchdog-latched' });
  const arm = host.command({ type: 'ARM', commandId: 52 });
  await b.clock.advance(600_000);
  t.match(host.answerTo(arm), { type: 'ACK' });
  t.equal(launcher.watchdog, 'ok', 'an accepted ARM clears the latch');
  t.equal(launcher.state, 'armed');
  await b.clock.advance(2_000_000);
  t.equal(b.truth.ofKind('launch').length, 0, 'the cancelled FIRE never launched');
  t.ok(b.truth.ofKind('fire-cancelled').some((r) => r.cause === 'watchdog'));
  await b.sim.stop();
});

t.test('a retransmitted FIRE is ACKed again and never executes twice (ICD-CMN-005, ICD-CMN-008)', async (t) => {
  const b = await bench();
  const host = await armedLauncher(b);
  const launcher = b.sim.launcher('launcher-1');
  const body = fire(77, launcher.deviceClock.nowUs() + 100_000);
  const seq = host.command(body);
  await b.clock.advance(5_000);
  host.retransmit(body, seq);
  host.retransmit(body, seq);
  await b.clock.advance(20_000);
  const acks = host.all('ACK').filter((a) => a.ackedSeq === seq);
  t.equal(acks.length, 3, 'every copy answered');
  await b.clock.advance(300_000);
  host.retransmit(body, seq); // late retransmission after execution
  await b.clock.advance(20_000);
  t.equal(host.all('ACK').filter((a) => a.ackedSeq === seq).length, 4);
  t.equal(b.truth.ofKind('launch').length, 1, 'one launch');
  t.equal(b.truth.ofKind('duplicate-execution').length, 0);
  t.same(
    b.truth.ofKind('fire-received').map((r) => r.outcome),
    ['accepted', 'replayed', 'replayed', 'replayed'],
  );
  await b.sim.stop();
});

t.test('FIRE_REPORT is repeated with the same seq until the host ACKs it (ICD-LNCH-009)', async (t) => {
  const b = await bench();
  const host = await armedLauncher(b);
  const launcher = b.sim.launcher('launcher-1');
  host.command(fire(60, launcher.deviceClock.nowUs() + 50_000));
  await b.clock.advance(600_000);
  const reports = host.all('FIRE_REPORT');
  t.ok(reports.length >= 3, `repeated: ${reports.length}`);
  t.ok(
    reports.every((r) => r.seq === reports[0]!.seq),
    'same seq',
  );
  t.ok(
    reports.slice(1).every((r) => (r.flags & 0x02) !== 0),
    'retransmission flag',
  );
  host.send({ type: 'ACK', ackedSeq: reports[0]!.seq, ackedType: 0x46, commandId: 60 });
  await b.clock.advance(10_000);
  const count = host.all('FIRE_REPORT').length;
  await b.clock.advance(500_000);
  t.equal(host.all('FIRE_REPORT').length, count, 'no more after the ACK');
  await b.sim.stop();
});

t.test(
  'SAFE is always accepted, at once, and cancels a pending FIRE (ICD-LNCH-003); SLEW moves at the slew rate',
  async (t) => {
    const b = await bench();
    const host = await armedLauncher(b);
    const launcher = b.sim.launcher('launcher-1');
    const slewUs = b.clock.nowUs();
    host.command({ type: 'SLEW', commandId: 30, azimuthDeg: 90, elevationDeg: 45 });
    await b.clock.advance(500_000);
    t.equal(launcher.slew.pointingAt(slewUs + 500_000).azimuthDeg, 45, '90 deg/s: half way after 0.5 s');
    const moving = host.last('LAUNCHER_STATUS')!.azimuthDeg;
    t.ok(moving > 30 && moving < 45, `status shows it moving: ${moving}`);
    await b.clock.advance(600_000);
    t.equal(host.last('LAUNCHER_STATUS')?.azimuthDeg, 90);
    host.command(fire(31, launcher.deviceClock.nowUs() + 500_000));
    await b.clock.advance(20_000);
    const seq = host.command({ type: 'SAFE', commandId: 32 });
    await b.clock.advance(20_000);
    t.match(host.answerTo(seq), { type: 'ACK' });
    t.equal(launcher.state, 'safe');
    t.match(host.last('FIRE_REPORT'), { fireCommandId: 31, result: 'aborted' });
    const again = host.command({ type: 'SAFE', commandId: 32 });
    await b.clock.advance(20_000);
    t.match(host.answerTo(again), { type: 'ACK' }, 'SAFE with a reused id is still accepted');
    await b.clock.advance(1_000_000);
    t.equal(b.truth.ofKind('launch').length, 0);
    await b.sim.stop();
  },
);

t.test('SAFE during FIRING aborts the launch still on the rail: no interceptor, round kept', async (t) => {
  const b = await bench();
  const host = await armedLauncher(b);
  const launcher = b.sim.launcher('launcher-1');
  host.command(fire(90, launcher.deviceClock.nowUs() + 20_000));
  await b.clock.advance(100_000);
  t.equal(launcher.state, 'firing');
  host.command({ type: 'SAFE', commandId: 91 });
  await b.clock.advance(500_000);
  t.equal(launcher.state, 'safe');
  t.match(host.last('FIRE_REPORT'), { fireCommandId: 90, result: 'aborted', roundsRemaining: 4 });
  t.equal(b.truth.ofKind('launch').length, 0);
  t.match(b.truth.ofKind('fire-cancelled'), [{ commandId: 90, cause: 'safe', whileFiring: true }]);
  await b.sim.stop();
});

t.test(
  'pointing tolerance: a FIRE the mount cannot reach in time misfires (FAULT) without using a round',
  async (t) => {
    const b = await bench({
      ...BASE_SCENARIO,
      launchers: [
        { ...BASE_SCENARIO.launchers![0]!, pointingToleranceDeg: 2, slewRateDegPerS: 10, initialAzimuthDeg: 0 },
      ],
    });
    const host = await armedLauncher(b);
    const launcher = b.sim.launcher('launcher-1');
    // Aim due south of the launcher: 180 deg away at 10 deg/s.
    host.command(
      fire(40, launcher.deviceClock.nowUs() + 1_000_000, { aimEastM: 1000, aimNorthM: -10_000, aimUpM: 3000 }),
    );
    await b.clock.advance(1_100_000);
    t.match(host.last('FIRE_REPORT'), { fireCommandId: 40, result: 'misfire', roundsRemaining: 4 });
    t.equal(launcher.roundsReady, 4);
    t.equal(launcher.state, 'fault', 'a misfire is a fault (ICD-LNCH-012)');
    host.command({ type: 'SAFE', commandId: 41 });
    await b.clock.advance(10_000);
    t.equal(launcher.state, 'safe', 'cleared at once: SAFE recovers');
    await b.sim.stop();
  },
);

t.test(
  'watchdog: a check that ran late because the simulator stalled waits for the heartbeats queued meanwhile',
  async (t) => {
    let view: StallingSimClock | undefined;
    const b = await bench(BASE_SCENARIO, {}, (clock) => (view = new StallingSimClock(clock)));
    const host = await armedLauncher(b);
    const launcher = b.sim.launcher('launcher-1');
    host.stopHeartbeats();
    await b.clock.advance(10_000);
    // One last heartbeat; the watchdog check it arms (due 250 ms after it arrives) runs 50 ms late.
    view!.window = [b.clock.nowUs() + LAUNCHER_WATCHDOG_US - 5_000, b.clock.nowUs() + LAUNCHER_WATCHDOG_US + 5_000];
    view!.lateUs = 50_000;
    host.heartbeat();
    await b.clock.advance(5_000);
    const dueUs = launcher.lastHostHeartbeatUs! + LAUNCHER_WATCHDOG_US;
    await b.clock.runUntil(dueUs + 52_000);
    t.equal(launcher.watchdog, 'ok', 'a late check does not trip at once');
    host.heartbeat(); // what the host sent during the stall arrives
    await b.clock.advance(100_000);
    t.equal(launcher.watchdog, 'ok', 'the heartbeat arrived within the grace: not tripped');
    t.equal(launcher.state, 'armed');

    // The same stall with the host really silent: tripped at the grace check, within 2 x 250 ms.
    view!.window = [b.clock.nowUs() + LAUNCHER_WATCHDOG_US - 5_000, b.clock.nowUs() + LAUNCHER_WATCHDOG_US + 5_000];
    host.heartbeat();
    await b.clock.advance(5_000);
    const lastUs = launcher.lastHostHeartbeatUs!;
    await b.clock.runUntil(lastUs + LAUNCHER_WATCHDOG_US + 52_000);
    t.equal(launcher.watchdog, 'ok', 'late check: grace');
    await b.clock.runUntil(lastUs + LAUNCHER_WATCHDOG_US + 70_000);
    t.equal(launcher.watchdog, 'tripped', 'silent host: tripped after the grace');
    t.ok(b.clock.nowUs() - lastUs <= 2 * LAUNCHER_WATCHDOG_US);
    await b.sim.stop();
  },
);

t.test('watchdog: on time, it trips at once (no grace without a stall)', async (t) => {
  const b = await bench();
  const host = await armedLauncher(b);
  const launcher = b.sim.launcher('launcher-1');
  host.stopHeartbeats();
  const dueUs = launcher.lastHostHeartbeatUs! + LAUNCHER_WATCHDOG_US;
  await b.clock.runUntil(dueUs + 1_000);
  t.equal(launcher.watchdog, 'tripped');
  await b.sim.stop();
});

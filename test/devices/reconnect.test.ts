import t from 'tap';
import {
  LinkLostError,
  SafeLatchedError,
  type LauncherStatusReport,
  type SessionStateChange,
} from '../../src/devices/index.js';
import { launcherBench, startActive } from './support/bench.js';
import { rejectionOf, settle } from './support/run-command.js';

t.test('unplug/replug: backoff, re-handshake, SAFE first, latched until re-armed', async (t) => {
  const bench = launcherBench({
    device: { clockOffsetUs: 2_500_000, driftPpm: 50 },
    driver: { session: { retransmit: { ackTimeoutUs: 60_000, maxRetransmits: 5 } } },
  });
  await startActive(bench);
  await settle(bench, bench.driver.arm({ commandId: 1 }));
  await bench.clock.advance(500_000);
  t.equal(bench.device.launcherState, 'armed');
  t.notOk(bench.driver.safeLatched);

  const changes: SessionStateChange[] = [];
  bench.driver.on('link-state', (c) => changes.push(c));
  const statuses: LauncherStatusReport[] = [];
  bench.driver.on('status', (s) => statuses.push(s));
  bench.device.reply = (m) => (m.type === 'SLEW' ? { kind: 'ignore' } : undefined);
  const pending = bench.driver.slew({ commandId: 2, azimuthDeg: 10, elevationDeg: 20 });
  await bench.clock.advance(1_000);

  const unplugUs = bench.clock.nowUs();
  bench.link.unplug();
  t.type(await rejectionOf(bench, pending, 10_000), LinkLostError, 'pending command dropped on close');
  t.equal(bench.driver.linkState, 'disconnected');
  t.equal(statuses.at(-1)?.quality, 'stale');
  t.type(await rejectionOf(bench, bench.driver.safe({ commandId: 3 })), LinkLostError, 'refused while down');

  // Unplugged for 2 s: reopen attempts back off 50, 100, 200, 400, 500, 500 ms …
  await bench.clock.runUntil(unplugUs + 2_000_000);
  const attempts = changes.filter((c) => c.state === 'connecting').map((c) => Math.round(c.atHostUs - unplugUs));
  t.same(attempts, [50_000, 150_000, 350_000, 750_000, 1_250_000, 1_750_000]);
  t.ok(changes.every((c) => c.state !== 'handshaking'));

  const writesBeforeReplug = bench.host.writes.length;
  t.equal(bench.host.writes.filter((w) => w.atUs > unplugUs).length, 0, 'nothing is written while the port is gone');
  bench.link.replug();
  await bench.device.open();
  const replugUs = bench.clock.nowUs();
  t.ok(await bench.runUntil(() => bench.driver.linkState === 'active', 1_000_000), 'active again');
  t.ok(bench.clock.nowUs() - replugUs <= 1_000_000, 'within 1 s of the link returning');

  const commands = bench.host.writes.slice(writesBeforeReplug).filter((w) => (w.message.flags & 1) !== 0);
  t.equal(commands[0]?.message.type, 'SAFE', 'SAFE is the first command after reconnect');
  t.equal(bench.device.launcherState, 'safe', 'the launcher came back SAFE');
  t.ok(bench.driver.safeLatched);
  t.equal(bench.driver.status?.state, 'safe');
  t.equal(bench.driver.status?.quality, 'good', 'state re-read: a fresh status');
  t.ok(
    bench.host.writes.slice(writesBeforeReplug).every((w) => w.message.type !== 'SLEW'),
    'the dropped SLEW never resent',
  );

  // Time sync restarts from scratch; wait for it, then FIRE is still refused until ARM.
  await bench.clock.advance(500_000);
  const fire = bench.driver.fire({
    commandId: 4,
    trackId: 1,
    executeAtHostUs: bench.clock.nowUs() + 1_000_000,
    aim: { eastM: 0, northM: 0, upM: 100 },
  });
  t.type(await rejectionOf(bench, fire), SafeLatchedError);
  await settle(bench, bench.driver.arm({ commandId: 5 }));
  t.notOk(bench.driver.safeLatched, 'explicit re-arm releases the latch');
  t.equal(bench.driver.counters().unexpectedCloses, 1);
  t.equal(bench.driver.counters().opens, 2);
});

t.test('open failing at start: retries with backoff, never gives up', async (t) => {
  const bench = launcherBench();
  bench.link.unplug();
  bench.driver.start();
  await bench.clock.runUntil(5_000_000);
  t.equal(bench.driver.linkState, 'disconnected');
  bench.link.replug();
  await bench.device.start();
  t.ok(await bench.runUntil(() => bench.driver.linkState === 'active', 1_000_000));
});

t.test('a device restarted under us (NAK not-handshaken) is re-handshaken', async (t) => {
  const bench = launcherBench();
  await startActive(bench);
  const safesBefore = bench.host.writesOf('SAFE').length;
  bench.device.reply = (m) => (m.type === 'SLEW' ? { kind: 'nak', reason: 'not-handshaken' } : undefined);
  await rejectionOf(bench, bench.driver.slew({ commandId: 9, azimuthDeg: 1, elevationDeg: 1 }));
  t.equal(bench.driver.linkState, 'handshaking');
  bench.device.reply = () => undefined;
  t.ok(await bench.runUntil(() => bench.driver.linkState === 'active', 1_000_000));
  t.equal(bench.host.writesOf('SAFE').length, safesBefore + 1, 'SAFE first again');
});

t.test('a launcher found armed while latched is made SAFE again', async (t) => {
  const bench = launcherBench();
  await startActive(bench);
  bench.device.launcherState = 'armed'; // armed behind the driver's back
  bench.device.sendStatus();
  await bench.clock.advance(50_000);
  t.equal(bench.device.launcherState, 'safe');
});

t.test('stop() sends SAFE and closes; pending rejected', async (t) => {
  const bench = launcherBench();
  await startActive(bench);
  await settle(bench, bench.driver.arm({ commandId: 1 }));
  const stopped = bench.driver.stop();
  await settle(bench, stopped);
  t.equal(bench.driver.linkState, 'stopped');
  t.equal(bench.device.launcherState, 'safe');
  t.notOk(bench.host.isOpen);
});

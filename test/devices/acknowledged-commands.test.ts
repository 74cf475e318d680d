import t from 'tap';
import { AckTimeoutError, NakError } from '../../src/devices/index.js';
import { FLAG_ACK_REQUESTED, FLAG_RETRANSMISSION } from '../../src/framing/index.js';
import { launcherBench, startActive } from './support/bench.js';
import { settle as runCommand } from './support/run-command.js';

t.test('retransmits with the same seq and FLAG_RETRANSMISSION until ACK (ICD-CMN-005)', async (t) => {
  const bench = launcherBench();
  await startActive(bench);
  let ignored = 0;
  bench.device.reply = (m) => (m.type === 'ARM' && ignored++ < 2 ? { kind: 'ignore' } : undefined);
  const receipt = await runCommand(bench, bench.driver.arm({ commandId: 10 }));
  const arms = bench.host.writesOf('ARM');
  t.equal(arms.length, 3);
  t.same(
    arms.map((w) => w.message.flags),
    [FLAG_ACK_REQUESTED, FLAG_ACK_REQUESTED | FLAG_RETRANSMISSION, FLAG_ACK_REQUESTED | FLAG_RETRANSMISSION],
  );
  t.equal(new Set(arms.map((w) => w.message.seq)).size, 1, 'one seq for all transmissions');
  t.equal(receipt.transmissions, 3);
  t.equal(receipt.commandId, 10);
  t.equal(bench.driver.counters().retransmits, 2);
  t.equal(bench.driver.counters().acks >= 2, true);
  t.notOk(bench.driver.safeLatched, 'an accepted ARM releases the SAFE latch');
  // Each retransmission waits ackTimeoutUs (30 ms) after the previous frame's last byte left.
  const gap = arms[1]!.atUs - arms[0]!.atUs;
  t.ok(gap >= 30_000 && gap < 33_000, `retransmit gap ${gap} us`);
});

t.test('NAK rejects with a typed error carrying the reason (ICD-CMN-006)', async (t) => {
  const bench = launcherBench();
  await startActive(bench);
  bench.device.reply = (m) => (m.type === 'ARM' ? { kind: 'nak', reason: 'no-heartbeat' } : undefined);
  const error = await runCommand(bench, bench.driver.arm({ commandId: 11 })).catch((e: unknown) => e);
  t.type(error, NakError);
  t.equal((error as NakError).code, 'nak');
  t.equal((error as NakError).reason, 'no-heartbeat');
  t.equal((error as NakError).commandId, 11);
  t.equal((error as NakError).messageType, 'ARM');
  t.equal(bench.driver.counters().naks['no-heartbeat'], 1);
  t.ok(bench.driver.safeLatched, 'a refused ARM leaves the launcher latched SAFE');
  t.equal(bench.host.writesOf('ARM').length, 1, 'a NAKed frame is not retransmitted');
});

t.test('no answer: bounded retransmission, then a typed timeout, never sent again', async (t) => {
  const bench = launcherBench({ driver: { session: { retransmit: { ackTimeoutUs: 25_000, maxRetransmits: 2 } } } });
  await startActive(bench);
  bench.device.reply = (m) => (m.type === 'SLEW' ? { kind: 'ignore' } : undefined);
  const startUs = bench.clock.nowUs();
  const error = await runCommand(bench, bench.driver.slew({ commandId: 12, azimuthDeg: 90, elevationDeg: 10 })).catch(
    (e: unknown) => e,
  );
  t.type(error, AckTimeoutError);
  t.equal((error as AckTimeoutError).code, 'ack-timeout');
  t.equal((error as AckTimeoutError).transmissions, 3);
  t.equal(bench.host.writesOf('SLEW').length, 3);
  t.ok(bench.clock.nowUs() - startUs < 3 * 28_000, 'gives up after 3 × (line time + 25 ms)');
  t.equal(bench.driver.counters().ackTimeouts, 1);
  await bench.clock.advance(1_000_000);
  t.equal(bench.host.writesOf('SLEW').length, 3, 'never written again');
});

t.test('device frames: duplicates suppressed but ACKed again; one fire-report per outcome', async (t) => {
  const bench = launcherBench();
  await startActive(bench);
  const reports: number[] = [];
  bench.driver.on('fire-report', (r) => reports.push(r.fireCommandId));
  const statusEvents: number[] = [];
  bench.driver.on('status', (s) => statusEvents.push(s.deviceTimeUs));

  const seq = bench.device.sendFireReport(77, bench.device.deviceNowUs());
  await bench.clock.advance(10_000);
  bench.device.sendFireReport(77, bench.device.deviceNowUs(), seq); // retransmission, same seq
  await bench.clock.advance(10_000);
  // The same outcome again under a new seq (a device that renumbers its repeats).
  bench.device.sendFireReport(77, bench.device.deviceNowUs());
  await bench.clock.advance(10_000);
  t.same(reports, [77], 'reported once');
  const acks = bench.host.writesOf('ACK').filter((w) => w.message.commandId === 77);
  t.equal(acks.length, 3, 'every copy that asked for an ACK got one');
  t.equal(acks[0]!.message.ackedSeq, seq);
  t.equal(acks[1]!.message.ackedSeq, seq);
  t.equal(bench.driver.counters().duplicates, 1);

  // A plain duplicate frame (same seq, no flag) is dropped too.
  const before = statusEvents.length;
  const statusSeq = bench.device.send({
    type: 'LAUNCHER_STATUS',
    deviceTimeUs: 1,
    state: 'safe',
    roundsReady: 4,
    azimuthDeg: 0,
    elevationDeg: 0,
    watchdog: 'ok',
    pendingFireCommandId: 0,
    lastCommandId: 0,
  });
  bench.device.send(
    {
      type: 'LAUNCHER_STATUS',
      deviceTimeUs: 1,
      state: 'safe',
      roundsReady: 4,
      azimuthDeg: 0,
      elevationDeg: 0,
      watchdog: 'ok',
      pendingFireCommandId: 0,
      lastCommandId: 0,
    },
    0,
    statusSeq,
  );
  await bench.clock.advance(10_000);
  t.equal(statusEvents.filter((d) => d === 1).length, 1);
  t.equal(statusEvents.length - before, 1);
  t.equal(bench.driver.counters().duplicates, 2);
});

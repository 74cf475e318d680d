import t from 'tap';
import { LinkLostError, type LauncherStatusReport, type SessionStateChange } from '../../src/devices/index.js';
import { type Bench, launcherBench, startActive } from './support/bench.js';
import type { LauncherController } from '../../src/devices/index.js';
import { rejectionOf, settle } from './support/run-command.js';

async function armed(bench: Bench<LauncherController>): Promise<void> {
  await startActive(bench);
  await settle(bench, bench.driver.arm({ commandId: 1 }));
  await bench.clock.advance(300_000); // let time sync settle after its fast start
}

t.test('silence → lost after exactly 150 ms, pending dropped, nothing written but HELLO (ICD-HOST-001)', async (t) => {
  // Retransmissions outlast the 150 ms supervision, so the FIRE is still pending when lost.
  const bench = launcherBench({ driver: { session: { retransmit: { ackTimeoutUs: 60_000, maxRetransmits: 3 } } } });
  let lastRxUs = 0;
  bench.host.on('data', () => (lastRxUs = bench.clock.nowUs()));
  await armed(bench);
  const changes: SessionStateChange[] = [];
  bench.driver.on('link-state', (c) => changes.push(c));
  const statuses: LauncherStatusReport[] = [];
  bench.driver.on('status', (s) => statuses.push(s));

  bench.device.reply = (m) => (m.type === 'FIRE' ? { kind: 'ignore' } : undefined);
  const pending = bench.driver.fire({
    commandId: 2,
    trackId: 9,
    executeAtHostUs: bench.clock.nowUs() + 2_000_000,
    aim: { eastM: 1000, northM: 2000, upM: 3000 },
  });
  await bench.clock.advance(5_000);
  bench.device.silent = true;

  const error = await rejectionOf(bench, pending);
  t.type(error, LinkLostError, 'the pending FIRE is rejected link-lost');
  t.equal((error as LinkLostError).code, 'link-lost');
  const lost = changes.find((c) => c.state === 'lost')!;
  t.ok(lost, 'lost reported');
  t.equal(lost.atHostUs - lastRxUs, 150_000, 'exactly 150 ms after the last byte heard');
  t.equal(bench.driver.linkState, 'lost');
  t.equal(statuses.at(-1)?.quality, 'stale', 'device state STALE');
  t.equal(bench.driver.status?.quality, 'stale');

  // Nothing but HELLO while lost: no FIRE (not even a retransmission), no heartbeat.
  const more = bench.driver.fire({
    commandId: 3,
    trackId: 9,
    executeAtHostUs: bench.clock.nowUs() + 1_000_000,
    aim: { eastM: 1, northM: 2, upM: 3 },
  });
  t.type(await rejectionOf(bench, more), LinkLostError, 'a command while lost is refused at once');
  await bench.clock.advance(1_000_000);
  const whileLost = bench.host.writes.filter((w) => w.atUs >= lost.atHostUs);
  t.same([...new Set(whileLost.map((w) => w.message.type))], ['HELLO'], 'only HELLO written while lost');
  t.equal(whileLost.filter((w) => w.message.type === 'FIRE').length, 0, 'no FIRE frame while lost');
  t.equal(bench.device.fires.length, 0);
  t.equal(bench.driver.counters().linkLosses, 1);

  // The device speaks again: re-handshake, SAFE first, latched until re-armed.
  bench.device.silent = false;
  t.ok(await bench.runUntil(() => bench.driver.linkState === 'active', 1_000_000));
  const after = bench.host.writes.filter((w) => w.atUs > lost.atHostUs && (w.message.flags & 1) !== 0);
  t.equal(after[0]?.message.type, 'SAFE', 'SAFE is the first command after the link returns');
  t.ok(bench.driver.safeLatched);
  t.equal(bench.driver.status?.quality, 'good');
});

t.test('lost while handshaking; a silent device is never commanded', async (t) => {
  const bench = launcherBench();
  bench.device.silent = true;
  await bench.device.start();
  bench.driver.start();
  await bench.clock.advance(1_000_000);
  t.equal(bench.driver.linkState, 'lost');
  t.same([...new Set(bench.host.writes.filter((w) => w.atUs > 150_000).map((w) => w.message.type))], ['HELLO']);
});

t.test('supervision timeout is configurable', async (t) => {
  const bench = launcherBench({ driver: { session: { silenceTimeoutUs: 300_000 } } });
  let lastRxUs = 0;
  bench.host.on('data', () => (lastRxUs = bench.clock.nowUs()));
  await startActive(bench);
  let lostAtUs = 0;
  bench.driver.on('link-state', (c) => {
    if (c.state === 'lost') lostAtUs = c.atHostUs;
  });
  bench.device.silent = true;
  await bench.runUntil(() => lostAtUs > 0, 1_000_000);
  t.equal(lostAtUs - lastRxUs, 300_000);
});

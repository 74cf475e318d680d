import t from 'tap';
import { IncompatibleDeviceError, NotActiveError, type SessionStateChange } from '../../src/devices/index.js';
import { SCHEMA_HASH } from '../../src/protocol/index.js';
import { launcherBench, radarBench, startActive } from './support/bench.js';

t.test('handshake: HELLO, IDENT, SAFE first, fresh status, then active', async (t) => {
  const bench = launcherBench();
  const states: SessionStateChange[] = [];
  bench.driver.on('link-state', (change) => states.push(change));
  await startActive(bench);
  t.same(
    states.map((s) => s.state),
    ['connecting', 'handshaking', 'active'],
  );
  const first = bench.host.writes[0]!.message;
  t.equal(first.type, 'HEARTBEAT', 'heartbeat from link open');
  t.equal(bench.host.writes[1]!.message.type, 'HELLO');
  const commands = bench.host.writes.filter((w) => (w.message.flags & 1) !== 0);
  t.equal(commands[0]?.message.type, 'SAFE', 'the first command after the handshake is SAFE');
  t.equal(bench.device.launcherState, 'safe');
  t.ok(bench.driver.safeLatched);
  t.equal(bench.driver.status?.state, 'safe');
  t.equal(bench.driver.ident?.schemaHash, SCHEMA_HASH);
  t.equal(bench.driver.ident?.deviceKind, 'launcher');
});

t.test('HELLO every 200 ms until IDENT (ICD-CMN-001)', async (t) => {
  const bench = radarBench();
  bench.device.answerHello = false;
  await bench.device.start();
  bench.driver.start();
  await bench.clock.runUntil(1_000_000);
  const hellos = bench.host.writesOf('HELLO').map((w) => w.atUs);
  t.same(hellos, [0, 200_000, 400_000, 600_000, 800_000, 1_000_000]);
  t.equal(bench.driver.linkState, 'handshaking');
  await t.rejects(bench.driver.setMode({ commandId: 1, mode: 'standby' }), NotActiveError);
  bench.device.answerHello = true;
  t.ok(await bench.runUntil(() => bench.driver.linkState === 'active', 400_000));
  const hellosWhenActive = bench.host.writesOf('HELLO').length;
  t.ok(hellosWhenActive <= hellos.length + 1);
  await bench.clock.advance(1_000_000);
  t.equal(bench.host.writesOf('HELLO').length, hellosWhenActive, 'HELLO stops once IDENT arrived');
});

t.test('schema-hash mismatch fails closed (ICD-CMN-002)', async (t) => {
  const bench = launcherBench({ device: { schemaHash: (SCHEMA_HASH ^ 1) >>> 0 } });
  const states: SessionStateChange[] = [];
  bench.driver.on('link-state', (change) => states.push(change));
  await bench.device.start();
  bench.driver.start();
  t.ok(await bench.runUntil(() => bench.driver.linkState === 'incompatible', 1_000_000));
  const change = states.at(-1)!;
  t.match(change.reason, /schema hash/);
  const writesAtMismatch = bench.host.writes.length;
  await t.rejects(bench.driver.arm({ commandId: 7 }), IncompatibleDeviceError);
  await t.rejects(bench.driver.safe({ commandId: 8 }), IncompatibleDeviceError);
  await bench.clock.advance(2_000_000);
  t.equal(bench.host.writes.length, writesAtMismatch, 'nothing at all is written after the mismatch');
  const commandTypes = bench.host.writes.filter((w) => (w.message.flags & 1) !== 0);
  t.same(commandTypes, [], 'no command was ever sent');
  t.equal(bench.driver.ident?.schemaHash, (SCHEMA_HASH ^ 1) >>> 0, 'the mismatch is reported');
});

t.test('a device of the other kind fails closed too', async (t) => {
  // A radar answering on the launcher's port.
  const bench = launcherBench({ device: { identKind: 'radar' } });
  await bench.device.start();
  bench.driver.start();
  t.ok(await bench.runUntil(() => bench.driver.linkState === 'incompatible', 1_000_000));
  t.same(bench.host.writesOf('SAFE'), []);
});

t.test('a launcher refusing SAFE is never made active; retries at the HELLO period', async (t) => {
  const bench = launcherBench();
  bench.device.reply = (m) => (m.type === 'SAFE' ? { kind: 'nak', reason: 'busy' } : undefined);
  await bench.device.start();
  bench.driver.start();
  await bench.clock.runUntil(1_000_000);
  t.equal(bench.driver.linkState, 'handshaking');
  const hellos = bench.host.writesOf('HELLO').map((w) => w.atUs);
  t.ok(hellos.length >= 4 && hellos.length <= 6, `${hellos.length} HELLOs in 1 s`);
  t.ok(
    hellos.slice(1).every((at, i) => at - hellos[i]! >= 200_000),
    'no faster than one HELLO per 200 ms',
  );
  bench.device.reply = () => undefined;
  t.ok(await bench.runUntil(() => bench.driver.linkState === 'active', 1_000_000));
});

import t from 'tap';
import type { MessageBody } from '../../src/protocol/message-types.js';
import { behaviour } from '../../firmware-sim/behaviours/behaviour.js';
import type { SimulatedLauncher } from '../../firmware-sim/launcher/launcher-firmware.js';
import { ExpectTimeoutError, SimulatorError } from '../../firmware-sim/simulator-error.js';
import { armedLauncher, bench } from './sim-harness.js';

const fire = (commandId: number, executeAtUs: number): MessageBody => ({
  type: 'FIRE',
  commandId,
  trackId: 1,
  executeAtUs,
  aimEastM: 5000,
  aimNorthM: 5000,
  aimUpM: 5000,
});

t.test('default behaviour chain, in priority order', async (t) => {
  const b = await bench();
  t.same(b.sim.launcher('launcher-1').behaviours.names, [
    'nak-all',
    'handshake',
    'retransmission',
    'command-id',
    'fire',
    'abort',
    'arm',
    'safe',
    'slew',
    'hello',
    'heartbeat',
    'time-sync',
    'host-answer',
    'unsupported',
  ]);
  t.same(b.sim.radar('radar-1').behaviours.names.slice(4, 5), ['set-mode']);
  t.throws(
    () =>
      b.sim.radar('radar-1').behaviours.replace(
        'fire',
        behaviour('x', () => true),
      ),
    SimulatorError,
  );
  t.throws(() => b.sim.radar('launcher-1'), { code: 'wrong-device-kind' });
  t.throws(() => b.sim.device('nope'), { code: 'unknown-device' });
  await b.sim.stop();
});

t.test(
  'replacing the FIRE behaviour: a firmware that executes a retransmission again is caught by the truth log',
  async (t) => {
    const b = await bench();
    const host = await armedLauncher(b);
    const launcher = b.sim.launcher('launcher-1');
    // A buggy firmware: no retransmission memory, FIRE executes whatever the state.
    launcher.behaviours.remove('retransmission');
    launcher.behaviours.remove('command-id');
    launcher.behaviours.replace(
      'fire',
      behaviour<SimulatedLauncher>('fire', (ctx) => {
        if (ctx.message.type !== 'FIRE') return false;
        ctx.ack();
        ctx.device.scheduleFire(ctx.message, ctx.receivedAtUs);
        return true;
      }),
    );
    const body = fire(5, launcher.deviceClock.nowUs() + 50_000);
    const seq = host.command(body);
    await b.clock.advance(400_000);
    host.retransmit(body, seq); // its execute-at is past: this firmware launches at once, again
    await b.clock.advance(600_000);
    t.equal(b.truth.ofKind('launch').length, 2);
    t.match(b.truth.ofKind('duplicate-execution'), [{ launcherId: 'launcher-1', commandId: 5, executions: 2 }]);
    t.equal(b.sim.world.totals.duplicateExecutions, 1);
    await b.sim.stop();
  },
);

t.test('an added behaviour sees messages first; returning false passes them on', async (t) => {
  const b = await bench();
  const radar = b.sim.radar('radar-1');
  const seen: string[] = [];
  radar.behaviours.add(behaviour('spy', (ctx) => (seen.push(ctx.message.type), false)));
  radar.behaviours.add(behaviour('mute-time-sync', (ctx) => ctx.message.type === 'TIME_SYNC_REQUEST'));
  const host = b.host('radar-1');
  host.hello();
  host.send({ type: 'TIME_SYNC_REQUEST', t1HostUs: 1 });
  await b.clock.advance(20_000);
  t.same(seen, ['HELLO']);
  t.ok(host.last('IDENT'));
  t.equal(host.last('TIME_SYNC_RESPONSE'), undefined, 'swallowed by the added behaviour');
  radar.behaviours.remove('mute-time-sync');
  host.send({ type: 'TIME_SYNC_REQUEST', t1HostUs: 2 });
  await b.clock.advance(20_000);
  t.equal(host.last('TIME_SYNC_RESPONSE')?.t1HostUs, 2);
  await b.sim.stop();
});

t.test('expectHostMessage resolves with the first match, rejects on clock timeout', async (t) => {
  const b = await bench();
  const host = b.host('launcher-1');
  const arm = b.sim.expectHostMessage('launcher-1', (m) => m.type === 'ARM', 100_000);
  const never = b.sim.expectHostMessage('launcher-1', (m) => m.type === 'ABORT', 200_000);
  const rejected = t.rejects(never, ExpectTimeoutError);
  host.hello();
  host.command({ type: 'ARM', commandId: 3 });
  await b.clock.advance(250_000);
  t.match(await arm, { type: 'ARM', commandId: 3 });
  await rejected;
  const timedOut = await never.catch((e: unknown) => e);
  t.match(timedOut, { code: 'expect-timeout', deviceId: 'launcher-1', timeoutUs: 200_000 });
  t.equal(b.clock.nowUs(), 250_000, 'timed by the clock, not the wall');
  await b.sim.stop();
});

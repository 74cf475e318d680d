import { createSocket } from 'node:dgram';
import t from 'tap';
import type { World } from '../../firmware-sim/index.js';
import { startSharedSky } from '../../src/compose/shared-sky.js';
import { RealClock } from '../../src/time/real-clock.js';
import { freePort } from '../bridge/support/mosquitto.js';

/**
 * One sky across node processes: a kill in one world goes to the peers' simulators and ends the
 * target there (destroyed elsewhere); datagrams that are not a well-formed kill are counted and
 * change nothing.
 */

/** The part of a World the sky uses, recording what it is told. */
function fakeWorld(flying: string[]) {
  const ended: string[] = [];
  const kills: ((targetId: string, atUs: number) => void)[] = [];
  const world = {
    flyingTargets: () => flying.filter((id) => !ended.includes(id)).map((id) => ({ id })),
    destroyElsewhere: (targetId: string) => {
      if (flying.includes(targetId) && !ended.includes(targetId)) ended.push(targetId);
    },
    onKill: (listener: (targetId: string, atUs: number) => void) => kills.push(listener),
  };
  return { world: world as unknown as World, ended, kill: (id: string) => kills.forEach((k) => k(id, 0)) };
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

t.test('a kill in one world ends the target in the other; garbage changes nothing', async (t) => {
  const [portA, portB] = [await freePort(), await freePort()];
  const a = fakeWorld(['tbm-1', 'cm-2']);
  const b = fakeWorld(['tbm-1', 'cm-2']);
  const clock = new RealClock();
  const skyA = await startSharedSky({
    config: { port: portA, peers: [`127.0.0.1:${portB}`] },
    world: a.world,
    clock,
    log: () => undefined,
  });
  t.teardown(() => skyA.stop());
  const skyB = await startSharedSky({
    config: { port: portB, peers: [`127.0.0.1:${portA}`] },
    world: b.world,
    clock,
    log: () => undefined,
  });
  t.teardown(() => skyB.stop());

  const evil = createSocket('udp4');
  t.teardown(() => evil.close());
  const garbage = [
    Buffer.from('not json'),
    Buffer.from(JSON.stringify({ v: 2, kind: 'shieldlink-sky-kill', targetId: 'cm-2' })),
    Buffer.from(JSON.stringify({ v: 1, kind: 'fire', targetId: 'cm-2' })),
    Buffer.from(JSON.stringify({ v: 1, kind: 'shieldlink-sky-kill', targetId: '../cm-2' })),
    Buffer.from(JSON.stringify({ v: 1, kind: 'shieldlink-sky-kill', targetId: 7 })),
    Buffer.alloc(600, 0x7b),
  ];
  for (const g of garbage) evil.send(g, portB, '127.0.0.1');
  a.kill('tbm-1');
  t.ok(
    await (async () => {
      for (let i = 0; i < 100 && b.ended.length === 0; i++) await settle(20);
      return b.ended.length > 0;
    })(),
    'the kill arrived',
  );
  await settle(200);
  t.same(b.ended, ['tbm-1'], 'tbm-1 ended in B’s world, nothing else');
  t.same(a.ended, [], 'A’s own kill is not sent back to it');
  t.same(skyA.counters, { killsSent: 1, killsReceived: 0, endedHere: 0, dropped: 0 });
  t.same(skyB.counters, { killsSent: 0, killsReceived: 1, endedHere: 1, dropped: garbage.length });
});

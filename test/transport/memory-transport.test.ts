import fc from 'fast-check';
import t from 'tap';
import { SYNC_ONLY } from '../../src/time/clock.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { createMemoryLinkPair } from '../../src/transport/memory-transport.js';
import { type SyncHandover, syncHandoverOf } from '../../src/transport/transport.js';
import { EndRecorder } from './end-recorder.js';
import { RecordingClock } from './recording-clock.js';
import { type LinkUnderTest, transportContract } from './transport-contract.js';

/** A virtual-clock memory link whose driving is `runUntilCondition`. */
async function memoryLink(): Promise<LinkUnderTest & { clock: VirtualClock }> {
  const clock = new VirtualClock();
  const pair = createMemoryLinkPair({ clock, name: 'contract' });
  await pair.hostEnd.open();
  await pair.deviceEnd.open();
  return {
    a: pair.hostEnd,
    b: pair.deviceEnd,
    clock,
    async waitFor(condition, what) {
      if (!(await clock.runUntilCondition(condition, clock.nowUs() + 60_000_000))) {
        throw new Error(`memory link: ${what} never happened`);
      }
    },
    async dispose() {
      await pair.hostEnd.close();
      await pair.deviceEnd.close();
    },
  };
}

transportContract('memory', memoryLink, { peerSeesRemoteClose: false });

t.test('memory: delivery goes through the clock, never inside write()', async (t) => {
  const clock = new VirtualClock(1_000);
  const pair = createMemoryLinkPair({ clock, name: 'radar-1' });
  t.equal(pair.hostEnd.url, 'memory:radar-1');
  t.equal(pair.deviceEnd.url, 'memory:radar-1?end=device');
  await pair.hostEnd.open();
  await pair.deviceEnd.open();
  const device = new EndRecorder(pair.deviceEnd);
  const arrivals: number[] = [];
  pair.deviceEnd.on('data', () => arrivals.push(clock.nowUs()));
  const buffer = new Uint8Array([1, 2, 3]);
  await pair.hostEnd.write(buffer);
  buffer[0] = 99; // the caller may reuse its buffer at once
  await pair.hostEnd.write(new Uint8Array([4]));
  t.equal(device.byteCount, 0, 'nothing delivered before the clock runs');
  t.equal(clock.pendingTimers, 2, 'one timer per write');
  await clock.runUntil(1_000);
  t.same([...device.received()], [1, 2, 3, 4], 'delivered in write order, copied at write time');
  t.same(arrivals, [1_000, 1_000], 'at the writer’s instant');
});

t.test('memory: bytes reaching an end that is not open are lost (a UART that is off)', async (t) => {
  const clock = new VirtualClock();
  const pair = createMemoryLinkPair({ clock });
  await pair.hostEnd.open();
  const device = new EndRecorder(pair.deviceEnd);
  await pair.hostEnd.write(new Uint8Array([1]));
  await clock.runUntil(10);
  await pair.deviceEnd.open();
  await pair.hostEnd.write(new Uint8Array([2]));
  await clock.runUntil(20);
  t.same([...device.received()], [2]);
});

t.test('memory: unplug closes both ends, loses bytes in flight, refuses open until replug', async (t) => {
  const clock = new VirtualClock();
  const pair = createMemoryLinkPair({ clock, name: 'launcher-1' });
  await pair.hostEnd.open();
  await pair.deviceEnd.open();
  const host = new EndRecorder(pair.hostEnd);
  const device = new EndRecorder(pair.deviceEnd);
  t.ok(pair.plugged);

  await pair.hostEnd.write(new Uint8Array([1, 2, 3]));
  await pair.deviceEnd.write(new Uint8Array([4]));
  pair.unplug();
  t.notOk(pair.plugged);
  t.same(host.closeReasons(), ['unplugged'], 'host end heard unplugged');
  t.same(device.closeReasons(), ['unplugged'], 'device end heard unplugged');
  t.ok(host.closes[0]?.cause instanceof Error, 'with a cause');
  t.notOk(pair.hostEnd.isOpen || pair.deviceEnd.isOpen, 'both closed');
  t.equal(clock.pendingTimers, 0, 'in-flight deliveries cancelled');
  await clock.runUntil(1_000);
  t.equal(host.byteCount + device.byteCount, 0, 'bytes in flight lost');

  pair.unplug();
  t.equal(host.closes.length, 1, 'unplugging twice is a no-op');
  await t.rejects(pair.hostEnd.open(), { name: 'TransportError', code: 'open-failed' }, 'open refused');
  await t.rejects(pair.deviceEnd.open(), { code: 'open-failed' });
  await t.rejects(pair.hostEnd.write(new Uint8Array([1])), { code: 'not-open' });
  await pair.hostEnd.close();
  t.equal(host.closes.length, 1, 'close while unplugged is a no-op');

  pair.replug();
  t.ok(pair.plugged);
  t.notOk(pair.hostEnd.isOpen, 'replug does not open the ends');
  await pair.hostEnd.open();
  await pair.deviceEnd.open();
  await pair.hostEnd.write(new Uint8Array([5, 6]));
  await clock.runUntil(2_000);
  t.same([...device.received()], [5, 6], 'bytes flow again after replug');
  t.same(host.closeReasons(), ['unplugged'], 'no further close events');
});

t.test('memory: unplug leaves closed ends silent and a reacting listener sees a consistent link', async (t) => {
  const clock = new VirtualClock();
  const pair = createMemoryLinkPair({ clock });
  await pair.hostEnd.open();
  const device = new EndRecorder(pair.deviceEnd);
  const reopenAttempts: Promise<void>[] = [];
  pair.hostEnd.on('close', () => {
    reopenAttempts.push(pair.hostEnd.open());
    t.notOk(pair.deviceEnd.isOpen, 'peer already unplugged when the listener runs');
  });
  pair.unplug();
  t.same(device.closeReasons(), [], 'a closed end emits nothing');
  t.equal(reopenAttempts.length, 1);
  await t.rejects(reopenAttempts[0]!, { code: 'open-failed' }, 'reconnect from the listener fails while unplugged');
});

t.test('memory: any chunking of writes arrives as the same byte stream (property)', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 30 }), async (chunks) => {
      const clock = new VirtualClock();
      const pair = createMemoryLinkPair({ clock });
      await pair.hostEnd.open();
      await pair.deviceEnd.open();
      const device = new EndRecorder(pair.deviceEnd);
      for (const chunk of chunks) await pair.hostEnd.write(chunk);
      await clock.runUntil(1);
      return Buffer.from(device.received()).equals(Buffer.concat(chunks));
    }),
    { seed: 20261125, numRuns: 200 },
  );
  t.pass('property held');
});

t.test('memory: handOver() is write() without the copy and the promise, in the same FIFO', async (t) => {
  const clock = new RecordingClock();
  const pair = createMemoryLinkPair({ clock });
  const host = pair.hostEnd as typeof pair.hostEnd & SyncHandover;
  const device = pair.deviceEnd as typeof pair.deviceEnd & SyncHandover;
  t.equal(syncHandoverOf(pair.hostEnd), host, 'both ends have the capability');
  t.throws(() => host.handOver(Uint8Array.of(1)), { name: 'TransportError', code: 'not-open' }, 'throws when closed');
  await host.open();
  await device.open();
  const atDevice: Uint8Array[] = [];
  const atHost: Uint8Array[] = [];
  const order: string[] = [];
  device.on('data', (chunk) => {
    atDevice.push(chunk);
    order.push(`device ${chunk[0]}`);
  });
  host.on('data', (chunk) => {
    atHost.push(chunk);
    order.push(`host ${chunk[0]}`);
  });
  const owned = Uint8Array.of(1, 2, 3);
  t.equal(host.handOver(owned), SYNC_ONLY, 'the hand-over itself starts nothing asynchronous');
  await device.write(Uint8Array.of(4));
  t.equal(host.handOver(Uint8Array.of()), SYNC_ONLY, 'an empty hand-over is a no-op');
  await host.write(Uint8Array.of(5));
  t.equal(device.handOver(Uint8Array.of(6)), SYNC_ONLY);
  t.same(order, [], 'nothing delivered inside the calls');
  await clock.runUntil(0);
  t.same(order, ['device 1', 'host 4', 'device 5', 'host 6'], 'one FIFO across both directions, in call order');
  t.equal(atDevice[0], owned, 'the handed-over bytes arrive as they are (not copied)');
  t.equal(clock.results.length, 4, 'one timer per non-empty write');
  t.same(clock.results, [undefined, undefined, undefined, undefined], 'a delivery to listeners lets the loop settle');
});

t.test('memory: a delivery reaching an end that is not open tells the clock nothing happened', async (t) => {
  const clock = new RecordingClock();
  const pair = createMemoryLinkPair({ clock });
  await pair.hostEnd.open();
  const device = new EndRecorder(pair.deviceEnd);
  await pair.hostEnd.write(Uint8Array.of(1));
  await clock.runUntil(0);
  t.same(clock.results, [SYNC_ONLY], 'lost bytes: no listener ran');
  t.equal(device.byteCount, 0);
});

t.test('memory: unplug cancels deliveries queued behind one already made', async (t) => {
  const clock = new VirtualClock();
  const pair = createMemoryLinkPair({ clock });
  await pair.hostEnd.open();
  await pair.deviceEnd.open();
  const device = new EndRecorder(pair.deviceEnd);
  pair.deviceEnd.on('data', (chunk) => {
    if (chunk[0] === 1) pair.unplug(); // a listener pulling the plug mid-FIFO
  });
  for (const b of [1, 2, 3]) await pair.hostEnd.write(Uint8Array.of(b));
  await clock.runUntil(0);
  t.same([...device.received()], [1], 'the two behind it were in flight: lost');
  t.equal(clock.pendingTimers, 0);
  pair.replug();
  await pair.hostEnd.open();
  await pair.deviceEnd.open();
  await pair.hostEnd.write(Uint8Array.of(4));
  await pair.hostEnd.write(Uint8Array.of(5));
  await clock.runUntil(1);
  t.same([...device.received()], [1, 4, 5], 'the FIFO starts clean after replug');
});

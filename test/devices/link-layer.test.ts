import t from 'tap';
import { cobsDecode, cobsEncode } from '../../src/framing/index.js';
import { DeviceLink, ExponentialBackoff, ReceiveSequenceTracker } from '../../src/devices/index.js';
import { type Message, decodeWireFrame, encodeMessage } from '../../src/protocol/index.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { createMemoryLinkPair } from '../../src/transport/memory-transport.js';
import { PacedTransport } from '../../src/transport/paced-transport.js';
import { launcherBench, startActive } from './support/bench.js';

t.test('receive sequence tracking: gaps, duplicates, late fills, wrap, resync (ICD-FRM-009)', async (t) => {
  const tracker = new ReceiveSequenceTracker(8);
  t.equal(tracker.observe(65_534), 'new');
  t.equal(tracker.observe(65_535), 'new');
  t.equal(tracker.observe(0), 'new', 'wraps 65535 → 0');
  t.equal(tracker.observe(0), 'duplicate');
  t.equal(tracker.observe(3), 'new');
  t.equal(tracker.gaps, 2, 'seq 1 and 2 missing');
  t.equal(tracker.observe(1), 'late', 'a retransmission of a lost frame is delivered');
  t.equal(tracker.observe(1), 'duplicate');
  t.equal(tracker.observe(65_535), 'duplicate', 'seen before the wrap');
  t.equal(tracker.observe(40_000), 'resync');
  t.equal(tracker.observe(40_001), 'new');
  t.same([tracker.gaps, tracker.duplicates, tracker.resyncs], [2, 3, 1]);
  tracker.reset();
  t.equal(tracker.observe(3), 'new', 'after reset anything starts afresh');
});

t.test('outgoing seq increases by 1 per frame and wraps 65535 → 0', async (t) => {
  const clock = new VirtualClock();
  const pair = createMemoryLinkPair({ clock });
  const seqs: number[] = [];
  pair.deviceEnd.on('data', (chunk) => {
    const decoded = decodeWireFrame(chunk);
    if (decoded.ok) seqs.push(decoded.message.seq);
  });
  await pair.hostEnd.open();
  await pair.deviceEnd.open();
  const link = new DeviceLink({ transport: pair.hostEnd, clock, onMessage: () => undefined });
  link.attach();
  for (let i = 0; i < 65_540; i++) link.send({ type: 'HEARTBEAT', senderTimeUs: 0, heartbeatCount: i });
  await clock.advance(0);
  t.equal(seqs.length, 65_540);
  t.same(seqs.slice(65_534), [65_534, 65_535, 0, 1, 2, 3]);
  t.ok(seqs.every((s, i) => s === i % 65_536));
  t.equal(link.counters().framesOut, 65_540);
});

t.test('sendMessage numbers its frame like send, overwriting the seq and flags it was given', async (t) => {
  const clock = new VirtualClock();
  const pair = createMemoryLinkPair({ clock });
  const frames: Message[] = [];
  pair.deviceEnd.on('data', (chunk) => {
    const decoded = decodeWireFrame(chunk);
    if (decoded.ok) frames.push(decoded.message);
  });
  await pair.hostEnd.open();
  await pair.deviceEnd.open();
  const link = new DeviceLink({ transport: pair.hostEnd, clock, onMessage: () => undefined });
  link.attach();
  link.send({ type: 'HEARTBEAT', senderTimeUs: 1, heartbeatCount: 1 });
  const sent = link.sendMessage({ type: 'HEARTBEAT', seq: 999, flags: 1, senderTimeUs: 2, heartbeatCount: 2 });
  link.send({ type: 'HEARTBEAT', senderTimeUs: 3, heartbeatCount: 3 });
  await clock.advance(0);
  t.equal(sent?.seq, 1);
  t.same(
    frames.map((m) => [m.seq, m.flags, m.type === 'HEARTBEAT' ? m.heartbeatCount : -1]),
    [
      [0, 0, 1],
      [1, 0, 2],
      [2, 0, 3],
    ],
  );
  link.writesEnabled = false;
  t.equal(link.sendMessage({ type: 'HEARTBEAT', seq: 0, flags: 0, senderTimeUs: 4, heartbeatCount: 4 }), undefined);
});

t.test(
  'over a paced line: frames leave back to back at the line rate, bytes intact; lost writes counted',
  async (t) => {
    const clock = new VirtualClock();
    const pair = createMemoryLinkPair({ clock });
    const arrivals: [number, Message][] = [];
    let pending: number[] = [];
    pair.deviceEnd.on('data', (chunk) => {
      // The line delivers chunks; a frame is complete at its 0x00 delimiter.
      for (const byte of chunk) {
        pending.push(byte);
        if (byte !== 0) continue;
        const decoded = decodeWireFrame(Uint8Array.from(pending));
        if (decoded.ok) arrivals.push([clock.nowUs(), decoded.message]);
        pending = [];
      }
    });
    const paced = new PacedTransport(pair.hostEnd, { clock, baud: 115_200 });
    await paced.open();
    await pair.deviceEnd.open();
    const link = new DeviceLink({ transport: paced, clock, onMessage: () => undefined, hostToDeviceBaud: 115_200 });
    link.attach();
    const sent = [1, 2, 3].map((n) => link.send({ type: 'HEARTBEAT', senderTimeUs: n, heartbeatCount: n })!);
    await clock.advance(10_000);
    t.same(
      arrivals.map(([, m]) => (m.type === 'HEARTBEAT' ? m.heartbeatCount : -1)),
      [1, 2, 3],
    );
    t.same(
      arrivals.map(([atUs]) => atUs),
      sent.map((f) => f.txEndUs),
      'each frame arrives when the link model said its last byte leaves',
    );
    t.equal(link.counters().writeErrors, 0);
    link.send({ type: 'HEARTBEAT', senderTimeUs: 4, heartbeatCount: 4 });
    pair.unplug();
    await clock.advance(10_000);
    t.equal(arrivals.length, 3, 'the frame in flight is lost with the link');
    t.equal(link.counters().writeErrors, 1, 'and counted as a write error');
  },
);

t.test('bad frames are counted by reason and dropped; partial frame flushed on detach', async (t) => {
  const clock = new VirtualClock();
  const pair = createMemoryLinkPair({ clock });
  await pair.hostEnd.open();
  await pair.deviceEnd.open();
  const received: Message[] = [];
  const link = new DeviceLink({ transport: pair.hostEnd, clock, onMessage: (m) => received.push(m) });
  link.attach();
  const good = encodeMessage({ type: 'HEARTBEAT', seq: 0, flags: 0, senderTimeUs: 1, heartbeatCount: 1 });
  // Flip one payload bit inside the body and re-encode: valid COBS, wrong CRC.
  const body = cobsDecode(good.subarray(0, good.length - 1))!;
  body[6] = body[6]! ^ 0x01;
  const corrupt = Uint8Array.from([...cobsEncode(body), 0]);
  const hostOnly = encodeMessage({ type: 'HELLO', seq: 1, flags: 0, schemaHash: 1, hostTimeUs: 1 });
  await pair.deviceEnd.write(corrupt);
  await pair.deviceEnd.write(hostOnly);
  await pair.deviceEnd.write(
    encodeMessage({ type: 'HEARTBEAT', seq: 2, flags: 0, senderTimeUs: 2, heartbeatCount: 2 }),
  );
  await pair.deviceEnd.write(good.subarray(0, 6)); // partial, never terminated
  await clock.advance(0);
  t.equal(received.length, 1, 'only the valid heartbeat');
  let counters = link.counters();
  t.equal(counters.frameErrors.crc, 1);
  t.equal(counters.frameErrors['unknown-type'], 1, 'HELLO is never sent device → host (ICD-FRM-011)');
  t.equal(counters.framesIn, 1);
  link.detach();
  counters = link.counters();
  t.ok(counters.discardedBytes >= corrupt.length + hostOnly.length + 6, `${counters.discardedBytes} bytes discarded`);
  t.equal(received.length, 1, 'the flushed partial is never delivered');
});

t.test('host HEARTBEAT every 50 ms from link open, counting up (ICD-CMN-003)', async (t) => {
  const bench = launcherBench();
  await startActive(bench);
  await bench.clock.advance(1_000_000);
  const beats = bench.host.writesOf('HEARTBEAT');
  t.ok(beats.length >= 20);
  t.ok(
    beats.every((b, k) => b.atUs === k * 50_000),
    'exact cadence on absolute deadlines',
  );
  t.ok(beats.every((b, k) => b.message.heartbeatCount === k));
});

t.test('bounded exponential backoff', async (t) => {
  const backoff = new ExponentialBackoff({ initialUs: 10, factor: 3, maxUs: 100 });
  t.same([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()], [10, 30, 90, 100, 100]);
  backoff.reset();
  t.equal(backoff.next(), 10);
  t.throws(() => new ExponentialBackoff({ initialUs: 0, factor: 2, maxUs: 1 }), RangeError);
});

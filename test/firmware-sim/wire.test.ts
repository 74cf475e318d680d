import t from 'tap';
import type { DeviceFault } from '../../src/config/scenario-fault-schema.js';
import { encodeMessage } from '../../src/protocol/codec.js';
import { FrameReader } from '../../src/protocol/frame-reader.js';
import type { Message } from '../../src/protocol/message-types.js';
import { SYNC_ONLY } from '../../src/time/clock.js';
import { createMemoryLinkPair } from '../../src/transport/memory-transport.js';
import { PacedTransport, lineTimeUs } from '../../src/transport/paced-transport.js';
import { syncHandoverOf } from '../../src/transport/transport.js';
import { DeviceClock } from '../../firmware-sim/device-clock.js';
import { type ActiveFault, FaultyTransport, type WireFaultSource } from '../../firmware-sim/faults/faulty-transport.js';
import { Transmitter } from '../../firmware-sim/link/transmitter.js';
import { Prng } from '../../firmware-sim/prng.js';
import { RecordingClock } from '../transport/recording-clock.js';
import { BASE_SCENARIO, bench } from './sim-harness.js';

const BAUD = 921_600;

/** A fixed set of wire faults, each with its own seeded stream. */
function faultSource(faults: readonly DeviceFault[]): WireFaultSource {
  const active: ActiveFault[] = faults.map((fault, i) => ({ fault, prng: new Prng(7, `wire-test/${i}`) }));
  return { wireFaults: () => active, silenced: false };
}

/** The device's wire over a memory link; what the host end receives, with arrival times. */
async function wire(faults: readonly DeviceFault[]) {
  const clock = new RecordingClock();
  const pair = createMemoryLinkPair({ clock });
  const faulty = new FaultyTransport(pair.deviceEnd, clock, faultSource(faults));
  await faulty.open();
  await pair.hostEnd.open();
  const arrivals: { atUs: number; chunk: Uint8Array }[] = [];
  pair.hostEnd.on('data', (chunk) => arrivals.push({ atUs: clock.nowUs(), chunk }));
  return { clock, pair, faulty, arrivals };
}

const frames = Array.from({ length: 200 }, (_, i) =>
  encodeMessage({ type: 'HEARTBEAT', seq: i, flags: 0, senderTimeUs: i * 1000, heartbeatCount: i }),
);

t.test('wire: handOver() corrupts, delays and delivers exactly as write() does', async (t) => {
  const faults: DeviceFault[] = [
    { kind: 'drop', rate: 0.02 },
    { kind: 'bit-flip', rate: 0.02 },
    { kind: 'duplicate', rate: 0.1 },
    { kind: 'latency', latencyMs: 2, jitterMs: 3 },
  ];
  const run = async (owned: boolean) => {
    const w = await wire(faults);
    for (const frame of frames) {
      if (owned) w.faulty.handOver(frame.slice());
      else await w.faulty.write(frame);
      await w.clock.advance(500);
    }
    await w.clock.advance(100_000);
    return {
      arrivals: w.arrivals.map((a) => `${a.atUs}:${Buffer.from(a.chunk).toString('hex')}`),
      counters: w.faulty.counters,
    };
  };
  const viaWrite = await run(false);
  const viaHandOver = await run(true);
  t.ok(viaWrite.counters['to-host'].droppedBytes > 0 && viaWrite.counters['to-host'].duplicatedFrames > 0);
  t.ok(viaWrite.counters['to-host'].delayedChunks > 0);
  t.same(viaHandOver, viaWrite);
});

t.test('wire: with no fault active, handOver() passes the very bytes on, synchronously', async (t) => {
  const w = await wire([]);
  t.equal(syncHandoverOf(w.faulty), w.faulty);
  const frame = frames[0]!.slice();
  t.equal(w.faulty.handOver(frame), SYNC_ONLY);
  await w.clock.runUntil(0);
  t.equal(w.arrivals[0]!.chunk, frame, 'not copied on the way');
  const kept = frames[1]!.slice();
  await w.faulty.write(kept);
  await w.clock.runUntil(0);
  t.not(w.arrivals[1]!.chunk, kept, 'write() still copies (its caller keeps the buffer)');
  t.same([...w.arrivals[1]!.chunk], [...kept]);
});

t.test('wire: the fault list is asked per chunk and follows faults starting and ending', async (t) => {
  const b = await bench(BASE_SCENARIO);
  const faults = b.sim.faults('radar-1');
  const radar = b.sim.radar('radar-1');
  const none = radar.faults.wireFaults('to-host');
  t.same(none, []);
  t.equal(radar.faults.wireFaults('to-host'), none, 'the same list while nothing changes');
  const drop = faults.inject({ kind: 'drop', rate: 0.5, direction: 'to-host' });
  await b.clock.advance(1);
  t.same(
    radar.faults.wireFaults('to-host').map((f) => f.fault.kind),
    ['drop'],
    'a started fault is seen',
  );
  t.same(radar.faults.wireFaults('to-device'), [], 'per direction');
  await b.clock.advance(200_000);
  t.ok(radar.wire.counters['to-host'].droppedBytes > 0, 'and acts');
  drop.clear();
  t.same(radar.faults.wireFaults('to-host'), [], 'an ended fault is gone');
  await b.sim.stop();
});

t.test(
  'transmitter: back-to-back frames keep the line busy, each started inside the previous one’s timer',
  async (t) => {
    const clock = new RecordingClock();
    const pair = createMemoryLinkPair({ clock });
    const faulty = new FaultyTransport(pair.deviceEnd, clock, faultSource([]));
    const paced = new PacedTransport(faulty, { clock, baud: BAUD });
    const sent: Message[] = [];
    const tx = new Transmitter(clock, new DeviceClock(clock, { offsetUs: 0, driftPpm: 0, powerOnUs: 0 }), paced, (m) =>
      sent.push(m),
    );
    await paced.open();
    await pair.hostEnd.open();
    const received: { atUs: number; message: Message }[] = [];
    const reader = new FrameReader({
      receiving: 'device-to-host',
      onMessage: (message) => received.push({ atUs: clock.nowUs(), message }),
    });
    pair.hostEnd.on('data', (chunk) => reader.push(chunk));
    for (let i = 0; i < 5; i++) {
      tx.enqueue({ build: (deviceUs) => ({ type: 'HEARTBEAT', senderTimeUs: deviceUs, heartbeatCount: i }), flags: 0 });
    }
    await clock.runUntil(10_000);
    t.equal(received.length, 5);
    const frameUs = lineTimeUs(encodeMessage(sent[0]!).length, BAUD);
    received.forEach((r, i) => {
      t.ok(Math.abs(r.atUs - (i + 1) * frameUs) < 1e-6, `frame ${i} ends at ${i + 1} frame times`);
      t.equal((r.message as Extract<Message, { type: 'HEARTBEAT' }>).senderTimeUs, Math.floor(i * frameUs));
    });
    t.same(
      received.map((r) => r.message),
      sent,
      'onFrame saw what went on the line',
    );
    const pacing = clock.results.filter((_, i) => i % 2 === 0);
    t.same(pacing, new Array<unknown>(5).fill(SYNC_ONLY), 'no pacing timer needed an event-loop turn');
  },
);

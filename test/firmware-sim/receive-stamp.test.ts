import t from 'tap';
import { encodeMessage } from '../../src/protocol/codec.js';
import type { Message, MessageBody } from '../../src/protocol/message-types.js';
import { SCHEMA_HASH } from '../../src/protocol/catalogue/index.js';
import { FrameReader } from '../../src/protocol/frame-reader.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { simOnMemoryLinks } from '../support/sim-links.js';
import { BASE_SCENARIO } from './sim-harness.js';

/**
 * Virtual time in which every clock read within one instant is 1 us later than the one before,
 * as if the code between two reads took that long: shows *where* code reads the clock.
 */
class TickingClock extends VirtualClock {
  private base = Number.NaN;
  private ticks = 0;

  override nowUs(): number {
    const base = super.nowUs();
    if (base !== this.base) {
      this.base = base;
      this.ticks = 0;
    }
    return base + this.ticks++;
  }
}

t.test('TIME_SYNC t2 is read when the bytes arrive, before decoding: one instant per chunk', async (t) => {
  const bench = await simOnMemoryLinks({
    clock: new TickingClock(),
    scenario: {
      ...BASE_SCENARIO,
      launchers: [{ ...BASE_SCENARIO.launchers![0]!, clock: { offsetUs: 0, driftPpm: 0 } }],
    },
    start: false,
  });
  const { clock, sim } = bench;
  const pair = bench.link('launcher-1');
  const received: Message[] = [];
  const reader = new FrameReader({ receiving: 'device-to-host', onMessage: (m) => received.push(m) });
  pair.hostEnd.on('data', (chunk) => reader.push(chunk));
  await sim.start();
  await pair.hostEnd.open();
  let seq = 0;
  const frame = (body: MessageBody): Uint8Array => encodeMessage({ ...body, seq: seq++, flags: 0 } as Message);
  await pair.hostEnd.write(frame({ type: 'HELLO', schemaHash: SCHEMA_HASH, hostTimeUs: 0 }));
  await clock.advance(10_000);
  // Two requests in one write: one chunk at the device. Decoding the first (and answering it)
  // reads the clock; the second request was nonetheless received at the same instant.
  const both = [frame({ type: 'TIME_SYNC_REQUEST', t1HostUs: 1 }), frame({ type: 'TIME_SYNC_REQUEST', t1HostUs: 2 })];
  await pair.hostEnd.write(Uint8Array.from([...both[0]!, ...both[1]!]));
  await clock.advance(10_000);
  const responses = received.filter((m): m is Message<'TIME_SYNC_RESPONSE'> => m.type === 'TIME_SYNC_RESPONSE');
  t.equal(responses.length, 2);
  t.equal(responses[0]!.t2DeviceUs, responses[1]!.t2DeviceUs, 'both requests stamped with the chunk arrival');
  t.ok(responses.every((r) => r.t3DeviceUs >= r.t2DeviceUs));
  await sim.stop();
});

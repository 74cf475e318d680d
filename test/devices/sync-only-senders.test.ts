import t from 'tap';
import { DeviceLink, PeriodicTask, TimeSync } from '../../src/devices/index.js';
import { type Clock, SYNC_ONLY } from '../../src/time/clock.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { recordingView } from '../transport/recording-clock.js';
import { createMemoryLinkPair } from '../../src/transport/memory-transport.js';
import { PacedTransport } from '../../src/transport/paced-transport.js';

/** A VirtualClock, and a view of it that records what its own timers' callbacks returned. */
function recordingClock(): { clock: Clock; virtual: VirtualClock; returned: unknown[] } {
  const virtual = new VirtualClock();
  return { virtual, ...recordingView(virtual) };
}

t.test('PeriodicTask passes SYNC_ONLY through from its task, and nothing else', async (t) => {
  const { clock, virtual, returned } = recordingClock();
  let sync = true;
  const task = new PeriodicTask(clock, 1_000, () => (sync ? SYNC_ONLY : undefined));
  task.start();
  await virtual.runUntil(3_000);
  sync = false;
  await virtual.runUntil(5_000);
  task.stop();
  t.same(returned, [SYNC_ONLY, SYNC_ONLY, SYNC_ONLY, undefined, undefined]);
});

async function linkOver(paced: boolean, clock: Clock, virtual: VirtualClock) {
  const pair = createMemoryLinkPair({ clock: virtual });
  const transport = paced ? new PacedTransport(pair.hostEnd, { clock: virtual, baud: 115_200 }) : pair.hostEnd;
  await transport.open();
  await pair.deviceEnd.open();
  const link = new DeviceLink({ transport, clock, onMessage: () => undefined });
  link.attach();
  return link;
}

t.test('a device link writes synchronously over a paced line only', async (t) => {
  const { clock, virtual } = recordingClock();
  t.equal((await linkOver(true, clock, virtual)).writesSynchronously, true);
  t.equal((await linkOver(false, clock, virtual)).writesSynchronously, false, 'a bare end returns a promise');
});

t.test('time-sync request timers are SYNC_ONLY exactly when the link writes synchronously', async (t) => {
  for (const paced of [true, false]) {
    const { clock, virtual, returned } = recordingClock();
    const link = await linkOver(paced, clock, virtual);
    const sync = new TimeSync({ clock, link });
    sync.start();
    await virtual.runUntil(2_000_000);
    sync.stop();
    t.ok(returned.length > 3, `${returned.length} request timers (${paced ? 'paced' : 'bare'})`);
    t.ok(
      returned.every((r) => r === (paced ? SYNC_ONLY : undefined)),
      paced ? 'all SYNC_ONLY' : 'none SYNC_ONLY',
    );
  }
});

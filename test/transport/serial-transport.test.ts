import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { openPtyPair } from '../../src/transport/pty-pair.js';
import { SerialTransport } from '../../src/transport/serial-transport.js';
import { EndRecorder } from './end-recorder.js';
import { pollUntil } from './poll-until.js';
import { type LinkUnderTest, transportContract } from './transport-contract.js';
import { skipUnlessTools } from '../support/require-tool.js';

/** Every PTY case needs socat (skipped with a notice when missing; a failure under CI=true). */
const skip = skipUnlessTools('socat');

/** The real `serialport` binding on both ends of a socat PTY pair. */
async function ptyLink(): Promise<LinkUnderTest> {
  const pty = await openPtyPair();
  const a = new SerialTransport({ path: pty.paths[0] });
  const b = new SerialTransport({ path: pty.paths[1] });
  await a.open();
  await b.open();
  return {
    a,
    b,
    waitFor: (condition, what) => pollUntil(condition, what),
    async dispose() {
      await a.close();
      await b.close();
      await pty.close();
    },
  };
}

transportContract('pty', ptyLink, { peerSeesRemoteClose: false, skip });

t.test('serial: URL and defaults', async (t) => {
  t.equal(new SerialTransport({ path: '/dev/ttyUSB0' }).url, 'serial:/dev/ttyUSB0?baud=921600');
  t.equal(
    new SerialTransport({ path: '/dev/ttyUSB0', baud: 115_200, lowLatency: true, lock: false }).url,
    'serial:/dev/ttyUSB0?baud=115200&lowLatency=1&lock=0',
  );
});

t.test('serial: a missing device → open-failed with the OS reason', async (t) => {
  const port = new SerialTransport({ path: '/dev/does-not-exist-shieldlink' });
  await t.rejects(port.open(), { name: 'TransportError', code: 'open-failed', message: /No such file or directory/ });
  t.notOk(port.isOpen);
  await port.close(); // a no-op
});

t.test(
  'serial: socat dying is an unplug on both ends; reopening through a reappearing by-id link works',
  { skip },
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'shieldlink-by-id-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    // Stand-ins for /dev/serial/by-id names: socat makes the links and removes them on exit.
    const links: [string, string] = [join(dir, 'usb-FTDI_radar-if00'), join(dir, 'usb-sim-radar')];
    const first = await openPtyPair({ links });
    const host = new SerialTransport({ path: links[0] });
    const device = new SerialTransport({ path: links[1] });
    const hostEvents = new EndRecorder(host);
    const deviceEvents = new EndRecorder(device);
    await host.open();
    await device.open();
    await host.write(new Uint8Array([1, 2, 3]));
    await pollUntil(() => deviceEvents.byteCount === 3, 'bytes before the unplug');

    await first.close(); // the "USB adapter" is pulled
    await pollUntil(() => hostEvents.closes.length === 1 && deviceEvents.closes.length === 1, 'both ends to close');
    t.same(hostEvents.closeReasons(), ['unplugged'], 'host end: unplugged');
    t.same(deviceEvents.closeReasons(), ['unplugged'], 'device end: unplugged');
    t.ok(hostEvents.closes[0]?.cause instanceof Error, 'with the binding’s disconnect error as cause');
    t.notOk(host.isOpen);
    await t.rejects(host.write(new Uint8Array([1])), { code: 'not-open' }, 'writes refused after the unplug');
    await t.rejects(host.open(), { code: 'open-failed' }, 'open fails while the device is gone');

    const second = await openPtyPair({ links }); // re-inserted: same by-id names, new /dev/pts numbers
    t.teardown(() => second.close());
    await host.open();
    await device.open();
    await device.write(new Uint8Array([4, 5]));
    await pollUntil(() => hostEvents.byteCount === 2, 'bytes after the replug');
    t.same([...hostEvents.received()], [4, 5], 'the link works again');
    t.same(hostEvents.closeReasons(), ['unplugged'], 'no extra close events');
    await host.close();
    await device.close();
    t.same(hostEvents.closeReasons(), ['unplugged', 'local']);
  },
);

t.test('serial: writes pending at an unplug reject with write-failed', { skip }, async (t) => {
  const pty = await openPtyPair();
  const host = new SerialTransport({ path: pty.paths[0] });
  await host.open();
  // Nobody reads the other end: after the PTY buffer fills, writes stay pending.
  const writes = Array.from({ length: 64 }, () => host.write(new Uint8Array(16 * 1024)));
  const outcomes = writes.map((w) =>
    w.then(
      () => 'ok',
      (e: { code?: string }) => e.code ?? 'unknown',
    ),
  );
  await pty.close();
  const results = await Promise.all(outcomes);
  t.ok(results.includes('write-failed'), 'some writes never made it');
  t.ok(
    results.every((r) => r === 'ok' || r === 'write-failed'),
    `only ok or write-failed: ${results.join(',')}`,
  );
});

t.test('serial: lowLatency on a device without it still opens and reports why', { skip }, async (t) => {
  const pty = await openPtyPair();
  t.teardown(() => pty.close());
  const port = new SerialTransport({ path: pty.paths[0], lowLatency: true });
  const events = new EndRecorder(port);
  await port.open();
  t.ok(port.isOpen, 'opened anyway');
  await pollUntil(() => events.errors.length === 1, 'the low-latency report');
  t.match(events.errors[0]?.message, /low-latency mode unavailable/);
  await port.close();
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type Server, type Socket, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { readPcapng } from '../../src/capture/pcapng-reader.js';
import { freePort } from '../bridge/support/mosquitto.js';
import { runCli } from '../cli/frames-io.js';

interface Vector {
  readonly name: string;
  readonly wire: string;
  readonly error?: string;
}
const vectors = JSON.parse(readFileSync(new URL('../vectors/frames.json', import.meta.url), 'utf8')) as Vector[];
const wire = (prefix: string): Buffer => Buffer.from(vectors.find((v) => v.name.startsWith(prefix))!.wire, 'hex');
const fromDevice = [wire('HEARTBEAT device-to-host'), wire('crc: one bit'), wire('TRACK_REPORT device-to-host')];
const fromHost = [wire('HEARTBEAT host-to-device'), wire('ARM')];

const dir = mkdtempSync(join(tmpdir(), 'shieldlink-capture-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

/** A controller on TCP that sends `fromDevice` once connected and keeps what it receives. */
async function fakeDevice(): Promise<{ server: Server; port: number; received: Buffer[] }> {
  const port = await freePort();
  const received: Buffer[] = [];
  const server = createServer((socket: Socket) => {
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', () => undefined);
    setTimeout(() => socket.write(Buffer.concat([...fromDevice, Buffer.from([0x11, 0x22])])), 200);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, port, received };
}

t.test('capture through the proxy: both ways, forwarded unchanged, bad frames kept', async (t) => {
  const device = await fakeDevice();
  t.teardown(() => device.server.close());
  const hostPort = await freePort();
  const out = join(dir, 'proxy.pcapng');
  const running = runCli([
    'capture',
    '--link',
    `tcp://127.0.0.1:${device.port}`,
    '--host',
    `tcp-listen://127.0.0.1:${hostPort}`,
    '--name',
    'launcher-1',
    '--out',
    out,
    '--duration',
    '2',
  ]);
  let host: Socket | undefined;
  const hostReceived: Buffer[] = [];
  for (let i = 0; i < 100 && host === undefined; i++) {
    host = await new Promise<Socket | undefined>((resolve) => {
      const socket = connect(hostPort, '127.0.0.1', () => resolve(socket));
      socket.on('error', () => resolve(undefined));
    });
    if (host === undefined) await new Promise((r) => setTimeout(r, 50));
  }
  t.ok(host, 'the host connects to the capture');
  host!.on('data', (chunk) => hostReceived.push(chunk));
  host!.write(Buffer.concat(fromHost));
  const result = await running;
  host!.destroy();
  t.equal(result.code, 0, `capture exit (stderr: ${result.stderr})`);
  const end = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { frames: number; badFrames: number };
  t.equal(end.frames, fromDevice.length + fromHost.length + 1, 'every frame and the cut tail counted');
  t.ok(Buffer.concat(device.received).equals(Buffer.concat(fromHost)), 'the device got the host bytes unchanged');
  t.ok(Buffer.concat(hostReceived).equals(Buffer.concat([...fromDevice, Buffer.from([0x11, 0x22])])), 'and vice versa');

  const packets = readPcapng(readFileSync(out));
  const hostToDevice = packets.filter((p) => p.direction === 'host-to-device');
  const deviceToHost = packets.filter((p) => p.direction === 'device-to-host');
  t.same(
    hostToDevice.map((p) => Buffer.from(p.wire).toString('hex')),
    fromHost.map((w) => w.toString('hex')),
  );
  t.same(
    deviceToHost.map((p) => Buffer.from(p.wire).toString('hex')),
    [...fromDevice.map((w) => w.toString('hex')), '1122'],
  );
  t.ok(
    packets.every((p) => p.link === 'launcher-1'),
    'link named in every packet',
  );
  t.match(deviceToHost[1]!.comment, /^crc: /, 'the corrupted frame is kept and marked');
  t.equal(deviceToHost[3]!.partial, true, 'the cut tail is kept as partial');
  const times = packets.map((p) => p.timestampUs);
  t.ok(
    times.every((us) => Math.abs(us / 1000 - Date.now()) < 60_000),
    'timestamps are wall time from the host clock',
  );
});

t.test('capture listening on one link labels what it hears', async (t) => {
  const device = await fakeDevice();
  t.teardown(() => device.server.close());
  const out = join(dir, 'listen.pcapng');
  const result = await runCli(['capture', '--link', `tcp://127.0.0.1:${device.port}`, '--out', out, '--duration', '1']);
  t.equal(result.code, 0, `capture exit (stderr: ${result.stderr})`);
  const packets = readPcapng(readFileSync(out));
  t.equal(packets.length, fromDevice.length + 1);
  t.ok(packets.every((p) => p.direction === 'device-to-host' && p.link === `tcp://127.0.0.1:${device.port}`));
});

t.test('capture refuses bad options before starting', async (t) => {
  const r = await runCli(['capture', '--link', 'tcp://127.0.0.1:1']);
  t.equal(r.code, 2);
  t.match(r.stderr, /--out/);
});

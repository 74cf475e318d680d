import t from 'tap';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { createMemoryLinkPair } from '../../src/transport/memory-transport.js';
import { PacedTransport } from '../../src/transport/paced-transport.js';
import { SerialTransport } from '../../src/transport/serial-transport.js';
import { TcpServerTransport } from '../../src/transport/tcp-server-transport.js';
import { TcpTransport } from '../../src/transport/tcp-transport.js';
import { createTransport, parseTransportUrl } from '../../src/transport/transport-url.js';

t.test('parseTransportUrl: good URLs, defaults filled in', async (t) => {
  t.same(parseTransportUrl('serial:/dev/ttyUSB0'), {
    kind: 'serial',
    path: '/dev/ttyUSB0',
    baud: 921_600,
    lowLatency: false,
    lock: true,
  });
  t.same(
    parseTransportUrl('serial:/dev/serial/by-id/usb-FTDI_FT232R_A10K-if00-port0?baud=115200&lowLatency=1&lock=false'),
    {
      kind: 'serial',
      path: '/dev/serial/by-id/usb-FTDI_FT232R_A10K-if00-port0',
      baud: 115_200,
      lowLatency: true,
      lock: false,
    },
  );
  t.match(parseTransportUrl('serial:COM3'), { kind: 'serial', path: 'COM3' });
  t.same(parseTransportUrl('tcp://192.168.1.50:4001'), {
    kind: 'tcp',
    host: '192.168.1.50',
    port: 4001,
    connectTimeoutMs: 5_000,
  });
  t.same(parseTransportUrl('tcp://[::1]:4001/?connectTimeoutMs=250'), {
    kind: 'tcp',
    host: '::1',
    port: 4001,
    connectTimeoutMs: 250,
  });
  t.same(parseTransportUrl('TCP://bench-ser2net.local:7000'), {
    kind: 'tcp',
    host: 'bench-ser2net.local',
    port: 7000,
    connectTimeoutMs: 5_000,
  });
  t.same(parseTransportUrl('tcp-listen://0.0.0.0:0'), { kind: 'tcp-listen', host: '0.0.0.0', port: 0 });
  t.same(parseTransportUrl('memory:radar-1'), { kind: 'memory', name: 'radar-1', end: 'host', baud: undefined });
  t.same(parseTransportUrl('memory:launcher_2?end=device&baud=921600'), {
    kind: 'memory',
    name: 'launcher_2',
    end: 'device',
    baud: 921_600,
  });
});

t.test('parseTransportUrl: bad URLs are TransportError(bad-url) saying what is wrong', async (t) => {
  const cases: [string, RegExp][] = [
    ['', /no scheme/],
    ['/dev/ttyUSB0', /no scheme/],
    ['udp://host:1', /unknown scheme 'udp:'/],
    ['serial:', /missing device path/],
    ['serial:ttyUSB0', /not absolute/],
    ['serial:/dev/ttyUSB0?baud=fast', /baud 'fast' is not a whole number/],
    ['serial:/dev/ttyUSB0?baud=0', /baud '0'/],
    ['serial:/dev/ttyUSB0?baud=9600.5', /baud '9600.5'/],
    ['serial:/dev/ttyUSB0?baudrate=9600', /unknown option 'baudrate' \(known: baud, lowLatency, lock\)/],
    ['serial:/dev/ttyUSB0?baud=9600&baud=19200', /given twice/],
    ['serial:/dev/ttyUSB0?lowLatency=yes', /lowLatency 'yes' is not 1, 0, true or false/],
    ['tcp:host:4001', /expected tcp:\/\/host:port/],
    ['tcp://host', /missing port/],
    ['tcp://host:', /missing port/],
    ['tcp://:4001', /missing host/],
    ['tcp://host:0', /port '0' is not a number from 1 to 65535/],
    ['tcp://host:65536', /port '65536'/],
    ['tcp://host:http', /port 'http'/],
    ['tcp://host:4001/ttyS0', /has no path/],
    ['tcp://user@host:4001', /user names/],
    ['tcp://host:4001?connectTimeoutMs=-1', /connectTimeoutMs '-1'/],
    ['tcp://host:4001?timeout=1', /unknown option 'timeout'/],
    ['tcp-listen://127.0.0.1:4001?x=1', /takes none/],
    ['memory:', /missing link name/],
    ['memory:radar 1', /may hold only/],
    ['memory:radar-1?end=sim', /end 'sim' is not 'host' or 'device'/],
    ['memory:radar-1?baud=-5', /baud '-5'/],
  ];
  for (const [url, message] of cases) {
    t.throws(() => parseTransportUrl(url), { name: 'TransportError', code: 'bad-url', message }, JSON.stringify(url));
  }
  t.throws(() => parseTransportUrl('tcp://host'), { message: /^bad transport URL 'tcp:\/\/host': / }, 'names the URL');
});

t.test('createTransport: builds the transport each URL names', async (t) => {
  const clock = new VirtualClock();
  const link = createMemoryLinkPair({ clock, name: 'radar-1' });
  const memoryLinks = new Map([['radar-1', link]]);
  const serial = createTransport('serial:/dev/ttyUSB3?baud=115200', { clock });
  t.ok(serial instanceof SerialTransport);
  t.equal(serial.url, 'serial:/dev/ttyUSB3?baud=115200');
  const tcp = createTransport('tcp://127.0.0.1:4001', { clock });
  t.ok(tcp instanceof TcpTransport);
  t.equal(tcp.url, 'tcp://127.0.0.1:4001');
  t.ok(createTransport('tcp-listen://127.0.0.1:0', { clock }) instanceof TcpServerTransport);
  t.equal(createTransport('memory:radar-1', { clock, memoryLinks }), link.hostEnd);
  t.equal(createTransport('memory:radar-1?end=device', { clock, memoryLinks }), link.deviceEnd);
  const paced = createTransport('memory:radar-1?baud=115200', { clock, memoryLinks });
  t.ok(paced instanceof PacedTransport);
  t.equal((paced as PacedTransport).baud, 115_200);
  t.equal((paced as PacedTransport).inner, link.hostEnd);
  t.throws(() => createTransport('memory:radar-2', { clock, memoryLinks }), {
    code: 'bad-url',
    message: /no memory link 'radar-2' \(known: radar-1\)/,
  });
  t.throws(() => createTransport('memory:radar-1', { clock }), { code: 'bad-url', message: /known: none/ });
  t.throws(() => createTransport('serial:/dev/ttyUSB0?baud=x', { clock }), { code: 'bad-url' });
});

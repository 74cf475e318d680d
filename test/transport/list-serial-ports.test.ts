import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import t from 'tap';
import { createPortsCommand } from '../../src/cli/commands/ports.js';
import { type SerialPortInfo, listSerialPorts } from '../../src/transport/list-serial-ports.js';

/** A fake /dev with two adapters, one of them with a by-id link, and a dangling by-id link. */
async function fakeDev(t: { teardown(fn: () => Promise<void>): void }) {
  const root = await mkdtemp(join(tmpdir(), 'shieldlink-ports-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const dev = join(root, 'dev');
  const byId = join(dev, 'serial', 'by-id');
  await mkdir(byId, { recursive: true });
  await writeFile(join(dev, 'ttyUSB0'), '');
  await writeFile(join(dev, 'ttyUSB1'), '');
  await writeFile(join(dev, 'ttyACM0'), '');
  await symlink('../../ttyUSB1', join(byId, 'usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0'));
  await symlink('../../ttyACM0', join(byId, 'usb-Arduino_Uno_75833-if00'));
  await symlink('../../ttyUSB9', join(byId, 'usb-gone-if00')); // pulled: dangling
  return { root, dev, byId };
}

t.test('listSerialPorts: binding facts joined with by-id links, sorted by path', async (t) => {
  const { dev, byId } = await fakeDev(t);
  const ports = await listSerialPorts({
    byIdDir: byId,
    list: async () => [
      {
        path: join(dev, 'ttyUSB1'),
        manufacturer: 'FTDI',
        serialNumber: 'A10KXYZ',
        vendorId: '0403',
        productId: '6001',
      },
      { path: join(dev, 'ttyUSB0'), manufacturer: undefined, serialNumber: '', vendorId: '10C4', productId: 'EA60' },
    ],
  });
  t.same(
    ports,
    [
      {
        path: join(dev, 'ttyUSB0'),
        byIdPath: undefined,
        manufacturer: undefined,
        serialNumber: undefined,
        vendorId: '10c4',
        productId: 'ea60',
      },
      {
        path: join(dev, 'ttyUSB1'),
        byIdPath: join(byId, 'usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0'),
        manufacturer: 'FTDI',
        serialNumber: 'A10KXYZ',
        vendorId: '0403',
        productId: '6001',
      },
      {
        path: join(dev, 'ttyACM0'),
        byIdPath: join(byId, 'usb-Arduino_Uno_75833-if00'),
        manufacturer: undefined,
        serialNumber: undefined,
        vendorId: undefined,
        productId: undefined,
      },
    ].sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true })),
    'a by-id-only port is listed too; the dangling link is not',
  );
});

t.test('listSerialPorts: without udev, reads USB facts from sysfs', async (t) => {
  const { root, byId } = await fakeDev(t);
  const sys = join(root, 'sys');
  const usbDevice = join(sys, 'devices', 'usb1', '1-1');
  const iface = join(usbDevice, '1-1:1.0', 'ttyUSB0');
  await mkdir(iface, { recursive: true });
  await writeFile(join(usbDevice, 'idVendor'), '0403\n');
  await writeFile(join(usbDevice, 'idProduct'), '6015\n');
  await writeFile(join(usbDevice, 'manufacturer'), 'FTDI\n');
  await writeFile(join(usbDevice, 'serial'), 'DN05ABCD\n');
  const classTty = join(sys, 'class', 'tty');
  await mkdir(join(classTty, 'ttyUSB0'), { recursive: true });
  await symlink(iface, join(classTty, 'ttyUSB0', 'device'));
  await mkdir(join(classTty, 'tty5'), { recursive: true }); // a virtual console: not a port
  await mkdir(join(classTty, 'ttyACM3'), { recursive: true }); // no device link: skipped

  const ports = await listSerialPorts({
    byIdDir: join(root, 'nowhere'),
    sysClassTtyDir: classTty,
    list: async () => {
      throw new Error('spawn udevadm ENOENT');
    },
  });
  t.same(ports, [
    {
      path: '/dev/ttyUSB0',
      byIdPath: undefined,
      manufacturer: 'FTDI',
      serialNumber: 'DN05ABCD',
      vendorId: '0403',
      productId: '6015',
    },
  ]);
  t.ok(byId, 'fixture used');
});

t.test('listSerialPorts: on this machine it resolves (whatever is plugged in)', async (t) => {
  const ports = await listSerialPorts();
  t.ok(Array.isArray(ports));
});

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { io: { stdout, stderr, stdin: new PassThrough(), isTty: false }, text: () => out };
}

const SAMPLE: SerialPortInfo[] = [
  {
    path: '/dev/ttyUSB0',
    byIdPath: '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0',
    manufacturer: 'FTDI',
    serialNumber: 'A10KXYZ',
    vendorId: '0403',
    productId: '6001',
  },
  {
    path: '/dev/ttyACM0',
    byIdPath: undefined,
    manufacturer: undefined,
    serialNumber: undefined,
    vendorId: undefined,
    productId: undefined,
  },
];

t.test('shieldlink ports: a table with ids and by-id paths', async (t) => {
  const { io, text } = capture();
  const code = await createPortsCommand(async () => SAMPLE).run([], io);
  t.equal(code, 0);
  t.equal(
    text(),
    [
      'PATH          VID:PID    SERIAL   MANUFACTURER  BY-ID',
      '/dev/ttyUSB0  0403:6001  A10KXYZ  FTDI          /dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0',
      '/dev/ttyACM0  -          -        -             -',
      '',
    ].join('\n'),
  );
});

t.test('shieldlink ports --json: every field, null when unknown', async (t) => {
  const { io, text } = capture();
  t.equal(await createPortsCommand(async () => SAMPLE).run(['--json'], io), 0);
  t.same(JSON.parse(text()), [
    {
      path: '/dev/ttyUSB0',
      byIdPath: '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KXYZ-if00-port0',
      vendorId: '0403',
      productId: '6001',
      serialNumber: 'A10KXYZ',
      manufacturer: 'FTDI',
    },
    { path: '/dev/ttyACM0', byIdPath: null, vendorId: null, productId: null, serialNumber: null, manufacturer: null },
  ]);
});

t.test('shieldlink ports: none found, bad option, help', async (t) => {
  const { io, text } = capture();
  t.equal(await createPortsCommand(async () => []).run([], io), 0);
  t.match(text(), /No serial ports found/);
  await t.rejects(createPortsCommand(async () => []).run(['--jsn'], io), { name: 'UsageError' });
  await t.rejects(createPortsCommand(async () => []).run(['extra'], io), { name: 'UsageError' });
  const command = createPortsCommand();
  t.same(command.path, ['ports']);
  t.match(command.help, /Examples:\n {2}shieldlink ports/);
  t.match(command.help, /--json/);
});

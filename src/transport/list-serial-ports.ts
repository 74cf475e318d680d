import { readFile, readdir, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** One serial port of this machine. Absent facts are `undefined`. */
export interface SerialPortInfo {
  /** Kernel device path, e.g. `/dev/ttyUSB0`. */
  readonly path: string;
  /** Stable `/dev/serial/by-id/…` symlink to it, when udev made one: use it in configs. */
  readonly byIdPath: string | undefined;
  readonly manufacturer: string | undefined;
  readonly serialNumber: string | undefined;
  /** USB vendor id, 4 lowercase hex digits (e.g. `0403` for FTDI). */
  readonly vendorId: string | undefined;
  /** USB product id, 4 lowercase hex digits. */
  readonly productId: string | undefined;
}

/** The raw port facts a lister reports (shape of `serialport`'s `PortInfo`). */
export interface RawPortInfo {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

/** Where {@link listSerialPorts} looks; the defaults are the real system's. */
export interface ListSerialPortsOptions {
  /** Primary source; default the `serialport` binding (asks udev through `udevadm`). */
  readonly list?: () => Promise<RawPortInfo[]>;
  /** Default `/dev/serial/by-id`. */
  readonly byIdDir?: string;
  /** Fallback source when the primary fails (no udev, as in containers); default `/sys/class/tty`. */
  readonly sysClassTtyDir?: string;
}

/** TTY names that are serial ports worth listing in the sysfs fallback (not the 32 legacy ttyS placeholders). */
const SYSFS_PORT_NAME = /^(tty(USB|ACM|AMA|XRUSB|WCH)\d+|rfcomm\d+)$/;

/**
 * The serial ports of this machine, sorted by path, each with its `/dev/serial/by-id` name.
 * Asks the `serialport` binding first; when that fails (no `udevadm`), reads sysfs instead.
 * Ports that appear only under by-id are listed too. Never rejects for an absent directory.
 */
export async function listSerialPorts(options: ListSerialPortsOptions = {}): Promise<SerialPortInfo[]> {
  const byIdDir = options.byIdDir ?? '/dev/serial/by-id';
  const list = options.list ?? (async () => (await import('serialport')).SerialPort.list());
  let raw: RawPortInfo[];
  try {
    raw = await list();
  } catch {
    raw = await listFromSysfs(options.sysClassTtyDir ?? '/sys/class/tty');
  }
  const byId = await byIdLinks(byIdDir);
  const ports = new Map<string, SerialPortInfo>();
  for (const port of raw) {
    const real = await realpathOr(port.path);
    ports.set(real, {
      path: port.path,
      byIdPath: byId.get(real),
      manufacturer: port.manufacturer || undefined,
      serialNumber: port.serialNumber || undefined,
      vendorId: port.vendorId?.toLowerCase() || undefined,
      productId: port.productId?.toLowerCase() || undefined,
    });
  }
  for (const [real, link] of byId) {
    if (!ports.has(real)) {
      ports.set(real, {
        path: real,
        byIdPath: link,
        manufacturer: undefined,
        serialNumber: undefined,
        vendorId: undefined,
        productId: undefined,
      });
    }
  }
  return [...ports.values()].sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
}

/** Map of resolved device path → by-id symlink path. */
async function byIdLinks(dir: string): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return links; // no by-id directory: no USB serial devices, or no udev
  }
  for (const name of names.sort()) {
    const link = join(dir, name);
    try {
      const real = await realpath(link);
      if (!links.has(real)) links.set(real, link);
    } catch {
      // a dangling link (device just pulled): nothing to list
    }
  }
  return links;
}

async function listFromSysfs(dir: string): Promise<RawPortInfo[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const ports: RawPortInfo[] = [];
  for (const name of names.filter((n) => SYSFS_PORT_NAME.test(n))) {
    let device: string;
    try {
      device = await realpath(join(dir, name, 'device'));
    } catch {
      continue; // virtual tty without hardware
    }
    ports.push({ path: `/dev/${name}`, ...(await usbFacts(device)) });
  }
  return ports;
}

/** Walk up from a tty's device to the USB device that carries idVendor, and read its facts. */
async function usbFacts(device: string): Promise<Omit<RawPortInfo, 'path'>> {
  let dir = device;
  for (let depth = 0; depth < 6 && dir !== dirname(dir); depth++, dir = dirname(dir)) {
    const vendorId = await readAttribute(dir, 'idVendor');
    if (vendorId === undefined) continue;
    return {
      vendorId,
      productId: await readAttribute(dir, 'idProduct'),
      manufacturer: await readAttribute(dir, 'manufacturer'),
      serialNumber: await readAttribute(dir, 'serial'),
    };
  }
  return {};
}

async function readAttribute(dir: string, name: string): Promise<string | undefined> {
  try {
    return (await readFile(join(dir, name), 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function realpathOr(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

import type { Clock } from '../../src/time/clock.js';
import { type PtyPair, openPtyPair } from '../../src/transport/pty-pair.js';
import { DEFAULT_SERIAL_BAUD, SerialTransport } from '../../src/transport/serial-transport.js';
import { TcpServerTransport } from '../../src/transport/tcp-server-transport.js';
import { createTransport } from '../../src/transport/transport-url.js';
import type { LinkSpec } from './link-spec.js';
import type { SimLink } from './sim-link.js';

/** One device's opened link: what the simulator holds and what the host should open. */
export interface OpenedDeviceLink {
  readonly deviceId: string;
  readonly link: SimLink;
  /** The URL the host opens, e.g. `serial:/dev/pts/7` or `tcp://127.0.0.1:4001`. */
  readonly hostUrl: string;
}

/** The links of every device, and how to release them (PTY pairs stop their socat). */
export interface OpenedLinks {
  readonly links: readonly OpenedDeviceLink[];
  close(): Promise<void>;
}

/**
 * Prepare each device's link for a real-time simulator process: a PTY pair per `pty` device
 * (socat), a TCP listener bound now (so its port is known before the host connects), or the
 * transport a URL names. Device ends are returned closed; the simulator opens them at power-on.
 * On failure everything opened so far is released.
 */
export async function openDeviceLinks(
  devices: readonly { readonly id: string; readonly baud: number; readonly spec: LinkSpec }[],
  clock: Clock,
): Promise<OpenedLinks> {
  const pairs: PtyPair[] = [];
  const listeners: TcpServerTransport[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(listeners.map((l) => l.close()));
    await Promise.all(pairs.map((p) => p.close()));
  };
  const links: OpenedDeviceLink[] = [];
  try {
    for (const device of devices) {
      const spec = device.spec;
      if (spec.kind === 'pty') {
        const pair = await openPtyPair({ clock });
        pairs.push(pair);
        const [devicePath, hostPath] = pair.paths;
        links.push({
          deviceId: device.id,
          link: { transport: new SerialTransport({ path: devicePath, baud: device.baud }) },
          hostUrl: `serial:${hostPath}${device.baud === DEFAULT_SERIAL_BAUD ? '' : `?baud=${device.baud}`}`,
        });
      } else if (spec.kind === 'tcp-listen') {
        const listener = new TcpServerTransport({ host: spec.host, port: spec.port });
        listeners.push(listener);
        const port = await listener.listen();
        const host = spec.host.includes(':') ? `[${spec.host}]` : spec.host;
        links.push({ deviceId: device.id, link: { transport: listener }, hostUrl: `tcp://${host}:${port}` });
      } else {
        const transport = createTransport(spec.url, { clock });
        if (transport instanceof TcpServerTransport) {
          listeners.push(transport);
          await transport.listen();
        }
        links.push({ deviceId: device.id, link: { transport }, hostUrl: hostUrlFor(transport) });
      }
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { links, close };
}

function hostUrlFor(transport: { readonly url: string }): string {
  return transport.url.replace(/^tcp-listen:\/\//, 'tcp://');
}

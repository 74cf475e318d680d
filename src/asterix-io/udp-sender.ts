/**
 * A UDP socket sending datagrams to one address (a simulated radar's feed, the CAT062 output):
 * unicast, or a multicast group (224.0.0.0-239.255.255.255) sent out of the interface with the
 * IPv4 address `iface` (the OS's default multicast route when absent; TTL 1, looped back to
 * local members). Sends are fire-and-forget: a send error (no route, buffer full) is counted, never thrown — a
 * network output never stops the node.
 */
import { createSocket } from 'node:dgram';

/** One destination. `close` is idempotent; sends after it are dropped (counted as errors). */
export interface UdpSender {
  send(datagram: Uint8Array): void;
  close(): void;
  /** Datagrams handed to the OS, and sends that failed or came after close. */
  readonly counters: { readonly sent: number; readonly errors: number };
}

/** Whether `host` is an IPv4 multicast group (224.0.0.0/4). */
export function isMulticastGroup(host: string): boolean {
  const first = Number(host.split('.')[0]);
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) && first >= 224 && first <= 239;
}

/**
 * Open a UDP socket sending to `host:port` (IPv4). For a multicast group, `iface` (an IPv4
 * address of a local interface) is where the datagrams leave; a bad `iface` rejects with the
 * OS's error.
 */
export async function openUdpSender(host: string, port: number, iface?: string): Promise<UdpSender> {
  const socket = createSocket('udp4');
  socket.on('error', () => undefined);
  // Loopback destinations are sent from loopback: nothing listens on another interface.
  const local = host.startsWith('127.') ? '127.0.0.1' : undefined;
  await new Promise<void>((resolve) => socket.bind(0, local, () => resolve()));
  if (isMulticastGroup(host)) {
    try {
      socket.setMulticastTTL(1);
      socket.setMulticastLoopback(true);
      if (iface !== undefined) socket.setMulticastInterface(iface);
    } catch (error) {
      socket.close();
      throw error;
    }
  }
  const counters = { sent: 0, errors: 0 };
  let closed = false;
  return {
    counters,
    send(datagram) {
      if (closed) {
        counters.errors++;
        return;
      }
      socket.send(datagram, port, host, (error) => {
        if (error) counters.errors++;
        else counters.sent++;
      });
    },
    close() {
      if (closed) return;
      closed = true;
      socket.close();
    },
  };
}

/**
 * A UDP socket sending datagrams to one address (a simulated radar's feed, the CAT062 output).
 * Sends are fire-and-forget: a send error (no route, buffer full) is counted, never thrown — a
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

/** Open an unbound UDP socket sending to `host:port` (IPv4). */
export async function openUdpSender(host: string, port: number): Promise<UdpSender> {
  const socket = createSocket('udp4');
  socket.on('error', () => undefined);
  // Loopback destinations are sent from loopback: nothing listens on another interface.
  const local = host.startsWith('127.') ? '127.0.0.1' : undefined;
  await new Promise<void>((resolve) => socket.bind(0, local, () => resolve()));
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

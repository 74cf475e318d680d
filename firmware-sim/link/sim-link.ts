import type { MemoryLinkPair } from '../../src/transport/memory-transport.js';
import type { Transport } from '../../src/transport/transport.js';

/**
 * The device end of one simulated controller's link, with an optional plug.
 *
 * Contract:
 * - `transport` is the device's end (closed; the simulator opens it at power-on).
 * - `unplug()` / `replug()` model the cable being pulled and put back (a memory link pair's
 *   unplug/replug). When absent, a `disconnect` fault closes the device end and opens it again
 *   (PTY, TCP: the host sees the line go quiet, or the connection refused).
 */
export interface SimLink {
  readonly transport: Transport;
  unplug?(): void | Promise<void>;
  replug?(): void | Promise<void>;
}

/** What createSimulator accepts per device: a bare Transport or a SimLink. */
export type SimLinkInput = Transport | SimLink;

export function toSimLink(input: SimLinkInput): SimLink {
  return 'transport' in input ? input : { transport: input };
}

/** The device side of an in-memory link pair, with the pair's plug. */
export function memorySimLink(pair: MemoryLinkPair): SimLink {
  return { transport: pair.deviceEnd, unplug: () => pair.unplug(), replug: () => pair.replug() };
}

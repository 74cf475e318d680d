import type { TransportEvents } from './transport.js';

type ListenerLists = { [E in keyof TransportEvents]: TransportEvents[E][] };

/**
 * The typed listener registry every transport shares. Listeners run synchronously in
 * registration order; removing a listener during an emit does not skip the others of that
 * emit. A listener that throws propagates to whoever caused the emit (a clock timer, a socket
 * callback), as with Node's EventEmitter — transports do not swallow bugs.
 */
export class TransportEmitter {
  private readonly listeners: ListenerLists = { data: [], close: [], error: [] };

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.listeners[event].push(listener);
  }

  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    const list = this.listeners[event];
    const index = list.lastIndexOf(listener);
    if (index >= 0) list.splice(index, 1);
  }

  emit<E extends keyof TransportEvents>(event: E, ...args: Parameters<TransportEvents[E]>): void {
    for (const listener of [...this.listeners[event]]) {
      (listener as (...a: Parameters<TransportEvents[E]>) => void)(...args);
    }
  }

  /** Number of listeners for `event` (for diagnostics and tests). */
  listenerCount(event: keyof TransportEvents): number {
    return this.listeners[event].length;
  }
}

import type { TransportEvents } from './transport.js';

/** Any listener; each list holds only listeners of its own event (on/off are typed). */
type Listener = (...args: never[]) => void;
type ListenerLists = Record<keyof TransportEvents, readonly Listener[]>;

/**
 * The typed listener registry every transport shares. Listeners run synchronously in
 * registration order; removing a listener during an emit does not skip the others of that
 * emit, and a listener added during an emit is first called by the next one. A listener that
 * throws propagates to whoever caused the emit (a clock timer, a socket callback), as with
 * Node's EventEmitter — transports do not swallow bugs.
 *
 * The lists are copied on `on`/`off` (rare) rather than on every emit (once per chunk), so an
 * emit iterates the list as it was when the emit began without allocating.
 */
export class TransportEmitter {
  private readonly listeners: ListenerLists = { data: [], close: [], error: [] };

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.listeners[event] = [...this.listeners[event], listener];
  }

  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    const list = this.listeners[event];
    const index = list.lastIndexOf(listener);
    if (index >= 0) this.listeners[event] = list.filter((_, i) => i !== index);
  }

  emit<E extends keyof TransportEvents>(event: E, ...args: Parameters<TransportEvents[E]>): void {
    for (const listener of this.listeners[event]) {
      (listener as unknown as (...a: Parameters<TransportEvents[E]>) => void)(...args);
    }
  }

  /** `emit('data', chunk)` without the rest-argument array (the per-chunk path). */
  emitData(chunk: Uint8Array): void {
    for (const listener of this.listeners.data) (listener as TransportEvents['data'])(chunk);
  }

  /** Number of listeners for `event` (for diagnostics and tests). */
  listenerCount(event: keyof TransportEvents): number {
    return this.listeners[event].length;
  }
}

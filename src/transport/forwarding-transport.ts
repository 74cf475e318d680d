import type { Transport, TransportEvents } from './transport.js';

/**
 * A Transport that forwards every call to an inner one: the base of wrappers that watch, count,
 * garble or delay one part of the traffic (override `write`, `open`, `on`, … and call `super`).
 *
 * It deliberately does not forward the optional fast paths (`handOver`, `writeOwned`): a wrapper
 * that looks at writes must see every write, so the layer above falls back to `write`.
 * `url` and `isOpen` are the inner transport's. Errors and events are the inner transport's,
 * unchanged.
 */
export class ForwardingTransport implements Transport {
  constructor(protected readonly inner: Transport) {}

  get url(): string {
    return this.inner.url;
  }

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  open(): Promise<void> {
    return this.inner.open();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  write(bytes: Uint8Array): Promise<void> {
    return this.inner.write(bytes);
  }

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.inner.on(event, listener);
  }

  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.inner.off(event, listener);
  }
}

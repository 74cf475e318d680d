import type { Clock, TimerHandle } from '../time/clock.js';
import { type Transport, type TransportEvents, TransportError } from './transport.js';
import { TransportEmitter } from './transport-emitter.js';

/** Options of {@link createMemoryLinkPair}. */
export interface MemoryLinkOptions {
  /** Every delivery is a timer of this clock: with a VirtualClock, runs are deterministic. */
  readonly clock: Clock;
  /** Names the link in URLs (`memory:<name>`); default `link`. */
  readonly name?: string;
}

/**
 * An in-process serial cable between the host and a simulated device, with a plug.
 *
 * Contract (beyond {@link Transport}):
 * - A write is copied, then delivered to the peer by `clock.setTimer(0, …)` — never inside
 *   `write()` — so with a VirtualClock arrivals happen at the writer's instant, in write order,
 *   once the clock runs. `write()` resolves at once: the medium has no line rate (wrap an end
 *   in PacedTransport for that).
 * - The ends open and close independently, like the two UARTs of a cable: closing one end is
 *   invisible to the other (no `remote`), and bytes that reach an end that is not open are lost.
 * - `unplug()` models a USB adapter pulled out: each open end emits `close('unplugged')`, bytes
 *   in flight are lost, and `open()` rejects with TransportError('open-failed') until `replug()`.
 *   After `replug()` the ends stay closed until opened again. Both are idempotent.
 * - URLs: `memory:<name>` (host end) and `memory:<name>?end=device` (device end).
 */
export interface MemoryLinkPair {
  readonly name: string;
  readonly hostEnd: Transport;
  readonly deviceEnd: Transport;
  readonly plugged: boolean;
  unplug(): void;
  replug(): void;
}

/** Create a connected, plugged, closed pair of in-memory transport ends. */
export function createMemoryLinkPair(options: MemoryLinkOptions): MemoryLinkPair {
  return new MemoryLink(options.clock, options.name ?? 'link');
}

class MemoryLink implements MemoryLinkPair {
  readonly hostEnd: MemoryEnd;
  readonly deviceEnd: MemoryEnd;
  private isPlugged = true;
  private readonly inFlight = new Set<TimerHandle>();

  constructor(
    readonly clock: Clock,
    readonly name: string,
  ) {
    this.hostEnd = new MemoryEnd(this, `memory:${name}`);
    this.deviceEnd = new MemoryEnd(this, `memory:${name}?end=device`);
  }

  get plugged(): boolean {
    return this.isPlugged;
  }

  unplug(): void {
    if (!this.isPlugged) return;
    this.isPlugged = false;
    for (const handle of this.inFlight) handle.cancel();
    this.inFlight.clear();
    // Both ends lose the link before either listener runs, so a listener that reacts by
    // writing or reopening sees a consistent, fully unplugged link.
    const wereOpen = [this.hostEnd, this.deviceEnd].filter((end) => end.endSession());
    const cause = new Error(`memory:${this.name}: unplugged`);
    for (const end of wereOpen) end.emitClose('unplugged', cause);
  }

  replug(): void {
    this.isPlugged = true;
  }

  /** Carry `bytes` to the end opposite `from` on the next timer of the clock. */
  send(from: MemoryEnd, bytes: Uint8Array): void {
    const to = from === this.hostEnd ? this.deviceEnd : this.hostEnd;
    const handle = this.clock.setTimer(0, () => {
      this.inFlight.delete(handle);
      to.receive(bytes);
    });
    this.inFlight.add(handle);
  }
}

class MemoryEnd implements Transport {
  private readonly emitter = new TransportEmitter();
  private open_ = false;

  constructor(
    private readonly link: MemoryLink,
    readonly url: string,
  ) {}

  get isOpen(): boolean {
    return this.open_;
  }

  async open(): Promise<void> {
    if (this.open_) return;
    if (!this.link.plugged) throw new TransportError('open-failed', `${this.url}: unplugged`);
    this.open_ = true;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.open_) throw new TransportError('not-open', `${this.url}: write while closed`);
    if (bytes.length === 0) return;
    this.link.send(this, bytes.slice());
  }

  async close(): Promise<void> {
    if (!this.endSession()) return;
    this.emitter.emit('close', 'local');
  }

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.emitter.on(event, listener);
  }

  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.emitter.off(event, listener);
  }

  /** Mark closed; returns whether a session was open (and so owes a close event). */
  endSession(): boolean {
    const was = this.open_;
    this.open_ = false;
    return was;
  }

  emitClose(reason: 'unplugged', cause: Error): void {
    this.emitter.emit('close', reason, cause);
  }

  receive(bytes: Uint8Array): void {
    // A UART that is not open drops what reaches it.
    if (this.open_) this.emitter.emit('data', bytes);
  }
}

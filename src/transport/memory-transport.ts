import { type Clock, SYNC_ONLY, type TimerHandle } from '../time/clock.js';
import { type SyncHandover, type Transport, type TransportEvents, TransportError } from './transport.js';
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
 *   in PacedTransport for that). Both ends are also {@link SyncHandover}s: `handOver()` is the
 *   same delivery without the copy and the promise (what PacedTransport uses).
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

/**
 * Deliveries in flight are a FIFO: each is a `setTimer(0)` set at a clock time no earlier than
 * the previous one's, so they fire in the order they were queued (Clock contract), and one
 * shared callback takes the oldest. Three parallel arrays, emptied whenever the last delivery
 * fires, keep a delivery free of per-write closures and set entries.
 */
class MemoryLink implements MemoryLinkPair {
  readonly hostEnd: MemoryEnd;
  readonly deviceEnd: MemoryEnd;
  private isPlugged = true;
  private readonly flightTo: MemoryEnd[] = [];
  private readonly flightBytes: Uint8Array[] = [];
  private readonly flightTimers: TimerHandle[] = [];
  /** Index of the oldest delivery in flight. */
  private flightHead = 0;
  private readonly deliverOldest = (): typeof SYNC_ONLY | undefined => {
    const index = this.flightHead;
    const to = this.flightTo[index]!;
    const bytes = this.flightBytes[index]!;
    if (index + 1 === this.flightTo.length) this.clearFlights();
    else this.flightHead = index + 1;
    // Bytes reaching an end that is not open are lost, and nothing else happens.
    return to.receive(bytes) ? undefined : SYNC_ONLY;
  };

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
    for (let i = this.flightHead; i < this.flightTimers.length; i++) this.flightTimers[i]!.cancel();
    this.clearFlights();
    // Both ends lose the link before either listener runs, so a listener that reacts by
    // writing or reopening sees a consistent, fully unplugged link.
    const wereOpen = [this.hostEnd, this.deviceEnd].filter((end) => end.endSession());
    const cause = new Error(`memory:${this.name}: unplugged`);
    for (const end of wereOpen) end.emitClose('unplugged', cause);
  }

  replug(): void {
    this.isPlugged = true;
  }

  /** Carry `bytes` (now owned by the link) to the end opposite `from` on a timer of the clock. */
  send(from: MemoryEnd, bytes: Uint8Array): void {
    this.flightTo.push(from === this.hostEnd ? this.deviceEnd : this.hostEnd);
    this.flightBytes.push(bytes);
    this.flightTimers.push(this.clock.setTimer(0, this.deliverOldest));
  }

  private clearFlights(): void {
    this.flightTo.length = 0;
    this.flightBytes.length = 0;
    this.flightTimers.length = 0;
    this.flightHead = 0;
  }
}

class MemoryEnd implements Transport, SyncHandover {
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

  handOver(bytes: Uint8Array): typeof SYNC_ONLY {
    if (!this.open_) throw new TransportError('not-open', `${this.url}: write while closed`);
    if (bytes.length > 0) this.link.send(this, bytes);
    return SYNC_ONLY;
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

  /** Bytes arriving from the peer; returns whether they were delivered (false: end not open). */
  receive(bytes: Uint8Array): boolean {
    // A UART that is not open drops what reaches it.
    if (!this.open_) return false;
    this.emitter.emitData(bytes);
    return true;
  }
}

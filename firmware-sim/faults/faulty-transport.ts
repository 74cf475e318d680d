import type { DeviceFault } from '../../src/config/scenario-fault-schema.js';
import { type Clock, SYNC_ONLY } from '../../src/time/clock.js';
import {
  type SyncHandover,
  type Transport,
  type TransportEvents,
  syncHandoverOf,
} from '../../src/transport/transport.js';
import { TransportEmitter } from '../../src/transport/transport-emitter.js';
import { ForwardingTransport } from '../../src/transport/forwarding-transport.js';
import type { Prng } from '../prng.js';

/** Which way bytes go, seen from the device. */
export type WireDirection = 'to-host' | 'to-device';

/** A fault that is active now, with its own random stream. */
export interface ActiveFault {
  readonly fault: DeviceFault;
  readonly prng: Prng;
}

/** What the wire asks about the faults active now (implemented by the FaultController). */
export interface WireFaultSource {
  /**
   * Active wire faults of these kinds acting in `direction`, in activation order. Called for
   * every chunk: the caller only reads the list, and may be handed the same one again.
   */
  wireFaults(direction: WireDirection): readonly ActiveFault[];
  /** True while the device's output is muted (`silence`). */
  readonly silenced: boolean;
}

/** Counters of what the faults did, per direction. */
export interface WireFaultCounters {
  droppedBytes: number;
  flippedBytes: number;
  duplicatedFrames: number;
  garbageBytes: number;
  delayedChunks: number;
  silencedBytes: number;
}

function emptyCounters(): WireFaultCounters {
  return { droppedBytes: 0, flippedBytes: 0, duplicatedFrames: 0, garbageBytes: 0, delayedChunks: 0, silencedBytes: 0 };
}

/**
 * The wire between a device's UART and its link, where byte-level faults happen: drop, bit
 * flips, duplicated frames, latency with jitter (order kept), silence of the device's output,
 * and garbage bursts. Sits under PacedTransport, so faults act on bytes as they leave the line.
 * Everything random comes from the faults' seeded streams; every delay is a Clock timer.
 *
 * Open, close and close events are the inner transport's. Writes resolve at once (the wire does
 * not push back); a write that fails on the inner transport is counted as an `error` event.
 * It is a {@link SyncHandover} (what PacedTransport above it uses): `handOver()` is `write()`
 * done in the call, passing the bytes on without a copy when the inner transport is one too.
 */
export class FaultyTransport extends ForwardingTransport implements SyncHandover {
  readonly counters: Record<WireDirection, WireFaultCounters> = {
    'to-host': emptyCounters(),
    'to-device': emptyCounters(),
  };
  private readonly emitter = new TransportEmitter();
  private readonly frameBuffer: Record<WireDirection, number[]> = { 'to-host': [], 'to-device': [] };
  private readonly lastDeliveryUs: Record<WireDirection, number> = { 'to-host': -Infinity, 'to-device': -Infinity };
  private readonly innerSync: SyncHandover | undefined;

  constructor(
    override readonly inner: Transport,
    private readonly clock: Clock,
    private readonly source: WireFaultSource,
  ) {
    super(inner);
    this.innerSync = syncHandoverOf(inner);
    inner.on('data', (chunk) => this.fromHost(chunk));
    inner.on('close', (reason, cause) => {
      this.frameBuffer['to-host'].length = 0;
      this.frameBuffer['to-device'].length = 0;
      this.emitter.emit('close', reason, cause);
    });
    inner.on('error', (error) => this.emitter.emit('error', error));
  }

  override on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.emitter.on(event, listener);
  }

  override off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.emitter.off(event, listener);
  }

  override async write(bytes: Uint8Array): Promise<void> {
    this.toHost(bytes, false);
  }

  handOver(bytes: Uint8Array): typeof SYNC_ONLY | undefined {
    return this.toHost(bytes, true) ? SYNC_ONLY : undefined;
  }

  /** Put `bytes` of line noise on the wire in `direction`, now. */
  injectGarbage(bytes: Uint8Array, direction: WireDirection): void {
    this.counters[direction].garbageBytes += bytes.length;
    if (direction === 'to-host') {
      if (!this.source.silenced) this.deliver(bytes, 'to-host', false);
    } else {
      this.deliver(bytes, 'to-device', false);
    }
  }

  /** The device's output; `owned`: ours to pass on uncopied. Returns whether it was synchronous. */
  private toHost(bytes: Uint8Array, owned: boolean): boolean {
    if (this.source.silenced) {
      this.counters['to-host'].silencedBytes += bytes.length;
      return true;
    }
    const out = this.corrupt(bytes, 'to-host');
    return this.deliver(out, 'to-host', owned || out !== bytes);
  }

  private fromHost(chunk: Uint8Array): void {
    this.deliver(this.corrupt(chunk, 'to-device'), 'to-device', true);
  }

  /** Drop, flip and duplicate, byte by byte, in the order the faults were activated. */
  private corrupt(bytes: Uint8Array, direction: WireDirection): Uint8Array {
    const faults = this.source.wireFaults(direction);
    if (faults.length === 0) return bytes;
    const counters = this.counters[direction];
    const frame = this.frameBuffer[direction];
    const out: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      let byte: number | undefined = bytes[i]!;
      for (const { fault, prng } of faults) {
        if (byte === undefined) break;
        if (fault.kind === 'drop' && prng.chance(fault.rate)) {
          byte = undefined;
          counters.droppedBytes++;
        } else if (fault.kind === 'bit-flip' && prng.chance(fault.rate)) {
          byte ^= 1 << prng.int(8);
          counters.flippedBytes++;
        }
      }
      if (byte === undefined) continue;
      out.push(byte);
      frame.push(byte);
      if (byte !== 0) continue;
      for (const { fault, prng } of faults) {
        if (fault.kind === 'duplicate' && prng.chance(fault.rate)) {
          out.push(...frame);
          counters.duplicatedFrames++;
        }
      }
      frame.length = 0;
    }
    if (frame.length > 300) frame.splice(0, frame.length - 300); // no delimiter in sight: keep it bounded
    return Uint8Array.from(out);
  }

  /**
   * Hand bytes on, after the sum of the active latencies plus jitter, never reordering.
   * `owned`: nobody else holds `bytes`. Returns whether nothing asynchronous was started.
   */
  private deliver(bytes: Uint8Array, direction: WireDirection, owned: boolean): boolean {
    if (bytes.length === 0) return true;
    let delayUs = 0;
    for (const { fault, prng } of this.source.wireFaults(direction)) {
      if (fault.kind === 'latency') delayUs += (fault.latencyMs + prng.uniform(0, fault.jitterMs ?? 0)) * 1000;
    }
    const now = this.clock.nowUs();
    const atUs = Math.max(now + delayUs, this.lastDeliveryUs[direction]);
    this.lastDeliveryUs[direction] = atUs;
    if (atUs <= now) return this.hand(bytes, direction, owned);
    this.counters[direction].delayedChunks++;
    this.clock.setTimerAt(atUs, () => (this.hand(bytes, direction, owned) ? SYNC_ONLY : undefined));
    return true;
  }

  /** The far side of the wire: to the host's transport, or to the device's listeners. */
  private hand(bytes: Uint8Array, direction: WireDirection, owned: boolean): boolean {
    if (!this.inner.isOpen) return true;
    if (direction === 'to-device') {
      this.emitter.emitData(bytes);
      return false;
    }
    if (owned && this.innerSync !== undefined) {
      try {
        return this.innerSync.handOver(bytes) === SYNC_ONLY;
      } catch (error) {
        // Reported as a failed write() is: from a microtask.
        queueMicrotask(() => this.onWriteError(error));
        return false;
      }
    }
    this.inner.write(bytes).catch((error: unknown) => this.onWriteError(error));
    return false;
  }

  private onWriteError(error: unknown): void {
    this.emitter.emit('error', error instanceof Error ? error : new Error(String(error)));
  }
}

import type { DeviceFault } from '../../src/config/scenario-fault-schema.js';
import type { Clock } from '../../src/time/clock.js';
import { type Transport, type TransportEvents } from '../../src/transport/transport.js';
import { TransportEmitter } from '../../src/transport/transport-emitter.js';
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
  /** Active wire faults of these kinds acting in `direction`, in activation order. */
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
 */
export class FaultyTransport implements Transport {
  readonly counters: Record<WireDirection, WireFaultCounters> = {
    'to-host': emptyCounters(),
    'to-device': emptyCounters(),
  };
  private readonly emitter = new TransportEmitter();
  private readonly frameBuffer: Record<WireDirection, number[]> = { 'to-host': [], 'to-device': [] };
  private readonly lastDeliveryUs: Record<WireDirection, number> = { 'to-host': -Infinity, 'to-device': -Infinity };

  constructor(
    readonly inner: Transport,
    private readonly clock: Clock,
    private readonly source: WireFaultSource,
  ) {
    inner.on('data', (chunk) => this.fromHost(chunk));
    inner.on('close', (reason, cause) => {
      this.frameBuffer['to-host'].length = 0;
      this.frameBuffer['to-device'].length = 0;
      this.emitter.emit('close', reason, cause);
    });
    inner.on('error', (error) => this.emitter.emit('error', error));
  }

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

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.emitter.on(event, listener);
  }

  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.emitter.off(event, listener);
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.source.silenced) {
      this.counters['to-host'].silencedBytes += bytes.length;
      return;
    }
    const out = this.corrupt(bytes, 'to-host');
    this.deliver(out, 'to-host');
  }

  /** Put `bytes` of line noise on the wire in `direction`, now. */
  injectGarbage(bytes: Uint8Array, direction: WireDirection): void {
    this.counters[direction].garbageBytes += bytes.length;
    if (direction === 'to-host') {
      if (!this.source.silenced) this.deliver(bytes, 'to-host');
    } else {
      this.deliver(bytes, 'to-device');
    }
  }

  private fromHost(chunk: Uint8Array): void {
    this.deliver(this.corrupt(chunk, 'to-device'), 'to-device');
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

  /** Hand bytes on, after the sum of the active latencies plus jitter, never reordering. */
  private deliver(bytes: Uint8Array, direction: WireDirection): void {
    if (bytes.length === 0) return;
    let delayUs = 0;
    for (const { fault, prng } of this.source.wireFaults(direction)) {
      if (fault.kind === 'latency') delayUs += (fault.latencyMs + prng.uniform(0, fault.jitterMs ?? 0)) * 1000;
    }
    const now = this.clock.nowUs();
    const atUs = Math.max(now + delayUs, this.lastDeliveryUs[direction]);
    this.lastDeliveryUs[direction] = atUs;
    const hand = (): void => {
      if (direction === 'to-device') {
        if (this.inner.isOpen) this.emitter.emit('data', bytes);
      } else if (this.inner.isOpen) this.inner.write(bytes).catch((error: unknown) => this.onWriteError(error));
    };
    if (atUs <= now) hand();
    else {
      this.counters[direction].delayedChunks++;
      this.clock.setTimerAt(atUs, hand);
    }
  }

  private onWriteError(error: unknown): void {
    this.emitter.emit('error', error instanceof Error ? error : new Error(String(error)));
  }
}

import type { Clock, TimerHandle } from '../time/clock.js';
import { US_PER_MS } from '../time/clock.js';
import type { Transport, TransportCloseReason, TransportEvents } from '../transport/transport.js';
import { DirectionFaults } from './direction-faults.js';
import type { FaultSpec, ProxyDirection } from './fault-spec.js';
import type { ProxyDirectionCounters, ProxyFaultRecord } from './proxy-fault-record.js';

/** Default wait before reopening a side that closed unexpectedly. */
export const DEFAULT_PROXY_REOPEN_US = 200 * US_PER_MS;

/** Options of {@link FaultProxy}. */
export interface FaultProxyOptions {
  /** The controller's link (a serial port, a TCP device server, a simulator's memory link). */
  readonly device: Transport;
  /** What the host opens (the proxy's end of a PTY pair, a TCP listener, a memory link). */
  readonly host: Transport;
  /** Times delays and reopen attempts; a VirtualClock makes a proxied run deterministic. */
  readonly clock: Clock;
  readonly faults: FaultSpec;
  /** Seeds each direction's random stream (`<seed>/to-host`, `<seed>/to-device`). */
  readonly seed: number;
  /** Every injected fault, in order. Default: not logged (still counted). */
  readonly log?: (record: ProxyFaultRecord) => void;
  /** Wait before reopening a side that closed unexpectedly; default 200 ms. */
  readonly reopenUs?: number;
  /** Diagnostics (a side closed, a reopen failed). */
  readonly onNotice?: (line: string) => void;
}

/** Counters of both directions and of the two sides. */
export interface FaultProxyCounters {
  readonly 'to-host': Readonly<ProxyDirectionCounters>;
  readonly 'to-device': Readonly<ProxyDirectionCounters>;
  /** Unexpected closes seen per side. */
  readonly deviceCloses: number;
  readonly hostCloses: number;
  /** Writes that failed on an open side. */
  readonly writeErrors: number;
}

interface Side {
  readonly name: 'device' | 'host';
  readonly transport: Transport;
  reopen: TimerHandle | undefined;
  closes: number;
}

/**
 * A serial cable with seeded faults in it: forwards bytes both ways between a controller's link
 * and the host's, applying per-direction drop, bit flip, frame duplication, garbage bursts and
 * delay with jitter (order kept, like a real line), and reporting every injected fault.
 *
 * Contract:
 * - `start()` opens both sides; a side that cannot be opened, or that closes unexpectedly, is
 *   reopened every `reopenUs` until `stop()`. Bytes arriving while the other side is closed are
 *   lost and counted (a serial line has no buffer), never queued for later.
 * - The proxy never closes one side because the other closed: a serial line cannot tell.
 * - Bytes are never reordered within a direction; delays keep order (each chunk leaves no
 *   earlier than the one before it).
 * - With the same seed, spec and input bytes (chunking aside for delays), the same faults.
 * - `stop()` cancels every timer, closes both sides and removes its listeners. Idempotent.
 */
export class FaultProxy {
  private readonly sides: Record<'device' | 'host', Side>;
  private readonly directions: Record<ProxyDirection, DirectionFaults>;
  private readonly lastDeliveryUs: Record<ProxyDirection, number> = { 'to-host': 0, 'to-device': 0 };
  private readonly pending = new Set<TimerHandle>();
  private readonly listeners: Array<[Transport, keyof TransportEvents, (...args: never[]) => void]> = [];
  private writeErrors = 0;
  private running = false;

  constructor(private readonly options: FaultProxyOptions) {
    this.sides = {
      device: { name: 'device', transport: options.device, reopen: undefined, closes: 0 },
      host: { name: 'host', transport: options.host, reopen: undefined, closes: 0 },
    };
    const report = (record: Omit<ProxyFaultRecord, 'tUs'>): void =>
      options.log?.({ tUs: Math.round(options.clock.nowUs()), ...record });
    this.directions = {
      'to-host': new DirectionFaults('to-host', options.faults['to-host'], options.seed, report),
      'to-device': new DirectionFaults('to-device', options.faults['to-device'], options.seed, report),
    };
  }

  /** Open both sides (in the background when one is not there yet) and start forwarding. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.wire(this.sides.device, this.sides.host, 'to-host');
    this.wire(this.sides.host, this.sides.device, 'to-device');
    await Promise.all([this.tryOpen(this.sides.device), this.tryOpen(this.sides.host)]);
  }

  /** Stop forwarding, cancel timers, close both sides. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const timer of this.pending) timer.cancel();
    this.pending.clear();
    for (const side of Object.values(this.sides)) side.reopen?.cancel();
    for (const [transport, event, listener] of this.listeners.splice(0)) {
      transport.off(event, listener as TransportEvents[typeof event]);
    }
    await Promise.all(Object.values(this.sides).map((s) => s.transport.close()));
  }

  counters(): FaultProxyCounters {
    return {
      'to-host': { ...this.directions['to-host'].counters },
      'to-device': { ...this.directions['to-device'].counters },
      deviceCloses: this.sides.device.closes,
      hostCloses: this.sides.host.closes,
      writeErrors: this.writeErrors,
    };
  }

  private wire(from: Side, to: Side, direction: ProxyDirection): void {
    const onData = (chunk: Uint8Array): void => this.forward(chunk, to, direction);
    const onClose = (reason: TransportCloseReason): void => {
      if (reason === 'local' || !this.running) return;
      from.closes++;
      this.options.onNotice?.(`${from.name} side closed (${reason}); reopening`);
      this.scheduleReopen(from);
    };
    const onError = (): void => undefined; // counted by the transport's owner; the proxy only forwards
    from.transport.on('data', onData);
    from.transport.on('close', onClose);
    from.transport.on('error', onError);
    this.listeners.push(
      [from.transport, 'data', onData],
      [from.transport, 'close', onClose],
      [from.transport, 'error', onError],
    );
  }

  private forward(chunk: Uint8Array, to: Side, direction: ProxyDirection): void {
    if (!this.running) return;
    const faults = this.directions[direction];
    const offset = faults.counters.bytesIn;
    const bytes = faults.apply(chunk);
    if (bytes.length === 0) return;
    const delayUs = faults.delayUs(offset);
    if (delayUs === 0 && this.pending.size === 0) {
      this.write(to, bytes, direction);
      return;
    }
    // Order is kept: a chunk never leaves before the one ahead of it.
    const atUs = Math.max(this.options.clock.nowUs() + delayUs, this.lastDeliveryUs[direction]);
    this.lastDeliveryUs[direction] = atUs;
    const timer = this.options.clock.setTimerAt(atUs, () => {
      this.pending.delete(timer);
      this.write(to, bytes, direction);
    });
    this.pending.add(timer);
  }

  private write(to: Side, bytes: Uint8Array, direction: ProxyDirection): void {
    if (!to.transport.isOpen) {
      this.directions[direction].counters.lostWhileClosed += bytes.length;
      return;
    }
    to.transport.write(bytes).catch(() => this.writeErrors++);
  }

  private async tryOpen(side: Side): Promise<void> {
    if (!this.running) return;
    try {
      await side.transport.open();
    } catch (error) {
      this.options.onNotice?.(`${side.name} side: ${error instanceof Error ? error.message : String(error)}`);
      this.scheduleReopen(side);
    }
  }

  private scheduleReopen(side: Side): void {
    if (!this.running || side.reopen !== undefined) return;
    side.reopen = this.options.clock.setTimer(this.options.reopenUs ?? DEFAULT_PROXY_REOPEN_US, () => {
      side.reopen = undefined;
      void this.tryOpen(side);
    });
  }
}

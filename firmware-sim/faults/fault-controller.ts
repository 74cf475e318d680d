import type { DeviceFault } from '../../src/config/scenario-fault-schema.js';
import type { Clock, TimerHandle } from '../../src/time/clock.js';
import type { DevicePort } from '../link/device-port.js';
import { Prng } from '../prng.js';
import type { TruthSink } from '../truth/truth-sink.js';
import type { ActiveFault, FaultyTransport, WireDirection, WireFaultSource } from './faulty-transport.js';
import { OutageTracker } from './outage-tracker.js';

/** A fault scheduled or active on a device. */
export interface FaultHandle {
  readonly fault: DeviceFault;
  /** Whether it is active now. */
  readonly active: boolean;
  /** Whether it ended (its window passed or clear() was called). */
  readonly ended: boolean;
  /** End it now (or cancel it before it starts). Idempotent. */
  clear(): void;
}

/** Options of {@link FaultController}. */
export interface FaultControllerOptions {
  readonly deviceId: string;
  readonly clock: Clock;
  /** Shared-clock instant of power-on (scenario time 0). */
  readonly powerOnUs: number;
  readonly seed: number;
  readonly truth: TruthSink;
  readonly port: DevicePort;
}

const WIRE_KINDS = new Set(['drop', 'bit-flip', 'latency', 'duplicate']);

class FaultEntry implements FaultHandle, ActiveFault {
  active = false;
  ended = false;
  readonly timers: TimerHandle[] = [];
  /** The next garbage burst. */
  loop: TimerHandle | undefined;
  constructor(
    readonly fault: DeviceFault,
    readonly prng: Prng,
    private readonly onClear: (entry: FaultEntry) => void,
  ) {}

  clear(): void {
    this.onClear(this);
  }
}

/**
 * The faults of one device (docs/decisions/0006-firmware-simulator.md), from the scenario and injected at run time: keeps
 * their windows on the Clock, answers the wire (FaultyTransport) and the firmware (`nak-all`,
 * `slow`) about what is active, pulls the plug for `disconnect`, and tracks link outages for
 * the truth log. Each fault draws from its own seeded stream, `<device>/fault/<n>`.
 */
export class FaultController implements WireFaultSource {
  readonly outage = new OutageTracker();
  private readonly entries: FaultEntry[] = [];
  private wire: FaultyTransport | undefined;
  private runtimeCount = 0;
  private silenceCount = 0;
  private slowPrng: Prng;
  /** wireFaults() per direction, kept until a fault starts or ends (it is asked per chunk). */
  private wireCache: Partial<Record<WireDirection, readonly ActiveFault[]>> = {};

  constructor(private readonly options: FaultControllerOptions) {
    this.slowPrng = new Prng(options.seed, `${options.deviceId}/fault/slow-jitter`);
  }

  /** The wire this controller feeds garbage into. */
  attachWire(wire: FaultyTransport): void {
    this.wire = wire;
  }

  /** Schedule the scenario's faults of this device. */
  schedule(faults: readonly DeviceFault[]): void {
    faults.forEach((fault, i) => this.add(fault, `${this.options.deviceId}/fault/${i}`));
  }

  /**
   * Inject a fault at run time. `atS` (scenario seconds) is honoured when in the future;
   * otherwise it starts now. Without `forS` it lasts until cleared.
   */
  inject(fault: DeviceFault): FaultHandle {
    return this.add(fault, `${this.options.deviceId}/fault/runtime-${this.runtimeCount++}`);
  }

  /** End every fault (active or scheduled), with its end effects (replug, outage end) and log. */
  clearAll(): void {
    for (const entry of [...this.entries]) this.finish(entry);
  }

  /** Power-off: cancel every fault's timers, with no end effects and nothing logged. */
  stop(): void {
    this.wireCache = {};
    for (const entry of this.entries.splice(0)) {
      entry.ended = true;
      entry.active = false;
      for (const timer of entry.timers) timer.cancel();
      entry.loop?.cancel();
    }
    this.silenceCount = 0;
  }

  /** Faults active now. */
  get activeFaults(): readonly DeviceFault[] {
    return this.entries.filter((e) => e.active).map((e) => e.fault);
  }

  get silenced(): boolean {
    return this.silenceCount > 0;
  }

  wireFaults(direction: WireDirection): readonly ActiveFault[] {
    const cached = this.wireCache[direction];
    if (cached !== undefined) return cached;
    const faults = this.entries.filter((e) => {
      if (!e.active || !WIRE_KINDS.has(e.fault.kind)) return false;
      const wanted = (e.fault as { direction?: string }).direction ?? 'both';
      return wanted === 'both' || wanted === direction;
    });
    this.wireCache[direction] = faults;
    return faults;
  }

  /** The NAK reason while a `nak-all` fault is active. */
  nakAllReason(): 'unspecified' | 'busy' | 'bad-state' | 'unsupported' | undefined {
    for (const e of this.entries) if (e.active && e.fault.kind === 'nak-all') return e.fault.reason ?? 'unspecified';
    return undefined;
  }

  /** Extra delay of an answer while `slow` faults are active, microseconds (draws jitter). */
  slowDelayUs(): number {
    let delayUs = 0;
    for (const e of this.entries) {
      if (e.active && e.fault.kind === 'slow') {
        delayUs += (e.fault.delayMs + this.slowPrng.uniform(0, e.fault.jitterMs ?? 0)) * 1000;
      }
    }
    return delayUs;
  }

  private add(fault: DeviceFault, stream: string): FaultEntry {
    const entry = new FaultEntry(fault, new Prng(this.options.seed, stream), (e) => this.finish(e));
    this.entries.push(entry);
    const clock = this.options.clock;
    const startUs = Math.max(clock.nowUs(), this.options.powerOnUs + (fault.atS ?? 0) * 1e6);
    entry.timers.push(clock.setTimerAt(startUs, () => this.activate(entry)));
    if (fault.forS !== undefined) {
      entry.timers.push(clock.setTimerAt(startUs + fault.forS * 1e6, () => this.finish(entry)));
    }
    return entry;
  }

  private activate(entry: FaultEntry): void {
    if (entry.ended || entry.active) return;
    entry.active = true;
    this.wireCache = {};
    this.log(entry, 'start');
    const fault = entry.fault;
    const now = this.options.clock.nowUs();
    switch (fault.kind) {
      case 'silence':
        this.silenceCount++;
        this.outage.begin(now);
        break;
      case 'disconnect':
        this.outage.begin(now);
        void this.options.port.unplug();
        break;
      case 'garbage':
        this.scheduleGarbage(entry);
        break;
      default:
        break;
    }
  }

  private finish(entry: FaultEntry): void {
    if (entry.ended) return;
    entry.ended = true;
    for (const timer of entry.timers) timer.cancel();
    entry.loop?.cancel();
    const index = this.entries.indexOf(entry);
    if (index >= 0) this.entries.splice(index, 1);
    this.wireCache = {};
    if (!entry.active) return;
    entry.active = false;
    this.log(entry, 'end');
    switch (entry.fault.kind) {
      case 'silence':
        this.silenceCount--;
        this.outage.end();
        break;
      case 'disconnect':
        this.outage.end();
        void this.options.port.replug();
        break;
      default:
        break;
    }
  }

  private scheduleGarbage(entry: FaultEntry): void {
    const fault = entry.fault;
    if (fault.kind !== 'garbage') return;
    const clock = this.options.clock;
    const next = (): void => {
      if (!entry.active) return;
      const minBytes = fault.minBytes ?? 1;
      const maxBytes = Math.max(minBytes, fault.maxBytes ?? 32);
      const length = minBytes + entry.prng.int(maxBytes - minBytes + 1);
      const bytes = new Uint8Array(length);
      for (let i = 0; i < length; i++) bytes[i] = entry.prng.int(256);
      const direction = fault.direction ?? 'both';
      if (direction !== 'to-device') this.wire?.injectGarbage(bytes, 'to-host');
      if (direction !== 'to-host') this.wire?.injectGarbage(bytes, 'to-device');
      entry.loop = clock.setTimer(entry.prng.exponential(1e6 / fault.ratePerS), next);
    };
    entry.loop = clock.setTimer(entry.prng.exponential(1e6 / fault.ratePerS), next);
  }

  private log(entry: FaultEntry, phase: 'start' | 'end'): void {
    this.options.truth.write({
      kind: 'fault',
      tUs: this.options.clock.nowUs() - this.options.powerOnUs,
      deviceId: this.options.deviceId,
      fault: entry.fault.kind,
      phase,
    });
  }
}

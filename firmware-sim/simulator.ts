import type { Scenario } from '../src/config/scenario-schema.js';
import type { Message } from '../src/protocol/message-types.js';
import type { Clock, TimerHandle } from '../src/time/clock.js';
import type { SimulatedDevice } from './device/simulated-device.js';
import type { FaultController } from './faults/fault-controller.js';
import { SimulatedLauncher } from './launcher/launcher-firmware.js';
import { type SimLinkInput, toSimLink } from './link/sim-link.js';
import { SimulatedRadar } from './radar/radar-firmware.js';
import { SimulatorError } from './simulator-error.js';
import { NULL_TRUTH_SINK, type TruthSink } from './truth/truth-sink.js';
import { World } from './world/world.js';

/** Per-device test options. */
export interface SimulatedDeviceOverrides {
  /** Schema hash advertised in IDENT (a wrong one makes the host fail closed, ICD-HOST-003). */
  readonly schemaHash?: number;
  /** Pace the device output at its baud (default true). */
  readonly paced?: boolean;
}

/** Options of {@link createSimulator}. */
export interface SimulatorOptions {
  readonly scenario: Scenario;
  /** The one clock: a VirtualClock shared with the host (lockstep), or a RealClock. */
  readonly clock: Clock;
  /** The device end of each device's link, by device id (every radar and launcher needs one). */
  readonly links: Readonly<Record<string, SimLinkInput>>;
  /** Where truth records go (default: nowhere). */
  readonly truthSink?: TruthSink;
  /** Named in the run-start record (default the scenario's name). */
  readonly scenarioName?: string;
  readonly devices?: Readonly<Record<string, SimulatedDeviceOverrides>>;
  /** Shared-clock instant of power-on (default: now, at creation). */
  readonly powerOnUs?: number;
  /** Interceptor physics step (default 10 ms; kills are exact within a step). */
  readonly physicsStepUs?: number;
  /** Power everything off when durationS is reached (default true). */
  readonly stopAtEnd?: boolean;
  /** Diagnostics (port reopen attempts). Default: none. */
  readonly onLog?: (line: string) => void;
}

export type AnySimulatedDevice = SimulatedRadar | SimulatedLauncher;

/**
 * A simulated bench: the world and the firmware of every radar and launcher of a scenario.
 *
 * Contract:
 * - `start()` powers every device on at `powerOnUs` (heartbeats, status, scans, scheduled
 *   faults) and opens their links; it returns at once (a TCP listener waits for its client in
 *   the background).
 * - At `durationS` the world writes its run-end record and, unless `stopAtEnd` is false, every
 *   device powers off; `ended` resolves then, or on `stop()`.
 * - `stop()` is idempotent; it closes the links and the truth sink.
 * - With a VirtualClock the run is a pure function of the scenario, the seed and what the host
 *   sends: same inputs, byte-identical device output and truth log.
 */
export interface Simulator {
  readonly scenario: Scenario;
  readonly world: World;
  readonly devices: ReadonlyMap<string, AnySimulatedDevice>;
  readonly running: boolean;
  readonly ended: Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  device(id: string): AnySimulatedDevice;
  radar(id: string): SimulatedRadar;
  launcher(id: string): SimulatedLauncher;
  /** The fault controller of a device: `inject()` faults at run time. */
  faults(id: string): FaultController;
  /** See SimulatedDevice.expectHostMessage. */
  expectHostMessage(deviceId: string, predicate: (message: Message) => boolean, timeoutUs: number): Promise<Message>;
}

export function createSimulator(options: SimulatorOptions): Simulator {
  return new BenchSimulator(options);
}

class BenchSimulator implements Simulator {
  readonly scenario: Scenario;
  readonly world: World;
  readonly devices = new Map<string, AnySimulatedDevice>();
  readonly ended: Promise<void>;
  private readonly clock: Clock;
  private readonly truth: TruthSink;
  private readonly powerOnUs: number;
  private state: 'created' | 'running' | 'finished' | 'stopped' = 'created';
  private endTimer: TimerHandle | undefined;
  private resolveEnded!: () => void;

  constructor(private readonly options: SimulatorOptions) {
    this.scenario = options.scenario;
    this.clock = options.clock;
    this.truth = options.truthSink ?? NULL_TRUTH_SINK;
    this.powerOnUs = options.powerOnUs ?? options.clock.nowUs();
    this.ended = new Promise<void>((resolve) => (this.resolveEnded = resolve));
    this.world = new World({
      scenario: options.scenario,
      clock: options.clock,
      truth: this.truth,
      powerOnUs: this.powerOnUs,
      ...(options.physicsStepUs === undefined ? {} : { physicsStepUs: options.physicsStepUs }),
    });
    const common = (
      id: string,
      spec: {
        serial?: number | undefined;
        clock: { offsetUs: number; driftPpm: number };
        baud: number;
        faults: Scenario['radars'][number]['faults'];
      },
    ) => {
      const link = options.links[id];
      if (link === undefined) throw new SimulatorError('missing-link', `no link given for device '${id}'`);
      const overrides = options.devices?.[id] ?? {};
      return {
        id,
        serial: spec.serial ?? defaultSerial(id),
        clock: options.clock,
        powerOnUs: this.powerOnUs,
        deviceClock: spec.clock,
        baud: spec.baud,
        link: toSimLink(link),
        seed: options.scenario.seed,
        truth: this.truth,
        faults: spec.faults,
        ...(overrides.schemaHash === undefined ? {} : { schemaHash: overrides.schemaHash }),
        ...(overrides.paced === undefined ? {} : { paced: overrides.paced }),
        ...(options.onLog === undefined ? {} : { onLog: options.onLog }),
      };
    };
    for (const spec of options.scenario.radars) {
      this.devices.set(spec.id, new SimulatedRadar({ ...common(spec.id, spec), spec, world: this.world }));
    }
    for (const spec of options.scenario.launchers) {
      this.devices.set(spec.id, new SimulatedLauncher({ ...common(spec.id, spec), spec, world: this.world }));
    }
  }

  get running(): boolean {
    return this.state === 'running';
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new SimulatorError('already-started', 'the simulator was already started');
    this.state = 'running';
    this.truth.write({
      kind: 'run-start',
      tUs: 0,
      scenario: this.options.scenarioName ?? this.scenario.name ?? 'unnamed',
      seed: this.scenario.seed,
      durationS: this.scenario.durationS,
      clock: this.clock.kind,
      targets: this.scenario.targets.map((t) => ({ targetId: t.id, iff: t.iff, targetKind: t.kind })),
      devices: [...this.devices.keys()],
    });
    this.world.start();
    for (const device of this.devices.values()) device.start();
    this.endTimer = this.clock.setTimerAt(this.powerOnUs + this.scenario.durationS * 1e6, () => {
      this.endTimer = undefined;
      this.finish();
      if (this.options.stopAtEnd !== false) void this.stop();
    });
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    if (this.state === 'running') this.finish();
    this.state = 'stopped';
    this.endTimer?.cancel();
    await Promise.all([...this.devices.values()].map((d) => d.stop()));
    await this.truth.close?.();
    this.resolveEnded();
  }

  device(id: string): AnySimulatedDevice {
    const device = this.devices.get(id);
    if (device === undefined) {
      throw new SimulatorError('unknown-device', `no device '${id}' (have ${[...this.devices.keys()].join(', ')})`);
    }
    return device;
  }

  radar(id: string): SimulatedRadar {
    const device = this.device(id);
    if (!(device instanceof SimulatedRadar)) throw new SimulatorError('wrong-device-kind', `'${id}' is not a radar`);
    return device;
  }

  launcher(id: string): SimulatedLauncher {
    const device = this.device(id);
    if (!(device instanceof SimulatedLauncher))
      throw new SimulatorError('wrong-device-kind', `'${id}' is not a launcher`);
    return device;
  }

  faults(id: string): FaultController {
    return this.device(id).faults;
  }

  expectHostMessage(deviceId: string, predicate: (message: Message) => boolean, timeoutUs: number): Promise<Message> {
    return (this.device(deviceId) as SimulatedDevice<unknown>).expectHostMessage(predicate, timeoutUs);
  }

  /** The scenario is over: settle the world and write the totals. */
  private finish(): void {
    if (this.state !== 'running') return;
    this.state = 'finished';
    this.world.finish();
    this.world.writeRunEnd();
  }
}

/** A stable serial number from the device id (FNV-1a), when the scenario gives none. */
function defaultSerial(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

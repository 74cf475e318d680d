/**
 * The one test harness that puts the firmware simulator on memory links in virtual time. Every
 * test that needs "the simulator, one link per device, a VirtualClock" builds on this function
 * (the raw-frame host ends of test/firmware-sim, the driver benches of test/reliability, the
 * conformance kit's bench, the wire oracle); each adds only what its own tests drive.
 */
import { memorySimLink, type SimLinkInput } from '../../firmware-sim/link/sim-link.js';
import {
  type Simulator,
  type SimulatorOptions,
  type SimulatedDeviceOverrides,
  createSimulator,
} from '../../firmware-sim/simulator.js';
import { MemoryTruthSink } from '../../firmware-sim/truth/truth-sink.js';
import { type Scenario, type ScenarioInput, scenarioSchema } from '../../src/config/scenario-schema.js';
import type { Clock } from '../../src/time/clock.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { type MemoryLinkPair, createMemoryLinkPair } from '../../src/transport/memory-transport.js';
import { PacedTransport } from '../../src/transport/paced-transport.js';
import type { Transport } from '../../src/transport/transport.js';

/** Options of {@link simOnMemoryLinks}. Every option has a default; none is required. */
export interface SimLinksOptions<C extends VirtualClock = VirtualClock> {
  /** The scenario the simulator plays (validated with the scenario schema; throws on a bad one). */
  readonly scenario: ScenarioInput;
  /** The clock of the links and the host side (default a new VirtualClock at 0). */
  readonly clock?: C;
  /** The simulator's own view of that clock (e.g. a stalling one); default the clock itself. */
  readonly simClock?: (clock: C) => Clock;
  /** Per-device behaviour overrides (broken devices of the conformance kit). */
  readonly devices?: Readonly<Record<string, SimulatedDeviceOverrides>>;
  /** Wrap the device end of a link before the simulator holds it (a broken cable…). */
  readonly wrapDeviceEnd?: (id: string, end: Transport) => Transport;
  /** Other simulator options (truth sampling, …). */
  readonly simulator?: Partial<Omit<SimulatorOptions, 'scenario' | 'clock' | 'links' | 'truthSink' | 'devices'>>;
  /** Keep the truth log in memory (default true; false for hour-long runs that never read it). */
  readonly keepTruth?: boolean;
  /** Start the simulator before returning (default true). */
  readonly start?: boolean;
}

/** The simulator on memory links: one pair per radar and launcher of the scenario, by device id. */
export interface SimLinks<C extends VirtualClock = VirtualClock> {
  readonly clock: C;
  readonly scenario: Scenario;
  readonly sim: Simulator;
  /** What the simulator logged as truth (empty with `keepTruth: false`). */
  readonly truth: MemoryTruthSink;
  readonly links: ReadonlyMap<string, MemoryLinkPair>;
  /** The link of device `id`; throws for a device the scenario does not have. */
  link(id: string): MemoryLinkPair;
  /** The host end of device `id`'s link, paced at `baud` (one PacedTransport per device, cached). */
  pacedHostEnd(id: string, baud: number): Transport;
  /** Advance virtual time until `done()` or `limitUs` from now; resolves whether it was done. */
  runUntil(done: () => boolean, limitUs: number): Promise<boolean>;
}

/** Builds (and by default starts) the simulator of `options.scenario` on memory links. */
export async function simOnMemoryLinks<C extends VirtualClock = VirtualClock>(
  options: SimLinksOptions<C>,
): Promise<SimLinks<C>> {
  const clock = options.clock ?? (new VirtualClock() as C);
  const scenario = scenarioSchema.parse(options.scenario);
  const links = new Map<string, MemoryLinkPair>();
  const simLinks: Record<string, SimLinkInput> = {};
  for (const device of [...scenario.radars, ...scenario.launchers]) {
    const pair = createMemoryLinkPair({ clock, name: device.id });
    links.set(device.id, pair);
    const wrap = options.wrapDeviceEnd;
    simLinks[device.id] = wrap === undefined ? memorySimLink(pair) : wrap(device.id, pair.deviceEnd);
  }
  const truth = new MemoryTruthSink();
  const sim = createSimulator({
    ...options.simulator,
    scenario,
    clock: options.simClock?.(clock) ?? clock,
    links: simLinks,
    ...((options.keepTruth ?? true) ? { truthSink: truth } : {}),
    ...(options.devices ? { devices: options.devices } : {}),
  });
  if (options.start ?? true) await sim.start();
  const link = (id: string): MemoryLinkPair => {
    const pair = links.get(id);
    if (pair === undefined) throw new Error(`the scenario has no device ${id}`);
    return pair;
  };
  const paced = new Map<string, Transport>();
  return {
    clock,
    scenario,
    sim,
    truth,
    links,
    link,
    pacedHostEnd(id, baud) {
      let end = paced.get(id);
      if (end === undefined) {
        end = new PacedTransport(link(id).hostEnd, { clock, baud });
        paced.set(id, end);
      }
      return end;
    },
    runUntil: (done, limitUs) => clock.runUntilCondition(done, clock.nowUs() + limitUs),
  };
}

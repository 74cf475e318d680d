import type { ScenarioInput } from '../../../src/config/scenario-schema.js';
import { type ConformanceOptions, type ConformanceReport, runConformance } from '../../../src/conformance/index.js';
import type { Clock } from '../../../src/time/clock.js';
import type { VirtualClock } from '../../../src/time/virtual-clock.js';
import type { MemoryLinkPair } from '../../../src/transport/memory-transport.js';
import type { Transport } from '../../../src/transport/transport.js';
import type { Simulator, SimulatedDeviceOverrides } from '../../../firmware-sim/simulator.js';
import { simOnMemoryLinks } from '../../support/sim-links.js';

/** Line rate of both directions in the benches. */
export const BAUD = 921_600;

/**
 * One radar with a target always in coverage (ICD-RDR-005 needs tracks) and one launcher, long
 * enough for a whole conformance run.
 */
export const CONFORMANCE_SCENARIO: ScenarioInput = {
  name: 'conformance',
  seed: 7,
  durationS: 3600,
  targets: [
    {
      id: 'target-1',
      kind: 'constant-velocity',
      position: { eastM: 15_000, northM: 10_000, upM: 3_000 },
      velocity: { eastMps: -5, northMps: 0, upMps: 0 },
      iff: 'hostile',
    },
  ],
  radars: [
    {
      id: 'radar-1',
      position: { eastM: 0, northM: 0, upM: 0 },
      scanPeriodMs: 500,
      maxRangeM: 50_000,
      rangeSigmaM: 5,
      angleSigmaDeg: 0.05,
      detectionProbability: 1,
    },
  ],
  launchers: [
    {
      id: 'launcher-1',
      position: { eastM: 1000, northM: 0, upM: 0 },
      rounds: 4,
      slewRateDegPerS: 90,
      launchDelayMs: 200,
      speedMps: 1500,
      lethalRadiusM: 20,
      maxFlightTimeS: 30,
      armingMs: 500,
      clock: { offsetUs: 2_500_000, driftPpm: 50 },
      envelope: { minRangeM: 1000, maxRangeM: 40_000, maxAltitudeM: 20_000 },
    },
  ],
};

/** Options of {@link simBench}. */
export interface SimBenchOptions {
  readonly scenario?: ScenarioInput;
  readonly devices?: Readonly<Record<string, SimulatedDeviceOverrides>>;
  /** Wrap the device end of a link (a broken cable, a device that drops its heartbeats…). */
  readonly wrapDeviceEnd?: (id: string, end: Transport) => Transport;
}

/** The simulator on memory links in virtual time, the kit's end of each link paced at BAUD. */
export interface SimBench {
  readonly clock: VirtualClock;
  readonly sim: Simulator;
  readonly links: ReadonlyMap<string, MemoryLinkPair>;
  /** The host end of a device's link, paced. */
  hostEnd(id: string): Transport;
  /**
   * Run the kit against a device until it reports (virtual time, as fast as the CPU allows);
   * `kitClock`: the kit's own clock over the bench's (e.g. a StallingClock), default the bench's.
   */
  conformance(
    id: string,
    options: Omit<ConformanceOptions, 'transport' | 'clock' | 'device'>,
    kitClock?: Clock,
  ): Promise<ConformanceReport>;
}

export async function simBench(options: SimBenchOptions = {}): Promise<SimBench> {
  const bench = await simOnMemoryLinks({
    scenario: options.scenario ?? CONFORMANCE_SCENARIO,
    keepTruth: false,
    ...(options.devices ? { devices: options.devices } : {}),
    ...(options.wrapDeviceEnd ? { wrapDeviceEnd: options.wrapDeviceEnd } : {}),
  });
  const { clock, sim, links, scenario } = bench;
  const hostEnd = (id: string): Transport => bench.pacedHostEnd(id, BAUD);
  return {
    clock,
    sim,
    links,
    hostEnd,
    async conformance(id, runOptions, kitClock) {
      const device = scenario.radars.some((r) => r.id === id) ? 'radar' : 'launcher';
      const run = runConformance({ ...runOptions, device, transport: hostEnd(id), clock: kitClock ?? clock });
      return drive(clock, run);
    },
  };
}

/** Advance the virtual clock until `promise` settles (at most an hour of virtual time). */
export async function drive<T>(clock: VirtualClock, promise: Promise<T>, limitUs = 3_600_000_000): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await clock.runUntilCondition(() => settled, clock.nowUs() + limitUs);
  return promise;
}

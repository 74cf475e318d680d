import type { BenchConfig } from '../config/bench-config-schema.js';
import { type Scenario, launcherModelOf } from '../config/scenario-schema.js';
import {
  defaultDelayAsymmetryUs,
  LauncherController,
  RadarController,
  type TimeSyncLinkKind,
} from '../devices/index.js';
import type { DeviceSessionConfigInput } from '../devices/link-session/session-config.js';
import type { Clock } from '../time/clock.js';
import { type MemoryLinkPair, createMemoryLinkPair, PacedTransport } from '../transport/index.js';
import { MemoryTruthSink, createSimulator, memorySimLink, type Simulator } from '../../firmware-sim/index.js';
import { type HostLauncher, launcherSyncBudgetUs } from './control-config-for.js';
import { SimulatedAsterixRadar } from '../../firmware-sim/asterix/asterix-radar-sim.js';
import { DEFAULT_SITE, LocalFrame } from '../geo/index.js';

/** How far (m) an ASTERIX radar's configured site may be from its scenario radar's position. */
export const ASTERIX_SITE_TOLERANCE_M = 10;

/** A simulated bench whose ASTERIX radars do not match its scenario. */
export class SimulatedAsterixConfigError extends Error {
  readonly code = 'simulated-asterix-config';
  constructor(message: string) {
    super(message);
    this.name = 'SimulatedAsterixConfigError';
  }
}

/** The host's drivers wired to an in-process simulator over paced memory links. */
export interface SimulatedDevices {
  readonly simulator: Simulator;
  readonly truth: MemoryTruthSink;
  readonly radars: Map<string, RadarController>;
  readonly launchers: Map<string, LauncherController>;
  readonly hostLaunchers: HostLauncher[];
  /** Host (shared-clock) time of the simulator's power-on: truth `tUs` 0. */
  readonly truthEpochHostUs: number;
  /** Each device's memory link pair, by device id (for a capture: both ends can be listened to). */
  readonly linkPairs: ReadonlyMap<string, MemoryLinkPair>;
  /** The scenario radars the bench config declares as ASTERIX radars, simulated as such. */
  readonly asterixRadars: ReadonlyMap<string, SimulatedAsterixRadar>;
}

/**
 * The simulated ASTERIX radars of a bench: every `devices.asterixRadars` entry names a scenario
 * radar (same id), which then sends CAT034/CAT048 instead of speaking the serial ICD. The entry's
 * WGS-84 site must be that radar's scenario position (within ASTERIX_SITE_TOLERANCE_M), or the
 * host would place every plot wrong; the error names the site to configure.
 */
export function simulatedAsterixRadars(
  config: BenchConfig,
  scenario: Scenario,
): { readonly serialRadars: Scenario['radars']; readonly asterix: Scenario['radars'] } {
  const declared = config.devices.asterixRadars ?? [];
  const benchFrame = new LocalFrame(config.site ?? DEFAULT_SITE);
  for (const radar of declared) {
    const spec = scenario.radars.find((r) => r.id === radar.id);
    if (spec === undefined)
      throw new SimulatedAsterixConfigError(
        `ASTERIX radar ${radar.id}: the scenario has no radar ${radar.id} to simulate (radars: ${scenario.radars.map((r) => r.id).join(', ') || 'none'})`,
      );
    const siteEnu = benchFrame.enuOf(radar.site);
    const offM = Math.hypot(
      siteEnu.eastM - spec.position.eastM,
      siteEnu.northM - spec.position.northM,
      siteEnu.upM - spec.position.upM,
    );
    if (offM > ASTERIX_SITE_TOLERANCE_M) {
      const site = benchFrame.geodeticOf(spec.position);
      throw new SimulatedAsterixConfigError(
        `ASTERIX radar ${radar.id}: its site is ${offM.toFixed(0)} m from the scenario radar's position; ` +
          `set site: { latDeg: ${site.latDeg.toFixed(7)}, lonDeg: ${site.lonDeg.toFixed(7)}, heightM: ${site.heightM.toFixed(1)} }`,
      );
    }
  }
  const ids = new Set(declared.map((r) => r.id));
  return {
    serialRadars: scenario.radars.filter((r) => !ids.has(r.id)),
    asterix: scenario.radars.filter((r) => ids.has(r.id)),
  };
}

/**
 * Session knobs of the drivers from the bench config's `links` section. The time-sync delay
 * asymmetry is `links.maxDelayAsymmetryUs` when set, else the default of the link's kind.
 */
export function driverSessionConfig(
  config: BenchConfig,
  linkKind: TimeSyncLinkKind = 'memory',
): DeviceSessionConfigInput {
  const asymmetryUs = config.links.maxDelayAsymmetryUs ?? defaultDelayAsymmetryUs(linkKind);
  return {
    silenceTimeoutUs: config.links.supervisionMs * 1000,
    retransmit: { ackTimeoutUs: config.links.ackTimeoutMs * 1000, maxRetransmits: config.links.retries },
    timeSync: {
      periodUs: config.links.timeSyncPeriodMs * 1000,
      ...(config.links.timeSyncBurst === undefined ? {} : { burst: config.links.timeSyncBurst }),
      ...(Number.isFinite(asymmetryUs) ? { maxDelayAsymmetryUs: asymmetryUs } : {}),
    },
  };
}

/**
 * Every scenario device on its own memory link pair: the simulator paces its output at the
 * device's baud, the host paces its own writes the same way (a UART does both), so line latency
 * is real and time sync can correct for it. Same clock for all: lockstep in virtual time.
 */
export function createSimulatedDevices(config: BenchConfig, scenario: Scenario, clock: Clock): SimulatedDevices {
  const truth = new MemoryTruthSink();
  const links: Record<string, ReturnType<typeof memorySimLink>> = {};
  const radars = new Map<string, RadarController>();
  const launchers = new Map<string, LauncherController>();
  const session = driverSessionConfig(config);
  const linkPairs = new Map<string, MemoryLinkPair>();
  const { serialRadars, asterix } = simulatedAsterixRadars(config, scenario);
  const hostEnd = (id: string, baud: number) => {
    const pair = createMemoryLinkPair({ clock, name: id });
    linkPairs.set(id, pair);
    links[id] = memorySimLink(pair);
    return new PacedTransport(pair.hostEnd, { clock, baud });
  };
  for (const radar of serialRadars) {
    const transport = hostEnd(radar.id, radar.baud);
    radars.set(
      radar.id,
      new RadarController({
        transport,
        clock,
        session,
        lineRates: { hostToDeviceBaud: radar.baud, deviceToHostBaud: radar.baud },
      }),
    );
  }
  for (const launcher of scenario.launchers) {
    const transport = hostEnd(launcher.id, launcher.baud);
    const host = { id: launcher.id, model: launcherModelOf(launcher), rounds: launcher.rounds };
    launchers.set(
      launcher.id,
      new LauncherController({
        transport,
        clock,
        session,
        lineRates: { hostToDeviceBaud: launcher.baud, deviceToHostBaud: launcher.baud },
        fireMaxSyncUncertaintyUs: launcherSyncBudgetUs(config, host),
      }),
    );
  }
  const truthEpochHostUs = clock.nowUs();
  const simulator = createSimulator({
    scenario: { ...scenario, radars: serialRadars },
    clock,
    links,
    truthSink: truth,
    powerOnUs: truthEpochHostUs,
  });
  const benchFrame = new LocalFrame(config.site ?? DEFAULT_SITE);
  const asterixRadars = new Map(
    asterix.map((spec) => {
      const declared = config.devices.asterixRadars!.find((r) => r.id === spec.id)!;
      const radar = new SimulatedAsterixRadar({
        spec,
        world: simulator.world,
        clock,
        seed: scenario.seed,
        benchFrame,
        radarFrame: new LocalFrame(declared.site),
        ...(declared.sac === undefined ? {} : { sac: declared.sac }),
        ...(declared.sic === undefined ? {} : { sic: declared.sic }),
      });
      return [spec.id, radar] as const;
    }),
  );
  const hostLaunchers = scenario.launchers.map((l) => ({ id: l.id, model: launcherModelOf(l), rounds: l.rounds }));
  return { simulator, truth, radars, launchers, hostLaunchers, truthEpochHostUs, linkPairs, asterixRadars };
}

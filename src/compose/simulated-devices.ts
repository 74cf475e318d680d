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
  const hostEnd = (id: string, baud: number) => {
    const pair = createMemoryLinkPair({ clock, name: id });
    linkPairs.set(id, pair);
    links[id] = memorySimLink(pair);
    return new PacedTransport(pair.hostEnd, { clock, baud });
  };
  for (const radar of scenario.radars) {
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
  const simulator = createSimulator({ scenario, clock, links, truthSink: truth, powerOnUs: truthEpochHostUs });
  const hostLaunchers = scenario.launchers.map((l) => ({ id: l.id, model: launcherModelOf(l), rounds: l.rounds }));
  return { simulator, truth, radars, launchers, hostLaunchers, truthEpochHostUs, linkPairs };
}

import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BenchConfig } from '../config/bench-config-schema.js';
import type { Scenario } from '../config/scenario-schema.js';
import { launcherModelOf } from '../config/scenario-schema.js';
import type { LauncherController, RadarController } from '../devices/index.js';
import type { Clock } from '../time/clock.js';
import { RealClock } from '../time/real-clock.js';
import type { Transport } from '../transport/transport.js';
import { type CapturedLink, tapWrites } from '../capture/link-capture.js';
import type { HostLauncher } from './control-config-for.js';
import { createLinkedDevices, hostLaunchersOf } from './linked-devices.js';
import { createSimulatedDevices, simulatedAsterixRadars } from './simulated-devices.js';
import { simulatorAsterixArgs } from './simulator-asterix-args.js';
import type { AsterixRadarSink } from '../../firmware-sim/asterix/asterix-radar-sim.js';
import type { World } from '../../firmware-sim/index.js';
import { startSimulatorProcess } from './simulator-process.js';
import { type SessionCommandIds, freshDeviceCommandIds, persistedCommandIds } from './session-command-ids.js';

/** The devices of a bench, wherever they are, and what the run can know of their truth. */
export interface BenchDevices {
  readonly placement: 'in-process' | 'pty' | 'hardware';
  readonly radars: Map<string, RadarController>;
  readonly launchers: Map<string, LauncherController>;
  readonly hostLaunchers: readonly HostLauncher[];
  /** Host time of truth `tUs` 0. */
  readonly truthEpochHostUs: number;
  /**
   * Where this session's command ids and frame seqs come from: fixed for a simulator this run
   * starts, persisted blocks (never repeated across sessions) for devices that outlive the host.
   */
  readonly commandIds: SessionCommandIds;
  /** Resolves when the simulated scenario ended on its own (never, on hardware). */
  readonly ended: Promise<void>;
  /** The in-process simulator's world (undefined elsewhere): a joint run shares kills between nodes' worlds. */
  readonly world?: World;
  /** Power on the simulator (no-op for hardware and the PTY process, already running). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The simulator's truth log; null on hardware (no truth: safety counters cannot be counted). */
  truthRecords(): Promise<readonly unknown[] | null>;
  /** Write the truth log to `file` (in-process); the PTY simulator writes its own. */
  writeTruth(file: string): Promise<void>;
  /** Every device's link, both ways, for a frame capture (call before start). */
  capturedLinks(): CapturedLink[];
  /** Ids of the simulated ASTERIX radars (in-process simulator only; none elsewhere). */
  readonly simulatedAsterixIds: readonly string[];
  /** Give each simulated ASTERIX radar its way to the host (call before start). */
  attachAsterix(feed: (id: string) => Promise<AsterixRadarSink>): Promise<void>;
}

/**
 * Open the devices a bench config names: the in-process simulator over memory links, the
 * simulator in its own process on PTY pairs (real serialport binding), or real controllers on
 * their links (serial, TCP). The drivers are created, not started.
 */
export async function openBenchDevices(
  config: BenchConfig,
  scenario: Scenario,
  scenarioFile: string,
  clock: Clock,
  truthFile: string | undefined,
  commandIdStateFile?: string,
): Promise<BenchDevices> {
  if (config.simulator.enabled && config.simulator.placement === 'in-process') {
    const sim = createSimulatedDevices(config, scenario, clock);
    const asterix = [...sim.asterixRadars.values()];
    void sim.simulator.ended.then(() => asterix.forEach((radar) => radar.stop()));
    return {
      placement: 'in-process',
      radars: sim.radars,
      launchers: sim.launchers,
      hostLaunchers: sim.hostLaunchers,
      truthEpochHostUs: sim.truthEpochHostUs,
      commandIds: freshDeviceCommandIds(),
      ended: sim.simulator.ended,
      world: sim.simulator.world,
      start: async () => {
        await sim.simulator.start();
        for (const radar of asterix) radar.start();
      },
      stop: async () => {
        for (const radar of asterix) radar.stop();
        await sim.simulator.stop();
      },
      simulatedAsterixIds: [...sim.asterixRadars.keys()],
      attachAsterix: async (feed) => {
        for (const radar of asterix) radar.attach(await feed(radar.id));
      },
      truthRecords: () => Promise.resolve(sim.truth.records),
      writeTruth: async (file) => {
        const { writeFile } = await import('node:fs/promises');
        await writeFile(file, sim.truth.toJsonl());
      },
      capturedLinks: () =>
        [...sim.linkPairs].map(([id, pair]) => ({ id, fromDevice: pair.hostEnd, toDevice: pair.deviceEnd })),
    };
  }
  if (!(clock instanceof RealClock)) throw new Error('PTY and hardware benches run in real time (--real-time)');
  if (config.simulator.enabled) {
    // Simulated ASTERIX radars send from the simulator process over loopback UDP to the port
    // the host listens on; only the serial devices get PTY pairs.
    const { serialRadars, asterix } = simulatedAsterixRadars(config, scenario);
    const truth = truthFile ?? join(tmpdir(), `shieldlink-truth-${process.pid}.jsonl`);
    const devices = [...serialRadars, ...scenario.launchers];
    const hostLaunchers = scenario.launchers.map((l) => ({ id: l.id, model: launcherModelOf(l), rounds: l.rounds }));
    await mkdir(dirname(truth), { recursive: true });
    const sim = await startSimulatorProcess(
      scenarioFile,
      truth,
      devices.length + asterix.length,
      undefined,
      simulatorAsterixArgs(config),
    );
    const linked = createLinkedDevices(
      config,
      devices.map((d) => {
        const link = sim.links.get(d.id)!;
        return {
          id: d.id,
          kind: scenario.radars.some((r) => r.id === d.id) ? ('radar' as const) : ('launcher' as const),
          // Neither side paces over the PTY (the simulator runs --no-pace): no line-time
          // correction in time sync (see createLinkedDevices: `paced: false`).
          link,
          hostToDevicePaced: false,
          deviceToHostPaced: false,
          timeSyncLinkKind: 'pty' as const,
          ...launcherEntry(hostLaunchers, d.id),
        };
      }),
      clock,
    );
    return {
      placement: 'pty',
      ...linked,
      hostLaunchers,
      truthEpochHostUs: Number(sim.powerOnHrtimeNs - clock.epochHrtimeNs) / 1000,
      commandIds: freshDeviceCommandIds(),
      ended: sim.exited,
      start: () => Promise.resolve(),
      stop: () => sim.stop(),
      truthRecords: async () =>
        (await readFile(truth, 'utf8'))
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as unknown),
      writeTruth: () => Promise.resolve(),
      capturedLinks: () => linkedCaptures(linked.transports),
      simulatedAsterixIds: [],
      attachAsterix: () => Promise.resolve(),
    };
  }
  // Real controllers stay powered across host restarts: ids from durably reserved blocks.
  if (commandIdStateFile === undefined) throw new Error('a hardware bench needs a command-id state file');
  const commandIds = persistedCommandIds(commandIdStateFile);
  const hardwareLaunchers = hostLaunchersOf(config);
  const linked = createLinkedDevices(
    config,
    [
      ...config.devices.radars.map((r) => ({
        id: r.id,
        kind: 'radar' as const,
        link: r.link,
        hostToDevicePaced: true,
        deviceToHostPaced: true,
      })),
      ...config.devices.launchers.map((l) => ({
        id: l.id,
        kind: 'launcher' as const,
        link: l.link,
        hostToDevicePaced: true,
        deviceToHostPaced: true,
        ...launcherEntry(hardwareLaunchers, l.id),
      })),
    ],
    clock,
    commandIds,
  );
  return {
    placement: 'hardware',
    ...linked,
    hostLaunchers: hardwareLaunchers,
    truthEpochHostUs: 0,
    commandIds,
    ended: new Promise<void>(() => undefined),
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    truthRecords: () => Promise.resolve(null),
    writeTruth: () => Promise.resolve(),
    capturedLinks: () => linkedCaptures(linked.transports),
    simulatedAsterixIds: [],
    attachAsterix: () => Promise.resolve(),
  };
}

/** `{ launcher }` for a launcher id among `launchers`, else nothing (a radar). */
function launcherEntry(launchers: readonly HostLauncher[], id: string): { launcher?: HostLauncher } {
  const launcher = launchers.find((l) => l.id === id);
  return launcher === undefined ? {} : { launcher };
}

/** Links reached over serial/TCP/PTY: received bytes as they are, sent bytes by a write tap. */
function linkedCaptures(transports: ReadonlyMap<string, Transport>): CapturedLink[] {
  return [...transports].map(([id, transport]) => ({ id, fromDevice: transport, toDevice: tapWrites(transport) }));
}

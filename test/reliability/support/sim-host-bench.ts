import type { MemoryTruthSink } from '../../../firmware-sim/truth/truth-sink.js';
import type { Simulator } from '../../../firmware-sim/simulator.js';
import type { ScenarioInput } from '../../../src/config/scenario-schema.js';
import { LauncherController, type LauncherControllerOptions } from '../../../src/devices/index.js';
import { FaultProxy } from '../../../src/proxy/fault-proxy.js';
import type { FaultSpec } from '../../../src/proxy/fault-spec.js';
import type { ProxyFaultRecord } from '../../../src/proxy/proxy-fault-record.js';
import type { VirtualClock } from '../../../src/time/virtual-clock.js';
import { type MemoryLinkPair, createMemoryLinkPair } from '../../../src/transport/memory-transport.js';
import { PacedTransport } from '../../../src/transport/paced-transport.js';
import type { Transport } from '../../../src/transport/transport.js';
import { CONFORMANCE_SCENARIO } from '../../conformance/support/sim-bench.js';
import { simOnMemoryLinks } from '../../support/sim-links.js';
import { CountingTransport } from './counting-transport.js';

/** Line rate of the launcher link (the scenario's default baud). */
export const BENCH_BAUD = 921_600;

/** Options of {@link simHostBench}. */
export interface SimHostBenchOptions {
  /** Put a FaultProxy with these faults between the simulated launcher and the host. */
  readonly proxyFaults?: FaultSpec;
  readonly proxySeed?: number;
  /** Scenario overrides (default: the conformance scenario with 200 rounds and 1 h). */
  readonly scenario?: ScenarioInput;
  /** Line rate the host believes in and paces at (default the device's). */
  readonly hostBaud?: number;
  /** Wrap the host's end before the driver sees it (e.g. a baud-mismatch garbler). */
  readonly wrapHostEnd?: (end: Transport, clock: VirtualClock) => Transport;
  readonly driver?: Partial<Omit<LauncherControllerOptions, 'transport' | 'clock'>>;
}

/** The firmware simulator and a LauncherController on memory links in virtual time. */
export interface SimHostBench {
  readonly clock: VirtualClock;
  readonly sim: Simulator;
  readonly truth: MemoryTruthSink;
  readonly launcher: LauncherController;
  /** What the host wrote and the listeners it holds. */
  readonly host: CountingTransport;
  /** The launcher's link as the simulator holds it (unplug/replug it to pull the cable). */
  readonly deviceLink: MemoryLinkPair;
  readonly proxy: FaultProxy | undefined;
  readonly proxyLog: ProxyFaultRecord[];
  /** Advance virtual time until `done()` or `limitUs` from now. */
  runUntil(done: () => boolean, limitUs: number): Promise<boolean>;
  stop(): Promise<void>;
}

export const RELIABILITY_SCENARIO: ScenarioInput = {
  ...CONFORMANCE_SCENARIO,
  name: 'reliability',
  launchers: CONFORMANCE_SCENARIO.launchers!.map((l) => ({ ...l, rounds: 200 })),
};

export async function simHostBench(options: SimHostBenchOptions = {}): Promise<SimHostBench> {
  const links = await simOnMemoryLinks({ scenario: options.scenario ?? RELIABILITY_SCENARIO });
  const { clock, sim, truth } = links;
  const deviceLink = links.link('launcher-1');

  let hostRaw: Transport = deviceLink.hostEnd;
  let proxy: FaultProxy | undefined;
  const proxyLog: ProxyFaultRecord[] = [];
  if (options.proxyFaults !== undefined) {
    const hostLink = createMemoryLinkPair({ clock, name: 'launcher-1-host' });
    proxy = new FaultProxy({
      device: deviceLink.hostEnd,
      host: hostLink.deviceEnd,
      clock,
      faults: options.proxyFaults,
      seed: options.proxySeed ?? 1,
      log: (record) => proxyLog.push(record),
    });
    await proxy.start();
    hostRaw = hostLink.hostEnd;
  }
  const hostBaud = options.hostBaud ?? BENCH_BAUD;
  let hostEnd: Transport = new PacedTransport(hostRaw, { clock, baud: hostBaud });
  if (options.wrapHostEnd) hostEnd = options.wrapHostEnd(hostEnd, clock);
  const host = new CountingTransport(hostEnd, clock);
  const launcher = new LauncherController({
    transport: host,
    clock,
    lineRates: { hostToDeviceBaud: hostBaud, deviceToHostBaud: hostBaud },
    ...options.driver,
  });
  launcher.start();
  return {
    clock,
    sim,
    truth,
    launcher,
    host,
    deviceLink,
    proxy,
    proxyLog,
    runUntil: (done, limitUs) => clock.runUntilCondition(done, clock.nowUs() + limitUs),
    async stop() {
      const stopping = launcher.stop();
      await clock.runUntilCondition(() => false, clock.nowUs() + 500_000);
      await stopping.catch(() => undefined);
      await proxy?.stop();
      await sim.stop();
    },
  };
}

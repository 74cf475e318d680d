import { type LauncherControllerOptions, LauncherController, RadarController } from '../../../src/devices/index.js';
import { VirtualClock } from '../../../src/time/virtual-clock.js';
import { type MemoryLinkPair, createMemoryLinkPair } from '../../../src/transport/memory-transport.js';
import { PacedTransport } from '../../../src/transport/paced-transport.js';
import { FakeDevice, type FakeDeviceOptions } from './fake-device.js';
import { RecordingTransport } from './recording-transport.js';

/** Line rate of the test benches. */
export const BAUD = 115_200;

/** Options of a test bench. */
export interface BenchOptions {
  readonly device?: Partial<Omit<FakeDeviceOptions, 'clock' | 'transport' | 'kind' | 'baud'>>;
  readonly driver?: Partial<Omit<LauncherControllerOptions, 'clock' | 'transport'>>;
  /** Pace both directions at BAUD (default true). */
  readonly paced?: boolean;
}

/** A driver and a fake device on a memory link in virtual time. */
export interface Bench<C> {
  readonly clock: VirtualClock;
  readonly link: MemoryLinkPair;
  readonly device: FakeDevice;
  /** What the host wrote, decoded. */
  readonly host: RecordingTransport;
  readonly driver: C;
  /** Run until `done()` or `limitUs` of virtual time from now; returns whether done. */
  runUntil(done: () => boolean, limitUs?: number): Promise<boolean>;
}

function makeBench<C>(
  kind: 'radar' | 'launcher',
  options: BenchOptions,
  create: (transport: RecordingTransport, clock: VirtualClock) => C,
): Bench<C> {
  const clock = new VirtualClock();
  const link = createMemoryLinkPair({ clock, name: kind });
  const paced = options.paced ?? true;
  const deviceEnd = paced ? new PacedTransport(link.deviceEnd, { clock, baud: BAUD }) : link.deviceEnd;
  const hostEnd = paced ? new PacedTransport(link.hostEnd, { clock, baud: BAUD }) : link.hostEnd;
  const device = new FakeDevice({
    clock,
    transport: deviceEnd,
    kind,
    baud: paced ? BAUD : undefined,
    ...options.device,
  });
  const host = new RecordingTransport(hostEnd, clock);
  const driver = create(host, clock);
  return {
    clock,
    link,
    device,
    host,
    driver,
    runUntil: (done, limitUs = 5_000_000) => clock.runUntilCondition(done, clock.nowUs() + limitUs),
  };
}

function lineRates(paced: boolean | undefined): { hostToDeviceBaud?: number; deviceToHostBaud?: number } {
  return paced === false ? {} : { hostToDeviceBaud: BAUD, deviceToHostBaud: BAUD };
}

export function launcherBench(options: BenchOptions = {}): Bench<LauncherController> {
  return makeBench(
    'launcher',
    options,
    (transport, clock) =>
      new LauncherController({ transport, clock, lineRates: lineRates(options.paced), ...options.driver }),
  );
}

export function radarBench(options: BenchOptions = {}): Bench<RadarController> {
  return makeBench(
    'radar',
    options,
    (transport, clock) =>
      new RadarController({ transport, clock, lineRates: lineRates(options.paced), ...options.driver }),
  );
}

/** Start device and driver and run until the driver is active. */
export async function startActive<C extends LauncherController | RadarController>(bench: Bench<C>): Promise<void> {
  await bench.device.start();
  bench.driver.start();
  const ok = await bench.runUntil(() => bench.driver.linkState === 'active', 2_000_000);
  if (!ok) throw new Error(`driver did not become active (state ${bench.driver.linkState})`);
}

import type { BenchConfig } from '../../config/bench-config-schema.js';
import { LauncherController, RadarController } from '../../devices/index.js';
import type { Clock } from '../../time/clock.js';
import { type Transport, createTransport, parseTransportUrl } from '../../transport/index.js';
import type { HostLauncher } from './control-config-for.js';
import { driverSessionConfig } from './simulated-devices.js';

/** One device to reach over a link URL. */
export interface LinkedDevice {
  readonly id: string;
  readonly kind: 'radar' | 'launcher';
  readonly link: string;
  /**
   * Whether the bytes the host writes are paced by a UART at the link's baud (a real serial
   * port: yes; a PTY to the simulator: no — only the simulator paces its own output).
   */
  readonly hostToDevicePaced: boolean;
  /** Whether the device's bytes arrive paced at the link's baud (a UART: yes). */
  readonly deviceToHostPaced: boolean;
}

/** Drivers for devices reached over serial, TCP or PTY links. */
export function createLinkedDevices(
  config: BenchConfig,
  devices: readonly LinkedDevice[],
  clock: Clock,
): {
  radars: Map<string, RadarController>;
  launchers: Map<string, LauncherController>;
  transports: Map<string, Transport>;
} {
  const transports = new Map<string, Transport>();
  const radars = new Map<string, RadarController>();
  const launchers = new Map<string, LauncherController>();
  const session = driverSessionConfig(config);
  for (const device of devices) {
    const url = parseTransportUrl(device.link);
    const baud = url.kind === 'serial' ? url.baud : undefined;
    const lineRates =
      baud === undefined
        ? {}
        : { deviceToHostBaud: baud, ...(device.hostToDevicePaced ? { hostToDeviceBaud: baud } : {}) };
    const transport = createTransport(device.link, { clock });
    transports.set(device.id, transport);
    if (device.kind === 'radar') {
      radars.set(device.id, new RadarController({ transport, clock, session, lineRates }));
    } else {
      launchers.set(
        device.id,
        new LauncherController({
          transport,
          clock,
          session,
          lineRates,
          fireMaxSyncUncertaintyUs: config.control.syncBoundUs,
        }),
      );
    }
  }
  return { radars, launchers, transports };
}

/** The host launcher models of a hardware bench config. */
export function hostLaunchersOf(config: BenchConfig): HostLauncher[] {
  // Rounds are not in the bench config: the launcher reports them; the core's magazine cap is
  // set high and the launcher's own count (LAUNCHER_STATUS roundsReady) is the interlock.
  return config.devices.launchers.map((l) => ({ id: l.id, model: l.model, rounds: 255 }));
}

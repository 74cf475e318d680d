import type { BenchConfig } from '../config/bench-config-schema.js';
import { DEFAULT_ENGAGEMENT_CONFIG } from '../control/index.js';
import { LauncherController, RadarController, type TimeSyncLinkKind } from '../devices/index.js';
import type { Clock } from '../time/clock.js';
import { type Transport, createTransport, parseTransportUrl } from '../transport/index.js';
import { type HostLauncher, launcherSyncBudgetUs } from './control-config-for.js';
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
  /** What the link is, for its time-sync delay asymmetry (default: from the URL). */
  readonly timeSyncLinkKind?: TimeSyncLinkKind;
  /** Host model of a launcher (its launch-time error budget bounds FIRE in the driver too). */
  readonly launcher?: HostLauncher;
}

/** The time-sync link kind of a link URL: serial (low latency or not), TCP or memory. */
export function timeSyncLinkKindOf(link: string): TimeSyncLinkKind {
  const url = parseTransportUrl(link);
  if (url.kind === 'serial') return url.lowLatency ? 'usb-serial-low-latency' : 'serial';
  return url.kind === 'tcp' || url.kind === 'tcp-listen' ? 'tcp' : 'memory';
}

/** Drivers for devices reached over serial, TCP or PTY links. */
export function createLinkedDevices(
  config: BenchConfig,
  devices: readonly LinkedDevice[],
  clock: Clock,
  ids: { readonly allocateDriverId: (() => number) | undefined; readonly firstSeq: number | undefined } = {
    allocateDriverId: undefined,
    firstSeq: undefined,
  },
): {
  radars: Map<string, RadarController>;
  launchers: Map<string, LauncherController>;
  transports: Map<string, Transport>;
} {
  const transports = new Map<string, Transport>();
  const radars = new Map<string, RadarController>();
  const launchers = new Map<string, LauncherController>();
  for (const device of devices) {
    const url = parseTransportUrl(device.link);
    const session = driverSessionConfig(config, device.timeSyncLinkKind ?? timeSyncLinkKindOf(device.link));
    const baud = url.kind === 'serial' ? url.baud : undefined;
    const lineRates =
      baud === undefined
        ? {}
        : { deviceToHostBaud: baud, ...(device.hostToDevicePaced ? { hostToDeviceBaud: baud } : {}) };
    const transport = createTransport(device.link, { clock });
    const idOptions = {
      ...(ids.allocateDriverId === undefined ? {} : { allocateInternalCommandId: ids.allocateDriverId }),
      ...(ids.firstSeq === undefined ? {} : { firstSeq: ids.firstSeq }),
    };
    transports.set(device.id, transport);
    if (device.kind === 'radar') {
      radars.set(device.id, new RadarController({ transport, clock, session, lineRates, ...idOptions }));
    } else {
      launchers.set(
        device.id,
        new LauncherController({
          transport,
          clock,
          session,
          lineRates,
          fireMaxSyncUncertaintyUs:
            device.launcher === undefined
              ? (config.control.syncBoundUs ?? DEFAULT_ENGAGEMENT_CONFIG.defaultSyncBudgetUs)
              : launcherSyncBudgetUs(config, device.launcher),
          ...idOptions,
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

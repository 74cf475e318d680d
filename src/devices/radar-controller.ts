import { type FieldsOf, type Message, RADAR_MODES } from '../protocol/index.js';
import {
  type DeviceControllerEvents,
  type DeviceControllerOptions,
  type DeviceQuality,
  DeviceController,
} from './device-controller.js';
import { InvalidCommandError } from './device-errors.js';
import { type HostTimed, hostTimed } from './host-timed.js';
import type { AckReceipt } from './link/acknowledged-sender.js';
import { radarStatusReport, trackDropReport, trackReport } from './radar-reports.js';
import type { SessionStateChange } from './link-session/session-state.js';

export type RadarMode = (typeof RADAR_MODES)[number];

/** RADAR_STATUS as reported by the driver. */
export interface RadarStatusReport extends Readonly<FieldsOf<'RADAR_STATUS'>>, HostTimed {
  /** deviceTimeUs in host time; undefined before time sync has a model. */
  readonly hostTimeUs: number | undefined;
  /** `stale` once the link is lost or down (re-emitted then with the last values). */
  readonly quality: DeviceQuality;
}

/** One TRACK_REPORT, measurement time converted to host time (ICD-RDR-003). */
export interface TrackReport extends Readonly<FieldsOf<'TRACK_REPORT'>>, HostTimed {
  /** measurementTimeUs in host time; undefined before time sync has a model. */
  readonly measurementHostUs: number | undefined;
}

/** One TRACK_DROP. */
export interface TrackDropReport extends Readonly<FieldsOf<'TRACK_DROP'>>, HostTimed {
  readonly hostTimeUs: number | undefined;
}

/** Events of {@link RadarController}. */
export interface RadarControllerEvents extends DeviceControllerEvents {
  status: (status: RadarStatusReport) => void;
  track: (track: TrackReport) => void;
  'track-drop': (drop: TrackDropReport) => void;
}

/** Options of {@link RadarController}. */
export type RadarControllerOptions = DeviceControllerOptions;

/**
 * Driver of a radar controller over any Transport.
 *
 * Contract: commands are accepted only while the link is `active` (see SessionState) and reject
 * with a DeviceError subclass otherwise; command ids come from the caller, must be non-zero,
 * and are idempotent (a repeat returns the first outcome; another command under a used id is
 * refused). Events carry device times converted to host time when time sync has a model.
 */
export class RadarController extends DeviceController<RadarControllerEvents> {
  private lastStatus: RadarStatusReport | undefined;

  constructor(options: RadarControllerOptions) {
    super(options, 'radar', 'RADAR_STATUS');
  }

  /** The last status, `stale` while the link is not active. */
  get status(): RadarStatusReport | undefined {
    return this.lastStatus;
  }

  /** RADAR_SET_MODE (ICD-RDR-002). Resolves on ACK; rejects NakError, AckTimeoutError, LinkLostError, … */
  setMode(command: { readonly commandId: number; readonly mode: RadarMode }): Promise<AckReceipt> {
    const { commandId, mode } = command;
    return this.issue(
      commandId,
      JSON.stringify(['RADAR_SET_MODE', mode]),
      () => (isRadarMode(mode) ? undefined : new InvalidCommandError(`unknown radar mode ${String(mode)}`)),
      () => this.command({ type: 'RADAR_SET_MODE', commandId, mode }),
    );
  }

  protected onDeviceMessage(message: Message, rxUs: number): void {
    switch (message.type) {
      case 'RADAR_STATUS':
        this.lastStatus = radarStatusReport(message, hostTimed(this.timeSync, rxUs, message.deviceTimeUs));
        this.events.emit('status', this.lastStatus);
        break;
      case 'TRACK_REPORT':
        this.events.emit('track', trackReport(message, hostTimed(this.timeSync, rxUs, message.measurementTimeUs)));
        break;
      case 'TRACK_DROP':
        this.events.emit('track-drop', trackDropReport(message, hostTimed(this.timeSync, rxUs, message.deviceTimeUs)));
        break;
      default:
        break;
    }
  }

  protected onLinkState(change: SessionStateChange): void {
    if (change.state === 'active' || this.lastStatus?.quality !== 'good') return;
    this.lastStatus = { ...this.lastStatus, quality: 'stale' };
    this.events.emit('status', this.lastStatus);
  }
}

function isRadarMode(mode: string): mode is RadarMode {
  return (RADAR_MODES as readonly string[]).includes(mode);
}

import { type FieldsOf, type Message, MAX_SAFE_U64 } from '../protocol/index.js';
import {
  type DeviceControllerEvents,
  type DeviceControllerOptions,
  type DeviceQuality,
  DeviceController,
} from './device-controller.js';
import { InvalidCommandError, SafeLatchedError, SyncOutOfBoundError } from './device-errors.js';
import type { AckReceipt } from './link/acknowledged-sender.js';
import { type HostTimed, hostTimed } from './host-timed.js';
import { fireReport, launcherStatusReport } from './launcher-reports.js';
import type { SessionStateChange } from './link-session/session-state.js';

/** LAUNCHER_STATUS as reported by the driver. */
export interface LauncherStatusReport extends Readonly<FieldsOf<'LAUNCHER_STATUS'>>, HostTimed {
  /** deviceTimeUs in host time; undefined before time sync has a model. */
  readonly hostTimeUs: number | undefined;
  /** `stale` once the link is lost or down (re-emitted then with the last values). */
  readonly quality: DeviceQuality;
  /** The driver holds the launcher SAFE (after every (re)connect) until an accepted ARM. */
  readonly safeLatched: boolean;
}

/** A FIRE_REPORT (ICD-LNCH-009), launch time converted to host time. Emitted once per FIRE outcome. */
export interface FireReport extends Readonly<FieldsOf<'FIRE_REPORT'>>, HostTimed {
  /** actualTimeUs in host time; undefined before time sync has a model. */
  readonly actualHostUs: number | undefined;
}

/** Events of {@link LauncherController}. */
export interface LauncherControllerEvents extends DeviceControllerEvents {
  status: (status: LauncherStatusReport) => void;
  'fire-report': (report: FireReport) => void;
}

/** A time-tagged launch order (docs/architecture.md §One run, step 6). */
export interface FireCommand {
  /** Caller-allocated, non-zero; idempotent (ICD-CMN-008, ICD-LNCH-008). */
  readonly commandId: number;
  readonly trackId: number;
  /** Planned launch instant in host time; converted into the launcher clock by time sync. */
  readonly executeAtHostUs: number;
  /** Predicted intercept point, local ENU metres. */
  readonly aim: { readonly eastM: number; readonly northM: number; readonly upM: number };
}

/** A FIRE accepted by the launcher. */
export interface FireAccepted extends AckReceipt {
  readonly executeAtHostUs: number;
  /** The execute-at sent, in the launcher clock. */
  readonly executeAtDeviceUs: number;
  /** Time-sync error bound at the execute-at instant when the FIRE was sent. */
  readonly syncUncertaintyUs: number;
}

/** Options of {@link LauncherController}. */
export interface LauncherControllerOptions extends DeviceControllerOptions {
  /**
   * FIRE is refused (SyncOutOfBoundError, nothing sent) when the time-sync bound at the
   * execute-at instant exceeds this. Default 200 us (the control loop's launch-error budget).
   */
  readonly fireMaxSyncUncertaintyUs?: number;
}

const MAX_U32 = 0xffff_ffff;
const REPORT_MEMORY = 1024;

/**
 * Driver of a launcher controller over any Transport.
 *
 * Contract, beyond RadarController's (active-only commands, idempotent caller ids):
 * - After every handshake the driver sends SAFE before the session becomes active and holds
 *   the launcher SAFE (`safeLatched`) until an ARM is accepted: FIRE is refused meanwhile
 *   (SafeLatchedError), and a status showing it not SAFE makes the driver send SAFE again.
 * - `fire()` converts executeAtHostUs into the launcher clock through time sync and refuses
 *   (SyncOutOfBoundError) when the sync bound at that instant exceeds fireMaxSyncUncertaintyUs.
 *   Calling it again with the same command id and arguments never sends a second FIRE.
 * - `stop()` sends SAFE (best effort) before closing the link.
 */
export class LauncherController extends DeviceController<LauncherControllerEvents> {
  private readonly fireMaxSyncUncertaintyUs: number;
  private lastStatus: LauncherStatusReport | undefined;
  private latched = true;
  private enforcing = false;
  private safeStatusWaiter: { readonly sinceUs: number; readonly resolve: () => void } | undefined;
  private readonly reported = new Set<string>();

  constructor(options: LauncherControllerOptions) {
    super(options, 'launcher', 'LAUNCHER_STATUS');
    this.fireMaxSyncUncertaintyUs = options.fireMaxSyncUncertaintyUs ?? 200;
  }

  /** The last status, `stale` while the link is not active. */
  get status(): LauncherStatusReport | undefined {
    return this.lastStatus;
  }

  /** Whether the driver holds the launcher SAFE until an explicit ARM. */
  get safeLatched(): boolean {
    return this.latched;
  }

  /** ARM (ICD-LNCH-002): the explicit re-arm that releases the driver's SAFE latch once accepted. */
  arm(command: { readonly commandId: number }): Promise<AckReceipt> {
    const { commandId } = command;
    return this.issue(
      commandId,
      '["ARM"]',
      () => undefined,
      () => {
        // Released when ARM is written, so the ARMING status that may precede the ACK is not
        // taken for a latch violation; re-latched if ARM fails.
        this.latched = false;
        const outcome = this.command({ type: 'ARM', commandId });
        outcome.catch(() => {
          this.latched = true;
        });
        return outcome;
      },
    );
  }

  /** SAFE (ICD-LNCH-003); latches the driver SAFE once acknowledged. */
  safe(command: { readonly commandId: number }): Promise<AckReceipt> {
    const { commandId } = command;
    return this.issue(
      commandId,
      '["SAFE"]',
      () => undefined,
      () =>
        this.command({ type: 'SAFE', commandId }).then((receipt) => {
          this.latched = true;
          return receipt;
        }),
    );
  }

  /** SLEW (ICD-LNCH-011): azimuth in [0, 360), elevation in [0, 90], else InvalidCommandError. */
  slew(command: {
    readonly commandId: number;
    readonly azimuthDeg: number;
    readonly elevationDeg: number;
  }): Promise<AckReceipt> {
    const { commandId, azimuthDeg, elevationDeg } = command;
    return this.issue(
      commandId,
      JSON.stringify(['SLEW', azimuthDeg, elevationDeg]),
      () =>
        azimuthDeg >= 0 && azimuthDeg < 360 && elevationDeg >= 0 && elevationDeg <= 90
          ? undefined
          : new InvalidCommandError(`slew to azimuth ${azimuthDeg}, elevation ${elevationDeg} (ICD-LNCH-011)`),
      () => this.command({ type: 'SLEW', commandId, azimuthDeg, elevationDeg }),
    );
  }

  /** FIRE at a host-time instant (docs/architecture.md §One run, step 6); see the class contract. */
  fire(command: FireCommand): Promise<FireAccepted> {
    const { commandId, trackId, executeAtHostUs, aim } = command;
    let executeAtDeviceUs = 0;
    let syncUncertaintyUs = Number.POSITIVE_INFINITY;
    const validate = (): Error | undefined => {
      if (!Number.isInteger(trackId) || trackId < 0 || trackId > MAX_U32) {
        return new InvalidCommandError(`track id ${trackId} is not a u32`);
      }
      if (![executeAtHostUs, aim.eastM, aim.northM, aim.upM].every(Number.isFinite)) {
        return new InvalidCommandError('execute-at and aim must be finite');
      }
      if (this.latched) return new SafeLatchedError();
      syncUncertaintyUs = this.timeSync.uncertaintyUs(executeAtHostUs);
      if (!(syncUncertaintyUs <= this.fireMaxSyncUncertaintyUs)) {
        return new SyncOutOfBoundError(syncUncertaintyUs, this.fireMaxSyncUncertaintyUs);
      }
      executeAtDeviceUs = Math.round(this.timeSync.hostToDeviceUs(executeAtHostUs));
      if (executeAtDeviceUs < 0 || executeAtDeviceUs > MAX_SAFE_U64) {
        return new InvalidCommandError(`execute-at ${executeAtDeviceUs} us is outside the launcher clock`);
      }
      return undefined;
    };
    return this.issue(
      commandId,
      JSON.stringify(['FIRE', trackId, executeAtHostUs, aim.eastM, aim.northM, aim.upM]),
      validate,
      () =>
        this.command({
          type: 'FIRE',
          commandId,
          trackId,
          executeAtUs: executeAtDeviceUs,
          aimEastM: aim.eastM,
          aimNorthM: aim.northM,
          aimUpM: aim.upM,
        }).then((receipt) => ({ ...receipt, executeAtHostUs, executeAtDeviceUs, syncUncertaintyUs })),
    );
  }

  /** ABORT (ICD-LNCH-010) of a pending FIRE. */
  abort(command: { readonly commandId: number; readonly fireCommandId: number }): Promise<AckReceipt> {
    const { commandId, fireCommandId } = command;
    return this.issue(
      commandId,
      JSON.stringify(['ABORT', fireCommandId]),
      () =>
        Number.isInteger(fireCommandId) && fireCommandId >= 1 && fireCommandId <= MAX_U32
          ? undefined
          : new InvalidCommandError(`fire command id ${fireCommandId} is not a non-zero u32`),
      () => this.command({ type: 'ABORT', commandId, fireCommandId }),
    );
  }

  /** Sends SAFE when the link is active (bounded by the retransmit limit), then stops. */
  override async stop(): Promise<void> {
    if (this.linkState === 'active') {
      await this.command({ type: 'SAFE', commandId: this.internalCommandId() }).catch(() => undefined);
    }
    await super.stop();
  }

  /** SAFE first after every handshake, then a fresh status showing SAFE (or FAULT): the state re-read. */
  protected override async activate(): Promise<void> {
    this.latched = true;
    this.enforcing = false;
    const receipt = await this.command({ type: 'SAFE', commandId: this.internalCommandId() }, { activation: true });
    await new Promise<void>((resolve) => {
      this.safeStatusWaiter = { sinceUs: receipt.ackedAtUs, resolve };
    });
  }

  protected onDeviceMessage(message: Message, rxUs: number): void {
    if (message.type === 'LAUNCHER_STATUS') this.onStatus(message, rxUs);
    else if (message.type === 'FIRE_REPORT') this.onFireReport(message, rxUs);
  }

  protected onLinkState(change: SessionStateChange): void {
    if (change.state === 'active' || this.lastStatus?.quality !== 'good') return;
    this.lastStatus = { ...this.lastStatus, quality: 'stale' };
    this.events.emit('status', this.lastStatus);
  }

  private onStatus(message: Message<'LAUNCHER_STATUS'>, rxUs: number): void {
    const timed = hostTimed(this.timeSync, rxUs, message.deviceTimeUs);
    this.lastStatus = launcherStatusReport(message, timed, this.latched);
    const waiter = this.safeStatusWaiter;
    const state = message.state;
    // A faulted launcher cannot fire either: activation completes so its state is reported.
    const cannotFire = state === 'safe' || state === 'fault';
    if (waiter !== undefined && cannotFire && rxUs >= waiter.sinceUs) {
      this.safeStatusWaiter = undefined;
      waiter.resolve();
    }
    this.events.emit('status', this.lastStatus);
    const violating = state === 'arming' || state === 'armed' || state === 'firing';
    if (this.latched && violating && this.linkState === 'active' && !this.enforcing) this.enforceSafe();
  }

  private enforceSafe(): void {
    this.enforcing = true;
    this.command({ type: 'SAFE', commandId: this.internalCommandId() })
      .catch(() => undefined)
      .finally(() => {
        this.enforcing = false;
      });
  }

  private onFireReport(message: Message<'FIRE_REPORT'>, rxUs: number): void {
    const key = `${message.fireCommandId}:${message.result}`;
    if (this.reported.has(key)) return; // repeated until ACKed (ICD-LNCH-009): report once
    this.reported.add(key);
    if (this.reported.size > REPORT_MEMORY) this.reported.delete(this.reported.values().next().value as string);
    this.events.emit('fire-report', fireReport(message, hostTimed(this.timeSync, rxUs, message.actualTimeUs)));
  }
}

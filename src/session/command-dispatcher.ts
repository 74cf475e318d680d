import type { ControlCommand, FireOutcome } from '../control/index.js';
import { type LauncherController, NakError } from '../devices/index.js';
import type { DeviceInputAdapter } from './device-input-adapter.js';

/** What became of the commands the core issued, for the summary and metrics. */
export interface DispatchCounters {
  firesSent: number;
  firesRefused: number;
  firesLinkLost: number;
  aborts: number;
  safes: number;
  slews: number;
  /** Commands for a launcher the session does not have (a config bug; never silently ignored). */
  unknownLauncher: number;
  /** Non-FIRE commands the device refused or that timed out. */
  commandErrors: number;
}

/**
 * Carries the core's commands to the launcher drivers and brings the outcome of every FIRE back
 * into the core as a `fire-outcome` input (refused with its NAK reason, link-lost), or — once it
 * executes — the driver's FIRE_REPORT (launched / aborted / misfire). The FIRE's planned instant
 * is host time; the driver converts it into the launcher's clock through time sync.
 */
export class CommandDispatcher {
  readonly counters: DispatchCounters = {
    firesSent: 0,
    firesRefused: 0,
    firesLinkLost: 0,
    aborts: 0,
    safes: 0,
    slews: 0,
    unknownLauncher: 0,
    commandErrors: 0,
  };

  constructor(
    private readonly launchers: ReadonlyMap<string, LauncherController>,
    private readonly inputs: DeviceInputAdapter,
    private readonly nowUs: () => number,
    private readonly onError: (message: string) => void,
  ) {
    for (const [id, launcher] of launchers) {
      launcher.on('fire-report', (report) => {
        const outcome: FireOutcome =
          report.result === 'launched'
            ? {
                result: 'launched',
                actualLaunchHostUs: report.actualHostUs ?? report.receivedAtHostUs,
                roundsRemaining: report.roundsRemaining,
              }
            : { result: report.result, roundsRemaining: report.roundsRemaining };
        this.fireOutcome(id, report.fireCommandId, outcome, report.receivedAtHostUs);
      });
    }
  }

  dispatch(command: ControlCommand): void {
    const launcher = this.launchers.get(command.launcherId);
    if (launcher === undefined) {
      this.counters.unknownLauncher++;
      this.onError(`core addressed unknown launcher ${command.launcherId}`);
      return;
    }
    switch (command.kind) {
      case 'fire':
        this.counters.firesSent++;
        launcher
          .fire({
            commandId: command.commandId,
            trackId: command.trackId,
            executeAtHostUs: command.launchAtHostUs,
            aim: { eastM: command.aimEastM, northM: command.aimNorthM, upM: command.aimUpM },
          })
          .catch((error: unknown) => this.fireFailed(command.launcherId, command.commandId, error));
        break;
      case 'abort':
        this.counters.aborts++;
        launcher
          .abort({ commandId: command.commandId, fireCommandId: command.fireCommandId })
          .catch((error: unknown) => this.commandFailed(command, error));
        break;
      case 'safe':
        this.counters.safes++;
        launcher.safe({ commandId: command.commandId }).catch((error: unknown) => this.commandFailed(command, error));
        break;
      case 'slew':
        this.counters.slews++;
        launcher
          .slew({ commandId: command.commandId, azimuthDeg: command.azimuthDeg, elevationDeg: command.elevationDeg })
          .catch((error: unknown) => this.commandFailed(command, error));
        break;
    }
  }

  private fireFailed(launcherId: string, commandId: number, error: unknown): void {
    if (error instanceof NakError) {
      this.counters.firesRefused++;
      this.fireOutcome(launcherId, commandId, { result: 'refused', nakReason: error.reason }, this.nowUs());
      return;
    }
    // Link lost, timed out, sync out of bound, not active: the FIRE's fate is unknown to the
    // host or it was never sent; the core treats both as link-lost (fail closed: the track and
    // launcher stay blocked until the intercept would have been assessed).
    this.counters.firesLinkLost++;
    this.fireOutcome(launcherId, commandId, { result: 'link-lost' }, this.nowUs());
  }

  private commandFailed(command: ControlCommand, error: unknown): void {
    this.counters.commandErrors++;
    this.onError(`${command.kind} ${command.commandId} to ${command.launcherId}: ${(error as Error).message}`);
  }

  private fireOutcome(launcherId: string, fireCommandId: number, outcome: FireOutcome, receivedAtUs: number): void {
    this.inputs.emit({
      kind: 'fire-outcome',
      receivedAtUs,
      sourceId: launcherId,
      seq: this.inputs.nextSeq(launcherId),
      launcherId,
      fireCommandId,
      outcome,
    });
  }
}

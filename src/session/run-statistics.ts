import type { FireCommand } from '../control/index.js';
import { LauncherReadinessLog } from './launcher-readiness-log.js';
import type { BusyTickRecord } from './tick-record-codec.js';

/** A FIRE the core issued, as planned. */
export interface PlannedFire {
  readonly commandId: number;
  readonly launcherId: string;
  readonly trackId: number;
  readonly engagementId: number;
  readonly launchAtHostUs: number;
  /** When the core issued it (tick time). */
  readonly issuedAtUs: number;
  readonly aim: { readonly eastM: number; readonly northM: number; readonly upM: number };
}

/**
 * What the host did, gathered from the core's outputs as they stream by (O(1) per output): the
 * FIREs it planned, when each host track was first detected, engagement results, and the
 * weapons-control history. The run summary joins this with the simulator's truth.
 */
export class RunStatistics {
  readonly fires = new Map<number, PlannedFire>();
  /** Host track id → time of its `created` event. */
  readonly trackFirstSeenUs = new Map<number, number>();
  /** Reaction time per FIRE: first detection of its track to the FIRE command, microseconds. */
  readonly reactionUs: number[] = [];
  readonly engagementResults = { kill: 0, miss: 0, lost: 0, aborted: 0, failed: 0 };
  /** Weapons-control changes: [atUs, status]. */
  readonly weaponsControl: [number, string][] = [];
  /** Operator commands the core refused (with reasons). */
  readonly operatorRejections: { requestId: string; reason: string | null }[] = [];
  /** Launcher readiness over the run and refused FIREs. */
  readonly readiness = new LauncherReadinessLog();
  lastTickUs = 0;

  addTick(record: BusyTickRecord): void {
    this.lastTickUs = record.nowUs;
    for (const event of record.events) {
      switch (event.kind) {
        case 'track':
          if (event.transition === 'created') this.trackFirstSeenUs.set(event.trackId, event.atUs);
          break;
        case 'launcher-readiness':
          this.readiness.addReadiness(event);
          break;
        case 'engagement':
          this.readiness.addEngagement(event);
          if (event.transition === 'intercept-assessed' && event.result !== null)
            this.engagementResults[event.result]++;
          else if (event.transition === 'aborted') this.engagementResults.aborted++;
          else if (event.transition === 'failed') this.engagementResults.failed++;
          break;
        case 'weapons-control':
          this.weaponsControl.push([event.atUs, event.to]);
          break;
        case 'operator-command-result':
          if (event.result === 'rejected')
            this.operatorRejections.push({ requestId: event.requestId, reason: event.reason });
          break;
        default:
          break;
      }
    }
    // After the events: a FIRE in the tick that created its track still has a detection time.
    for (const command of record.commands) {
      if (command.kind === 'fire') this.addFire(command, record.nowUs);
    }
  }

  private addFire(command: FireCommand, nowUs: number): void {
    this.fires.set(command.commandId, {
      commandId: command.commandId,
      launcherId: command.launcherId,
      trackId: command.trackId,
      engagementId: command.engagementId,
      launchAtHostUs: command.launchAtHostUs,
      issuedAtUs: nowUs,
      aim: { eastM: command.aimEastM, northM: command.aimNorthM, upM: command.aimUpM },
    });
    const firstSeen = this.trackFirstSeenUs.get(command.trackId);
    if (firstSeen !== undefined) this.reactionUs.push(nowUs - firstSeen);
  }
}

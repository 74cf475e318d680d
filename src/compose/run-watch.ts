import type { LauncherSnapshot } from '../control/index.js';
import type { SessionObserver } from '../session/hil-session.js';
import { PictureSampler } from '../session/picture-sampler.js';
import type { AuthorizationInterval } from '../session/run-summary.js';
import type { SessionCommandExecutor } from '../session/session-command-executor.js';
import { ThreatAccuracySampler } from '../session/threat-accuracy.js';
import type { RunProgress } from './run-bench-types.js';
import type { ScriptedOperators } from './scripted-operators.js';

type Snapshot = Parameters<NonNullable<SessionObserver['onSnapshot']>>[0];
type BusyTickRecord = Parameters<NonNullable<SessionObserver['onBusyTick']>>[0];

/**
 * What a bench run watches of its own session: the latest picture for the progress line and the
 * bridge's metrics, kills counted, the authorization intervals the authenticated path set (the
 * summary's authorization truth), and the picture and threat samples scored against truth at the
 * end. Observer calls are synchronous and O(tracks) at most; samples are bounded by the samplers.
 */
export class RunWatch implements SessionObserver {
  /** Sampled pictures for GOSPA/SIAP at the end (bounded, see PictureSampler). */
  readonly pictureSampler: PictureSampler;
  /** Threat-evaluation samples for the impact-point accuracy at the end. */
  readonly threatSampler = new ThreatAccuracySampler();
  /** Closed authorization intervals, in order; {@link closeAuthorizations} closes the open one. */
  readonly authorizations: AuthorizationInterval[] = [];
  /** The session's command executor, once made (it needs the session's inputs). */
  executor: SessionCommandExecutor | undefined;
  private intercepts = 0;
  private currentAuth: { fromUs: number; status: 'tight' | 'free' } | undefined;
  private latest: { tracks: number; engagements: number; wcs: string; launchers: readonly LauncherSnapshot[] } = {
    tracks: 0,
    engagements: 0,
    wcs: 'hold',
    launchers: [],
  };

  constructor(
    private readonly scripted: ScriptedOperators,
    samplePeriodUs: number,
  ) {
    this.pictureSampler = new PictureSampler(samplePeriodUs);
  }

  onSnapshot(snapshot: Snapshot): void {
    this.scripted.onSnapshot(snapshot);
    this.pictureSampler.add(snapshot);
    this.threatSampler.add(snapshot);
    this.latest = {
      tracks: snapshot.tracks.length,
      engagements: snapshot.engagements.length,
      wcs: snapshot.weaponsControlStatus,
      launchers: snapshot.launchers,
    };
  }

  onBusyTick(record: BusyTickRecord): void {
    this.executor?.onBusyTick(record);
    for (const event of record.events) {
      if (event.kind === 'weapons-control') {
        // Authorization truth: the status the authenticated path set, with its interval.
        if (this.currentAuth !== undefined) this.authorizations.push({ ...this.currentAuth, toUs: event.atUs });
        this.currentAuth = event.to === 'hold' ? undefined : { fromUs: event.atUs, status: event.to };
      } else if (event.kind === 'engagement' && event.transition === 'intercept-assessed' && event.result === 'kill') {
        this.intercepts++;
      }
    }
  }

  /** Weapons control status as the display's metric: 0 hold, 1 tight, 2 free. */
  weaponsControlIndex(): number {
    return ['hold', 'tight', 'free'].indexOf(this.latest.wcs);
  }

  /** The progress line's figures at `simulatedS` of `durationS`. */
  progress(simulatedS: number, durationS: number): RunProgress {
    const { launchers } = this.latest;
    return {
      simulatedS,
      durationS,
      tracks: this.latest.tracks,
      engagements: this.latest.engagements,
      intercepts: this.intercepts,
      weaponsControlStatus: this.latest.wcs,
      launchersReady: launchers.filter((l) => l.ready).length,
      launchers: launchers.length,
      notReady: launchers.filter((l) => !l.ready).map((l) => notReadyText(l)),
    };
  }

  /** At the end of the run: an authorization still open lasts to the end of time. */
  closeAuthorizations(): void {
    if (this.currentAuth !== undefined)
      this.authorizations.push({ ...this.currentAuth, toUs: Number.MAX_SAFE_INTEGER });
    this.currentAuth = undefined;
  }
}

/** `launcher-2 time-sync-out-of-bound (±4.1 ms > 3.3 ms)`: a launcher's first failing condition. */
export function notReadyText(l: LauncherSnapshot): string {
  const reason = l.notReadyReasons[0] ?? 'unknown';
  if (reason !== 'time-sync-out-of-bound') return `${l.launcherId} ${reason}`;
  const sync = l.syncUncertaintyUs === null ? 'no sync' : `±${(l.syncUncertaintyUs / 1000).toFixed(1)} ms`;
  return `${l.launcherId} ${reason} (${sync} > ${(l.syncBudgetUs / 1000).toFixed(1)} ms)`;
}

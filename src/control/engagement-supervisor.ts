import type { ControlConfig } from './control-config.js';
import type { EngagementEndReason } from './control-commands.js';
import type { InputRejectReason } from './control-events.js';
import type { FireOutcomeInput, WeaponsControlStatus } from './control-inputs.js';
import type { EngagementActions } from './engagement-actions.js';
import type { EngagementRecord, EngagementTable } from './engagement-table.js';
import type { FireRefusalLedger } from './fire-refusal-ledger.js';
import { InterceptSolution, type InterceptSolver } from './intercept-solver.js';
import {
  firstNotReadyReason,
  SAFE_ON_FAILURE_MASK,
  type LauncherRecord,
  type LauncherTable,
} from './launcher-table.js';
import type { OutputSink } from './output-sink.js';
import { TargetKinematics } from './target-kinematics.js';
import { PartnerHoldTable } from './partner-holds.js';
import { trackInterlock } from './track-interlock.js';
import type { TrackTable } from './track-table.js';

/**
 * Drives every engagement after planning, once per tick: interlocks (fail closed), re-plans,
 * FIRE emission, outcome handling, timeouts and kill assessment.
 *
 * - planned: dropped when any track or launcher interlock fails; re-planned when the track moved
 *   the predicted target position at the planned intercept more than `replanToleranceM` from the
 *   aim point, or when the FIRE window was missed; FIRE goes out in the tick where
 *   launchAt − now <= commandLead + tickPeriod, after every interlock is checked again.
 * - fire-sent: before the launch instant, any failing interlock cancels it — SAFE for launcher
 *   health (no status, inactive, link, stale status, not armed, watchdog), ABORT otherwise
 *   (weapons control, IFF, hold-fire, sync, rounds, solution moved); cease-fire lets it go.
 *   No FIRE report by launchAt + fireReportTimeout: failed, launcher made SAFE.
 * - launched: kill when a radar reports the track destroyed; at interceptAt + killAssessmentDelay,
 *   miss when the track was measured after the intercept instant (it may be engaged again), lost
 *   when it went away otherwise.
 */
export class EngagementSupervisor {
  private readonly kin = new TargetKinematics();
  private readonly solution = new InterceptSolution();
  private lastFireCommandId = 0;

  constructor(
    private readonly config: ControlConfig,
    private readonly sink: OutputSink,
    private readonly tracks: TrackTable,
    private readonly launchers: LauncherTable,
    private readonly engagements: EngagementTable,
    private readonly actions: EngagementActions,
    private readonly solver: InterceptSolver,
    private readonly refusals: FireRefusalLedger,
    private readonly partnerHolds: PartnerHoldTable = new PartnerHoldTable(),
  ) {}

  /** The tracker's notice that an engagement's track was destroyed or went away. */
  trackEnded(slot: number, trackId: number, destroyed: boolean): void {
    const r = this.engagements.records[slot];
    if (r === undefined || !r.inUse || r.trackId !== trackId) return;
    if (destroyed) r.trackDestroyed = true;
    else r.trackGone = true;
  }

  /** Applies a FIRE outcome; returns why it was rejected, or null. */
  fireOutcome(input: FireOutcomeInput): InputRejectReason | null {
    const launcher = this.launchers.get(input.launcherId);
    if (launcher === undefined) return 'unknown-launcher';
    const o = input.outcome;
    if (o.result === 'launched') {
      launcher.launchedCount++;
      launcher.roundsReported = o.roundsRemaining;
      launcher.consecutiveRefusals = 0;
    } else if (o.result === 'aborted' || o.result === 'misfire') launcher.roundsReported = o.roundsRemaining;
    const slot = this.engagements.findByFire(launcher.index, input.fireCommandId);
    if (slot < 0) return 'unknown-fire-command';
    const r = this.engagements.records[slot]!;
    const open = r.state === 'fire-sent' || (r.state === 'aborted' && r.blocking);
    if (!open) return null; // a repeated report
    const actions = this.actions;
    switch (o.result) {
      case 'launched':
        r.state = 'launched';
        r.actualLaunchHostUs = o.actualLaunchHostUs;
        if (launcher.pendingSlot === slot) launcher.pendingSlot = -1;
        actions.announce(r, 'launched', null);
        return null;
      case 'refused':
      case 'misfire': {
        let limitReached = false;
        if (o.result === 'refused') {
          // Feedback: the launcher backs off (not ready, `fire-refused`) and this track is not
          // offered to it again after maxFireRefusalsPerTarget refusals — no FIRE storm.
          launcher.refused(this.sink.atUs, this.config.engagement);
          const count = this.refusals.record(r.trackSlot, r.trackId, launcher.index);
          limitReached = count >= this.config.engagement.maxFireRefusalsPerTarget;
        }
        if (r.state === 'aborted') {
          actions.release(r, slot);
          actions.announce(r, 'abort-confirmed', null);
        } else {
          r.state = 'failed';
          r.reason = limitReached ? 'refusal-limit' : o.result;
          if (o.result === 'refused') r.nakReason = o.nakReason;
          actions.release(r, slot);
          actions.announce(r, 'failed', null);
        }
        return null;
      }
      case 'aborted':
        if (r.state === 'aborted') {
          actions.release(r, slot);
          actions.announce(r, 'abort-confirmed', null);
        } else {
          r.state = 'aborted';
          r.reason = 'launcher-aborted';
          actions.release(r, slot);
          actions.announce(r, 'aborted', null);
        }
        return null;
      case 'link-lost':
        // The FIRE may or may not have executed: keep the track from a new engagement until its
        // interceptor would have been assessed.
        actions.release(r, slot, actions.unknownFateUntilUs(r));
        if (r.state === 'fire-sent') r.state = 'failed';
        r.reason = 'link-lost';
        actions.announce(r, r.state === 'failed' ? 'failed' : 'aborted', null);
        return null;
    }
  }

  /** Interlocks, re-plans, timeouts and assessment of every engagement. */
  supervise(nowUs: number, wcs: WeaponsControlStatus): void {
    const records = this.engagements.records;
    const limit = this.engagements.usedLimit;
    for (let slot = 0; slot < limit; slot++) {
      const r = records[slot]!;
      if (!r.inUse) continue;
      switch (r.state) {
        case 'planned':
          this.supervisePlanned(r, slot, nowUs, wcs);
          break;
        case 'fire-sent':
          this.superviseFireSent(r, slot, nowUs, wcs);
          break;
        case 'aborted':
          if (r.blocking && nowUs > r.launchAtHostUs + this.config.engagement.fireReportTimeoutUs) {
            // The launcher never confirmed the cancel: make it SAFE and stop waiting.
            this.actions.cancelFire(r, 'no-fire-report', true);
            this.actions.release(r, slot, this.actions.unknownFateUntilUs(r));
          }
          break;
        case 'launched':
          this.assess(r, slot, nowUs);
          break;
        default:
          break;
      }
    }
  }

  /** Emits FIRE for planned engagements whose window has come and whose interlocks all hold. */
  fireDue(nowUs: number, wcs: WeaponsControlStatus): void {
    const e = this.config.engagement;
    const records = this.engagements.records;
    const limit = this.engagements.usedLimit;
    for (let slot = 0; slot < limit; slot++) {
      const r = records[slot]!;
      if (!r.inUse || r.state !== 'planned' || r.fireCommandId !== 0) continue;
      const untilLaunchUs = r.launchAtHostUs - nowUs;
      if (untilLaunchUs > e.commandLeadUs + this.config.tickPeriodUs || untilLaunchUs < e.commandLeadUs) continue;
      const launcher = this.launchers.records[r.launcherIndex]!;
      if (this.plannedBlockReason(r, launcher, wcs) !== null) continue; // supervise() drops it next tick
      const id = this.sink.nextCommandId();
      if (id <= this.lastFireCommandId) continue; // never reached: ids only increase
      this.lastFireCommandId = id;
      r.fireCommandId = id;
      r.state = 'fire-sent';
      this.sink.command({
        kind: 'fire',
        commandId: id,
        launcherId: launcher.config.id,
        engagementId: r.engagementId,
        trackId: r.trackId,
        launchAtHostUs: r.launchAtHostUs,
        interceptAtHostUs: r.interceptAtHostUs,
        aimEastM: r.aimEastM,
        aimNorthM: r.aimNorthM,
        aimUpM: r.aimUpM,
      });
      this.actions.announce(r, 'fire-sent', id);
    }
  }

  private trackReason(
    r: EngagementRecord,
    wcs: WeaponsControlStatus,
    honourCease: boolean,
  ): EngagementEndReason | null {
    if (r.trackDestroyed) return 'track-destroyed';
    if (r.trackGone || !this.tracks.holds(r.trackSlot, r.trackId)) return 'track-lost';
    return trackInterlock(this.tracks, r.trackSlot, wcs, this.config, honourCease);
  }

  private plannedBlockReason(
    r: EngagementRecord,
    launcher: LauncherRecord,
    wcs: WeaponsControlStatus,
  ): EngagementEndReason | null {
    if (r.abortRequested) return 'operator-abort';
    const reason = this.trackReason(r, wcs, true);
    if (reason !== null) return reason;
    if (this.partnerHolds.held(r.trackId, this.sink.atUs)) return 'partner-engages';
    if (launcher.notReadyMask !== 0) return firstNotReadyReason(launcher.notReadyMask);
    if (launcher.state !== 'armed') return 'launcher-not-armed';
    return null;
  }

  private supervisePlanned(r: EngagementRecord, slot: number, nowUs: number, wcs: WeaponsControlStatus): void {
    const launcher = this.launchers.records[r.launcherIndex]!;
    const reason = this.plannedBlockReason(r, launcher, wcs);
    if (reason !== null) {
      this.actions.drop(r, slot, reason);
      return;
    }
    const tracks = this.tracks;
    if (tracks.version[r.trackSlot] !== r.trackVersion) {
      r.trackVersion = tracks.version[r.trackSlot]!;
      if (this.aimErrorM(r) > this.config.engagement.replanToleranceM) this.replan(r, slot, nowUs, 'solution-moved');
    } else if (r.launchAtHostUs - nowUs < this.config.engagement.commandLeadUs) {
      this.replan(r, slot, nowUs, 'launch-window-missed');
    }
  }

  private superviseFireSent(r: EngagementRecord, slot: number, nowUs: number, wcs: WeaponsControlStatus): void {
    const e = this.config.engagement;
    if (nowUs > r.launchAtHostUs + e.fireReportTimeoutUs) {
      const safeId = this.actions.safe(r, 'no-fire-report');
      r.state = 'failed';
      r.reason = 'no-fire-report';
      this.actions.release(r, slot, this.actions.unknownFateUntilUs(r));
      this.actions.announce(r, 'failed', safeId);
      return;
    }
    if (nowUs >= r.launchAtHostUs) return; // executing or executed: await the report
    const launcher = this.launchers.records[r.launcherIndex]!;
    const trackReason = r.abortRequested ? 'operator-abort' : this.trackReason(r, wcs, false);
    if (trackReason !== null) {
      this.actions.cancelFire(r, trackReason, false);
      return;
    }
    const mask = launcher.notReadyMask;
    if (mask !== 0) {
      this.actions.cancelFire(r, firstNotReadyReason(mask), (mask & SAFE_ON_FAILURE_MASK) !== 0);
      return;
    }
    const tracks = this.tracks;
    if (tracks.version[r.trackSlot] !== r.trackVersion) {
      r.trackVersion = tracks.version[r.trackSlot]!;
      if (this.aimErrorM(r) > e.replanToleranceM) this.actions.cancelFire(r, 'solution-moved', false);
    }
  }

  /** Distance between the aim point and where the track is now predicted at the planned intercept. */
  private aimErrorM(r: EngagementRecord): number {
    const kin = this.kin.loadTrack(this.tracks, r.trackSlot, this.config.tracking.gravityMps2);
    kin.predict(r.interceptAtHostUs);
    const dE = kin.atEastM - r.aimEastM;
    const dN = kin.atNorthM - r.aimNorthM;
    const dU = kin.atUpM - r.aimUpM;
    return Math.sqrt(dE * dE + dN * dN + dU * dU);
  }

  private replan(r: EngagementRecord, slot: number, nowUs: number, failReason: EngagementEndReason): void {
    const launcher = this.launchers.records[r.launcherIndex]!;
    const kin = this.kin.loadTrack(this.tracks, r.trackSlot, this.config.tracking.gravityMps2);
    const s = this.solution;
    if (!this.solver.solve(kin, launcher.config, launcher, nowUs, s)) {
      this.actions.drop(r, slot, failReason === 'solution-moved' ? 'no-solution' : failReason);
      return;
    }
    r.launchAtHostUs = s.launchAtHostUs;
    r.interceptAtHostUs = s.interceptAtHostUs;
    r.aimEastM = s.aimEastM;
    r.aimNorthM = s.aimNorthM;
    r.aimUpM = s.aimUpM;
    let dAz = Math.abs(s.azimuthDeg - r.slewAzimuthDeg) % 360;
    if (dAz > 180) dAz = 360 - dAz;
    const moved =
      dAz > this.config.engagement.slewToleranceDeg ||
      Math.abs(s.elevationDeg - r.slewElevationDeg) > this.config.engagement.slewToleranceDeg;
    const slewId = moved ? this.actions.slew(r, s.azimuthDeg, s.elevationDeg) : null;
    this.actions.announce(r, 'replanned', slewId);
  }

  private assess(r: EngagementRecord, slot: number, nowUs: number): void {
    if (r.trackDestroyed) {
      this.finish(r, slot, 'kill');
      return;
    }
    if (nowUs < r.interceptAtHostUs + this.config.engagement.killAssessmentDelayUs) return;
    if (r.trackGone || !this.tracks.holds(r.trackSlot, r.trackId)) {
      this.finish(r, slot, 'lost');
      return;
    }
    if (this.tracks.refTimeUs[r.trackSlot]! > r.interceptAtHostUs) this.finish(r, slot, 'miss');
  }

  private finish(r: EngagementRecord, slot: number, result: 'kill' | 'miss' | 'lost'): void {
    r.state = 'assessed';
    r.result = result;
    this.actions.release(r, slot);
    this.actions.announce(r, 'intercept-assessed', null);
  }
}

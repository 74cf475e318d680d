import type { ControlConfig } from './control-config.js';
import type { EngagementEndReason } from './control-commands.js';
import type { EngagementTransition } from './control-events.js';
import type { EngagementRecord, EngagementTable } from './engagement-table.js';
import type { LauncherTable } from './launcher-table.js';
import type { OutputSink } from './output-sink.js';
import type { TrackTable } from './track-table.js';

/**
 * The primitive moves of the engagement state machine, shared by the planner, the supervisor and
 * the operator command handler, each emitting its event (and command) so the log never misses a
 * transition.
 */
export class EngagementActions {
  constructor(
    private readonly config: ControlConfig,
    private readonly sink: OutputSink,
    private readonly tracks: TrackTable,
    private readonly launchers: LauncherTable,
    private readonly engagements: EngagementTable,
  ) {}

  /** Emits the engagement event of a transition; `commandId` is the command it emitted, if any. */
  announce(r: EngagementRecord, transition: EngagementTransition, commandId: number | null): void {
    const sink = this.sink;
    sink.event({
      kind: 'engagement',
      seq: sink.nextSeq(),
      atUs: sink.atUs,
      transition,
      engagementId: r.engagementId,
      trackId: r.trackId,
      launcherId: this.config.launchers[r.launcherIndex]!.id,
      state: r.state,
      fireCommandId: r.fireCommandId === 0 ? null : r.fireCommandId,
      launchAtHostUs: r.launchAtHostUs,
      interceptAtHostUs: r.interceptAtHostUs,
      aimEastM: r.aimEastM,
      aimNorthM: r.aimNorthM,
      aimUpM: r.aimUpM,
      actualLaunchHostUs: r.actualLaunchHostUs,
      result: r.result,
      reason: r.reason,
      nakReason: r.nakReason,
      commandId,
    });
  }

  /** Emits a SLEW towards the record's aim and remembers it. */
  slew(r: EngagementRecord, azimuthDeg: number, elevationDeg: number): number {
    const id = this.sink.nextCommandId();
    const el = elevationDeg < 0 ? 0 : elevationDeg > 90 ? 90 : elevationDeg;
    r.slewAzimuthDeg = azimuthDeg;
    r.slewElevationDeg = el;
    this.sink.command({
      kind: 'slew',
      commandId: id,
      launcherId: this.config.launchers[r.launcherIndex]!.id,
      engagementId: r.engagementId,
      azimuthDeg,
      elevationDeg: el,
    });
    return id;
  }

  /**
   * Stops holding the track and launcher. `reengageNotBeforeUs` keeps the track from a new
   * engagement until then (a FIRE whose fate is unknown may still be flying). A salvo's other
   * round keeps holding the track.
   */
  release(r: EngagementRecord, slot: number, reengageNotBeforeUs = 0): void {
    const launcher = this.launchers.records[r.launcherIndex]!;
    if (launcher.pendingSlot === slot) launcher.pendingSlot = -1;
    const tracks = this.tracks;
    const t = r.trackSlot;
    if (tracks.holds(t, r.trackId) && (tracks.engagementSlot[t] === slot || tracks.salvoEngagementSlot[t] === slot)) {
      // The other round of a salvo, if any, becomes the track's engagement.
      if (tracks.engagementSlot[t] === slot) tracks.engagementSlot[t] = tracks.salvoEngagementSlot[t]!;
      tracks.salvoEngagementSlot[t] = -1;
      if (reengageNotBeforeUs > tracks.reengageNotBeforeUs[t]!) tracks.reengageNotBeforeUs[t] = reengageNotBeforeUs;
    }
    r.blocking = false;
  }

  /** When a track may be engaged again after a FIRE of unknown fate. */
  unknownFateUntilUs(r: EngagementRecord): number {
    return r.interceptAtHostUs + this.config.engagement.killAssessmentDelayUs;
  }

  /** Drops a planned engagement (no FIRE sent yet: no command needed). */
  drop(r: EngagementRecord, slot: number, reason: EngagementEndReason): void {
    r.state = 'aborted';
    r.reason = reason;
    this.release(r, slot);
    this.announce(r, 'aborted', null);
  }

  /** Emits SAFE for the record's launcher; returns its command id. */
  safe(r: EngagementRecord, reason: EngagementEndReason): number {
    const id = this.sink.nextCommandId();
    this.sink.command({ kind: 'safe', commandId: id, launcherId: this.config.launchers[r.launcherIndex]!.id, reason });
    return id;
  }

  /**
   * Cancels a FIRE already sent: SAFE when the launcher itself is in doubt (`safe`), else ABORT.
   * The record keeps blocking its track and launcher until the launcher confirms.
   */
  cancelFire(r: EngagementRecord, reason: EngagementEndReason, safe: boolean): void {
    if (safe) {
      const safeId = this.safe(r, reason);
      r.state = 'aborted';
      r.reason = reason;
      this.announce(r, 'aborted', safeId);
      return;
    }
    const id = this.sink.nextCommandId();
    const launcherId = this.config.launchers[r.launcherIndex]!.id;
    this.sink.command({
      kind: 'abort',
      commandId: id,
      launcherId,
      fireCommandId: r.fireCommandId,
      engagementId: r.engagementId,
      reason,
    });
    r.state = 'aborted';
    r.reason = reason;
    this.announce(r, 'aborted', id);
  }

  /** Frees terminal records that no longer block anything. */
  collect(): void {
    const table = this.engagements;
    const records = table.records;
    for (let slot = table.usedLimit - 1; slot >= 0; slot--) {
      const r = records[slot]!;
      if (r.inUse && !r.blocking && (r.state === 'aborted' || r.state === 'failed' || r.state === 'assessed'))
        table.free(slot);
    }
  }
}

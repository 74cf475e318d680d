/**
 * Commands the core asks the launcher drivers to send. Each carries a fresh `commandId` from the
 * core's counter (never 0, strictly increasing, never reused: ICD-CMN-008); the driver puts it
 * in the frame and reports outcomes against it. Times are host microseconds: the driver converts
 * `launchAtHostUs` into the launcher clock (FIRE.executeAtUs) through its time sync.
 */
export type ControlCommand = FireCommand | AbortCommand | SafeCommand | SlewCommand;

/**
 * Launch one interceptor at `launchAtHostUs` towards the aim point. Emitted once per engagement,
 * between `commandLeadUs` and `commandLeadUs + tickPeriodUs` before the launch instant, and only
 * when every interlock holds at that tick.
 */
export interface FireCommand {
  readonly kind: 'fire';
  readonly commandId: number;
  readonly launcherId: string;
  readonly engagementId: number;
  readonly trackId: number;
  /** Planned launch instant, host time, integer microseconds. */
  readonly launchAtHostUs: number;
  /** When the interceptor is planned to reach the aim point, host time. */
  readonly interceptAtHostUs: number;
  readonly aimEastM: number;
  readonly aimNorthM: number;
  readonly aimUpM: number;
}

/** Cancel a FIRE that has not executed; the launcher stays ARMED. */
export interface AbortCommand {
  readonly kind: 'abort';
  readonly commandId: number;
  readonly launcherId: string;
  readonly fireCommandId: number;
  readonly engagementId: number;
  readonly reason: EngagementEndReason;
}

/**
 * Make a launcher SAFE at once (cancels any pending FIRE; always accepted by the firmware). Sent
 * when a launcher-level interlock fails while one of its FIREs is outstanding.
 */
export interface SafeCommand {
  readonly kind: 'safe';
  readonly commandId: number;
  readonly launcherId: string;
  readonly reason: EngagementEndReason;
}

/** Point a launcher towards a planned aim point. */
export interface SlewCommand {
  readonly kind: 'slew';
  readonly commandId: number;
  readonly launcherId: string;
  readonly engagementId: number;
  /** 0..360, clockwise from north. */
  readonly azimuthDeg: number;
  /** 0..90 above the horizon (clamped). */
  readonly elevationDeg: number;
}

/** Why an engagement was dropped, aborted or failed (also the reason of ABORT and SAFE). */
export type EngagementEndReason =
  // weapons control and identification
  | 'weapons-hold'
  | 'iff-friendly'
  | 'iff-not-authorized'
  // operator orders
  | 'hold-fire'
  | 'cease-fire'
  | 'operator-abort'
  // a partner node has the engagement of this track (joint deconfliction)
  | 'partner-engages'
  // track
  | 'track-lost'
  | 'track-coasting'
  | 'track-quality'
  | 'track-destroyed'
  // launcher (the first six make the launcher SAFE when a FIRE is outstanding)
  | 'launcher-no-status'
  | 'launcher-inactive'
  | 'link-not-fresh'
  | 'launcher-status-stale'
  | 'launcher-not-armed'
  | 'watchdog-tripped'
  | 'time-sync-out-of-bound'
  | 'no-rounds'
  | 'fire-refused'
  // solution
  | 'solution-moved'
  | 'no-solution'
  | 'launch-window-missed'
  // outcomes reported by the launcher or driver
  | 'refused'
  /** Refused again by a launcher that had refused this track maxFireRefusalsPerTarget − 1 times: not tried again. */
  | 'refusal-limit'
  | 'misfire'
  | 'link-lost'
  | 'no-fire-report'
  | 'launcher-aborted';

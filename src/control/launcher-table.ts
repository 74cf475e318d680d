import type { ControlConfig, EngagementConfig, LauncherConfig } from './control-config.js';
import type { LauncherNotReadyReason } from './control-events.js';
import type { LauncherState, LauncherStatusInput } from './control-inputs.js';
import { launchErrorBudgetUs } from './launch-error-budget.js';

/** Readiness condition bits; a launcher is ready when none is set. */
export const NOT_READY_NO_STATUS = 1 << 0;
export const NOT_READY_INACTIVE = 1 << 1;
export const NOT_READY_LINK = 1 << 2;
export const NOT_READY_STATUS_STALE = 1 << 3;
export const NOT_READY_NOT_ARMED = 1 << 4;
export const NOT_READY_WATCHDOG = 1 << 5;
export const NOT_READY_SYNC = 1 << 6;
export const NOT_READY_NO_ROUNDS = 1 << 7;
export const NOT_READY_FIRE_REFUSED = 1 << 8;

/**
 * Failures after which a FIRE still outstanding cannot be trusted to be cancelled by ABORT, or
 * the launcher itself is unhealthy: the core sends SAFE (always accepted, cancels a pending FIRE,
 * ICD). The others (sync, rounds) only ABORT the FIRE; the launcher stays ARMED.
 */
export const SAFE_ON_FAILURE_MASK =
  NOT_READY_NO_STATUS |
  NOT_READY_INACTIVE |
  NOT_READY_LINK |
  NOT_READY_STATUS_STALE |
  NOT_READY_NOT_ARMED |
  NOT_READY_WATCHDOG;

/** Bit → reason name, in bit order (the order reasons are listed in events). */
export const NOT_READY_REASONS: readonly LauncherNotReadyReason[] = [
  'launcher-no-status',
  'launcher-inactive',
  'link-not-fresh',
  'launcher-status-stale',
  'launcher-not-armed',
  'watchdog-tripped',
  'time-sync-out-of-bound',
  'no-rounds',
  'fire-refused',
];

/** The reason of the lowest set bit of a non-zero mask (the first failing condition). */
export function firstNotReadyReason(mask: number): LauncherNotReadyReason {
  for (let bit = 0; bit < NOT_READY_REASONS.length; bit++) if (mask & (1 << bit)) return NOT_READY_REASONS[bit]!;
  return NOT_READY_REASONS[0]!;
}

/** Every reason of a mask, for readiness events. */
export function notReadyReasons(mask: number): LauncherNotReadyReason[] {
  const out: LauncherNotReadyReason[] = [];
  for (let bit = 0; bit < NOT_READY_REASONS.length; bit++) if (mask & (1 << bit)) out.push(NOT_READY_REASONS[bit]!);
  return out;
}

/** What the core knows of one launcher. */
export class LauncherRecord {
  hasStatus = false;
  /** Host time of the latest status (device time converted) and when it was received. */
  statusTimeUs = 0;
  statusReceivedAtUs = 0;
  lifecycleActive = false;
  linkFresh = false;
  /** Time-sync uncertainty, or -1 when the driver has none. */
  syncUncertaintyUs = -1;
  state: LauncherState = 'safe';
  watchdogTripped = false;
  azimuthDeg = 0;
  elevationDeg = 0;
  /** Latest rounds count from the launcher (status or FIRE report). */
  roundsReported = 0;
  /** Launches the core has seen from this launcher. */
  launchedCount = 0;
  /** Engagement slot holding the launcher (planned, FIRE sent, or ABORT unconfirmed), or -1. */
  pendingSlot = -1;
  /** Readiness bits at the last evaluation. */
  notReadyMask = NOT_READY_NO_STATUS;
  /** Mask last announced in a readiness event (-1: never). */
  announcedMask = -1;
  /** Largest time-sync uncertainty at which this launcher may fire (launch-error-budget.ts). */
  readonly syncBudgetUs: number;
  /** FIREs this launcher refused (any NAK), in all. */
  refusals = 0;
  /** Refusals since its last launch (sets the backoff). */
  consecutiveRefusals = 0;
  /** Not ready (`fire-refused`) before this host time, after a refusal. */
  refusedUntilUs = 0;

  constructor(
    readonly index: number,
    readonly config: LauncherConfig,
    engagement: EngagementConfig,
  ) {
    this.syncBudgetUs = launchErrorBudgetUs(engagement, config);
  }

  /**
   * A FIRE was refused at `nowUs`: not ready for backoff · 2^(refusals in a row − 1), capped.
   * Bounded: at most one FIRE per backoff interval reaches a refusing launcher.
   */
  refused(nowUs: number, engagement: EngagementConfig): void {
    this.refusals++;
    this.consecutiveRefusals++;
    const doublings = this.consecutiveRefusals - 1 < 30 ? this.consecutiveRefusals - 1 : 30;
    const backoffUs = engagement.fireRefusalBackoffUs * 2 ** doublings;
    this.refusedUntilUs =
      nowUs + (backoffUs < engagement.fireRefusalBackoffMaxUs ? backoffUs : engagement.fireRefusalBackoffMaxUs);
  }

  /** Rounds the core may still fire: the launcher's count, capped by the magazine minus launches seen. */
  get roundsAvailable(): number {
    const left = this.config.rounds - this.launchedCount;
    return this.roundsReported < left ? this.roundsReported : left;
  }

  /** Ready to receive a new FIRE: every interlock holds, ARMED, and nothing pending on it. */
  get canTakeFire(): boolean {
    return this.notReadyMask === 0 && this.state === 'armed' && this.pendingSlot < 0;
  }
}

/** Launchers in config order, their status and readiness (fail closed: not ready until told). */
export class LauncherTable {
  readonly records: readonly LauncherRecord[];
  private readonly byId = new Map<string, LauncherRecord>();

  constructor(private readonly config: ControlConfig) {
    this.records = config.launchers.map((l, i) => new LauncherRecord(i, l, config.engagement));
    for (const r of this.records) this.byId.set(r.config.id, r);
  }

  get(launcherId: string): LauncherRecord | undefined {
    return this.byId.get(launcherId);
  }

  /** Records a status snapshot; returns why it was rejected, or null. */
  applyStatus(s: LauncherStatusInput): 'unknown-launcher' | 'out-of-sequence' | null {
    const r = this.byId.get(s.launcherId);
    if (r === undefined) return 'unknown-launcher';
    // A status older than the one held (reordered by the driver) must not undo a newer one.
    if (r.hasStatus && s.statusTimeUs < r.statusTimeUs) return 'out-of-sequence';
    r.hasStatus = true;
    r.statusTimeUs = s.statusTimeUs;
    r.statusReceivedAtUs = s.receivedAtUs;
    r.lifecycleActive = s.lifecycleActive;
    r.linkFresh = s.linkFresh;
    r.syncUncertaintyUs = s.timeSyncUncertaintyUs === null ? -1 : s.timeSyncUncertaintyUs;
    r.state = s.state;
    r.watchdogTripped = s.watchdog === 'tripped';
    r.azimuthDeg = s.azimuthDeg;
    r.elevationDeg = s.elevationDeg;
    r.roundsReported = s.roundsReady;
    return null;
  }

  /** Recomputes every launcher's readiness bits for `nowUs`. */
  evaluate(nowUs: number): void {
    const e = this.config.engagement;
    for (const r of this.records) {
      let mask = 0;
      if (!r.hasStatus) mask |= NOT_READY_NO_STATUS;
      else {
        if (!r.lifecycleActive) mask |= NOT_READY_INACTIVE;
        if (!r.linkFresh) mask |= NOT_READY_LINK;
        if (nowUs - r.statusReceivedAtUs > e.launcherStatusMaxAgeUs) mask |= NOT_READY_STATUS_STALE;
        if (r.state !== 'armed' && r.state !== 'firing') mask |= NOT_READY_NOT_ARMED;
        if (r.watchdogTripped) mask |= NOT_READY_WATCHDOG;
        if (r.syncUncertaintyUs < 0 || r.syncUncertaintyUs > r.syncBudgetUs) mask |= NOT_READY_SYNC;
      }
      if (r.roundsAvailable <= 0) mask |= NOT_READY_NO_ROUNDS;
      if (nowUs < r.refusedUntilUs) mask |= NOT_READY_FIRE_REFUSED;
      r.notReadyMask = mask;
    }
  }
}

import type { EngagementEndReason } from './control-commands.js';
import type { EngagementState, InterceptResult } from './control-events.js';
import type { NakReason } from './control-inputs.js';

/** One engagement: a launcher assigned to a track, from planning to assessment. */
export class EngagementRecord {
  inUse = false;
  engagementId = 0;
  state: EngagementState = 'planned';
  trackId = 0;
  trackSlot = -1;
  launcherIndex = 0;
  /** FIRE command id once sent, else 0. */
  fireCommandId = 0;
  launchAtHostUs = 0;
  interceptAtHostUs = 0;
  aimEastM = 0;
  aimNorthM = 0;
  aimUpM = 0;
  /** Pointing last commanded by SLEW for this engagement. */
  slewAzimuthDeg = 0;
  slewElevationDeg = 0;
  /** Track version the plan was last checked against. */
  trackVersion = 0;
  actualLaunchHostUs: number | null = null;
  result: InterceptResult | null = null;
  reason: EngagementEndReason | null = null;
  nakReason: NakReason | null = null;
  /**
   * Still holds its track and launcher: every live state, and an aborted engagement whose ABORT
   * or SAFE the launcher has not yet confirmed (its FIRE might still execute).
   */
  blocking = false;
  /** An operator asked to abort this engagement (applied by the supervisor in the same tick). */
  abortRequested = false;
  /** Set by the tracker: the track was destroyed (kill evidence) or went away. */
  trackDestroyed = false;
  trackGone = false;
}

/** Fixed pool of engagement records; a record is reused once it is terminal and no longer blocking. */
export class EngagementTable {
  readonly records: readonly EngagementRecord[];
  private nextEngagementId = 1;
  private limit = 0;

  constructor(capacity: number) {
    const records: EngagementRecord[] = [];
    for (let i = 0; i < capacity; i++) records.push(new EngagementRecord());
    this.records = records;
  }

  /**
   * Every record at or above this slot is free, so loops over in-use records stop here (the
   * table is sized for the worst case; a tick usually holds a handful). Allocation takes the
   * lowest free slot, so in-use records stay packed low.
   */
  get usedLimit(): number {
    return this.limit;
  }

  /** Mark record `slot` free and lower `usedLimit` past any free records at the top. */
  free(slot: number): void {
    const records = this.records;
    records[slot]!.inUse = false;
    while (this.limit > 0 && !records[this.limit - 1]!.inUse) this.limit--;
  }

  /** Whether a record is free (an engagement can be planned). */
  hasFree(): boolean {
    const records = this.records;
    for (let i = 0; i < records.length; i++) if (!records[i]!.inUse) return true;
    return false;
  }

  /** Takes a free record, or returns -1 when all are in use. */
  allocate(): number {
    const records = this.records;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (!r.inUse) {
        r.inUse = true;
        r.engagementId = this.nextEngagementId++;
        r.state = 'planned';
        r.fireCommandId = 0;
        r.actualLaunchHostUs = null;
        r.result = null;
        r.reason = null;
        r.nakReason = null;
        r.blocking = true;
        r.abortRequested = false;
        r.trackDestroyed = false;
        r.trackGone = false;
        if (i >= this.limit) this.limit = i + 1;
        return i;
      }
    }
    return -1;
  }

  /** Slot of the in-use engagement that sent FIRE `fireCommandId` from `launcherIndex`, or -1. */
  findByFire(launcherIndex: number, fireCommandId: number): number {
    const records = this.records;
    for (let i = 0; i < this.limit; i++) {
      const r = records[i]!;
      if (r.inUse && r.fireCommandId === fireCommandId && r.launcherIndex === launcherIndex) return i;
    }
    return -1;
  }

  /** Slot of an in-use engagement by id, or -1. */
  findById(engagementId: number): number {
    const records = this.records;
    for (let i = 0; i < this.limit; i++) {
      const r = records[i]!;
      if (r.inUse && r.engagementId === engagementId) return i;
    }
    return -1;
  }
}

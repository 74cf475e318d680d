import type { ControlConfig } from './control-config.js';
import type { EngagementState, InterceptResult, LauncherNotReadyReason, TargetModel } from './control-events.js';
import type { IffClass, LauncherState } from './control-inputs.js';
import type { EngagementTable } from './engagement-table.js';
import { notReadyReasons, type LauncherTable } from './launcher-table.js';
import { radarIndexOfKey, radarTrackIdOfKey } from './radar-link-index.js';
import { FILTER_EAST, FILTER_NORTH, FILTER_UP_BALLISTIC, FILTER_UP_CV, FILTERS_PER_TRACK } from './filter-layout.js';
import {
  HOLD_CEASE,
  HOLD_FIRE,
  IFF_NAME,
  LIFECYCLE_DESTROYED,
  MODEL_BALLISTIC,
  type TrackTable,
} from './track-table.js';

/** A host track as the bridge publishes it (allocated on request; not for the tick path). */
export interface TrackSnapshot {
  readonly trackId: number;
  /** Position in threat order, 0 = most urgent. */
  readonly threatRank: number;
  readonly iff: IffClass;
  readonly model: TargetModel;
  /** Host time of the estimate (last measurement). */
  readonly estimateTimeUs: number;
  readonly eastM: number;
  readonly northM: number;
  readonly upM: number;
  readonly eastMps: number;
  readonly northMps: number;
  readonly upMps: number;
  readonly quality: number;
  readonly confirmed: boolean;
  readonly coasting: boolean;
  readonly destroyed: boolean;
  /** Predicted impact (ground or defended point), host µs, or null. */
  readonly impactAtHostUs: number | null;
  readonly operatorPriority: boolean;
  readonly hold: 'none' | 'hold-fire' | 'cease-fire';
  readonly radarTracks: readonly { readonly radarId: string; readonly radarTrackId: number }[];
}

/** An engagement still held by the core. */
export interface EngagementSnapshot {
  readonly engagementId: number;
  readonly trackId: number;
  readonly launcherId: string;
  readonly state: EngagementState;
  readonly fireCommandId: number | null;
  readonly launchAtHostUs: number;
  readonly interceptAtHostUs: number;
  readonly result: InterceptResult | null;
  /** Still holds its track and launcher (live, or cancel not yet confirmed). */
  readonly blocking: boolean;
}

/** What the core believes of a launcher. */
export interface LauncherSnapshot {
  readonly launcherId: string;
  readonly ready: boolean;
  readonly notReadyReasons: readonly LauncherNotReadyReason[];
  readonly state: LauncherState | null;
  readonly roundsAvailable: number;
  readonly launchesSeen: number;
  readonly pendingEngagementId: number | null;
  /** Latest time-sync uncertainty, us (null: none), and the launch-time error budget it must be within. */
  readonly syncUncertaintyUs: number | null;
  readonly syncBudgetUs: number;
  /** FIREs this launcher refused so far. */
  readonly fireRefusals: number;
}

export function snapshotTracks(config: ControlConfig, t: TrackTable): TrackSnapshot[] {
  const out: TrackSnapshot[] = [];
  for (let i = 0; i < t.activeCount; i++) {
    const slot = t.active[i]!;
    const o = slot * FILTERS_PER_TRACK;
    const ballistic = t.model[slot] === MODEL_BALLISTIC;
    const up = o + (ballistic ? FILTER_UP_BALLISTIC : FILTER_UP_CV);
    const f = t.filters;
    const links: { radarId: string; radarTrackId: number }[] = [];
    for (let k = 0; k < t.linkCount[slot]!; k++) {
      const key = t.linkKey[slot * t.maxLinks + k]!;
      links.push({ radarId: config.radars[radarIndexOfKey(key)]!.id, radarTrackId: radarTrackIdOfKey(key) });
    }
    const impact = t.impactAtUs[slot]!;
    out.push({
      trackId: t.trackId[slot]!,
      threatRank: i,
      iff: IFF_NAME[t.iff[slot]!]!,
      model: ballistic ? 'ballistic' : 'constant-velocity',
      estimateTimeUs: t.refTimeUs[slot]!,
      eastM: f[o + FILTER_EAST]!,
      northM: f[o + FILTER_NORTH]!,
      upM: f[up]!,
      eastMps: f[o + FILTER_EAST + 1]!,
      northMps: f[o + FILTER_NORTH + 1]!,
      upMps: f[up + 1]!,
      quality: t.quality[slot]!,
      confirmed: t.hits[slot]! >= config.tracking.confirmHits,
      coasting: t.coasting[slot] !== 0,
      destroyed: t.lifecycle[slot] === LIFECYCLE_DESTROYED,
      impactAtHostUs: Number.isFinite(impact) ? impact : null,
      operatorPriority: t.priority[slot] !== 0,
      hold: t.hold[slot] === HOLD_FIRE ? 'hold-fire' : t.hold[slot] === HOLD_CEASE ? 'cease-fire' : 'none',
      radarTracks: links,
    });
  }
  return out;
}

export function snapshotEngagements(config: ControlConfig, e: EngagementTable): EngagementSnapshot[] {
  const out: EngagementSnapshot[] = [];
  for (const r of e.records) {
    if (!r.inUse) continue;
    out.push({
      engagementId: r.engagementId,
      trackId: r.trackId,
      launcherId: config.launchers[r.launcherIndex]!.id,
      state: r.state,
      fireCommandId: r.fireCommandId === 0 ? null : r.fireCommandId,
      launchAtHostUs: r.launchAtHostUs,
      interceptAtHostUs: r.interceptAtHostUs,
      result: r.result,
      blocking: r.blocking,
    });
  }
  return out.sort((a, b) => a.engagementId - b.engagementId);
}

export function snapshotLaunchers(launchers: LauncherTable, e: EngagementTable): LauncherSnapshot[] {
  return launchers.records.map((r) => ({
    launcherId: r.config.id,
    ready: r.notReadyMask === 0,
    notReadyReasons: notReadyReasons(r.notReadyMask),
    state: r.hasStatus ? r.state : null,
    roundsAvailable: Math.max(0, r.roundsAvailable),
    launchesSeen: r.launchedCount,
    pendingEngagementId: r.pendingSlot >= 0 ? e.records[r.pendingSlot]!.engagementId : null,
    syncUncertaintyUs: r.syncUncertaintyUs < 0 ? null : r.syncUncertaintyUs,
    syncBudgetUs: r.syncBudgetUs,
    fireRefusals: r.refusals,
  }));
}

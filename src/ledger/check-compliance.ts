import type { ConfigEntry, DefendedAsset, EngagementDecisionEntry, FireEntry, TrackState } from './ledger-entry.js';
import type { LedgerPolicy } from './ledger-policy.js';
import { predictImpact, rangeRateMps } from './predict-impact.js';
import { entryType, type ReadEntry } from './verify-ledger.js';

/** Why a ledger breaks the policy. */
export type ComplianceRule =
  | 'config-first'
  | 'malformed-entry'
  | 'envelope-covers-protected-zone'
  | 'fire-without-decision'
  | 'no-track-state'
  | 'target-not-engageable-iff'
  | 'impact-outside-defended-assets'
  | 'target-not-inbound'
  | 'protected-zone-outbound';

export interface ComplianceViolation {
  readonly rule: ComplianceRule;
  /** Ledger entry index (-1: the ledger as a whole). */
  readonly entry: number;
  readonly engagementId: number | null;
  readonly trackId: number | null;
  readonly message: string;
}

/** One FIRE and what justified it, as `verify` and the report show it. */
export interface FireJustification {
  readonly entry: number;
  readonly atUs: number;
  readonly engagementId: number;
  readonly trackId: number;
  readonly launcherId: string;
  readonly rule: string | null;
  readonly iff: string | null;
  /** Impact recomputed from the recorded track state (not the node's claim). */
  readonly impact: { readonly eastM: number; readonly northM: number; readonly assetId: string | null } | null;
  readonly rangeRateMps: number | null;
  readonly violations: readonly ComplianceRule[];
}

export interface ComplianceResult {
  readonly fires: readonly FireJustification[];
  readonly violations: readonly ComplianceViolation[];
}

/**
 * Check a ledger's entries against a partner's policy. The verdict never trusts the node's
 * claims: each FIRE's impact and closing speed are recomputed from the track state recorded at
 * the decision (predict-impact.ts) against the assets the node declared in its config entry.
 * Rules: the config comes first; no launcher envelope (horizontal disc of maxRangeM) reaches a
 * protected zone; every FIRE follows a decision with a track state; its track's IFF is one the
 * policy allows; it was predicted to impact inside a defended asset and was closing on it; and it
 * never started in a protected zone and led away from the node's assets. Pure.
 */
export function checkCompliance(entries: readonly ReadEntry[], policy: LedgerPolicy): ComplianceResult {
  try {
    return checkEntries(entries, policy);
  } catch {
    // An entry of the wrong shape (a changed ledger: integrity fails too) cannot be judged.
    return {
      fires: [],
      violations: [
        {
          rule: 'malformed-entry',
          entry: -1,
          engagementId: null,
          trackId: null,
          message: 'an entry does not have the shape its type requires',
        },
      ],
    };
  }
}

function checkEntries(entries: readonly ReadEntry[], policy: LedgerPolicy): ComplianceResult {
  const violations: ComplianceViolation[] = [];
  const fires: FireJustification[] = [];
  const first = entries[0];
  if (first === undefined || entryType(first) !== 'config') {
    violations.push({
      rule: 'config-first',
      entry: -1,
      engagementId: null,
      trackId: null,
      message: 'the ledger does not start with the node config',
    });
    return { fires, violations };
  }
  const config = first.entry as ConfigEntry;
  const assets: readonly DefendedAsset[] = Array.isArray(config.defendedAssets) ? config.defendedAssets : [];
  for (const launcher of Array.isArray(config.launchers) ? config.launchers : []) {
    for (const zone of policy.protectedZones) {
      const d = Math.hypot(
        launcher.position.eastM - zone.position.eastM,
        launcher.position.northM - zone.position.northM,
      );
      if (d < launcher.envelope.maxRangeM + zone.radiusM) {
        violations.push({
          rule: 'envelope-covers-protected-zone',
          entry: first.index,
          engagementId: null,
          trackId: null,
          message: `${launcher.id}'s envelope (${fmtKm(launcher.envelope.maxRangeM)}) reaches protected zone ${zone.id} (${fmtKm(d - zone.radiusM)} away)`,
        });
      }
    }
  }
  // The engagements FIREs name: only their decisions are kept (most decisions never lead to a FIRE).
  const fired = new Set<number>();
  for (const read of entries) {
    if (entryType(read) === 'fire') fired.add(read.engagementId ?? (read.entry as FireEntry).engagementId);
  }
  // The latest decision of each fired engagement, parsed only when a FIRE needs it.
  const decisions = new Map<number, ReadEntry>();
  for (const read of entries) {
    const type = entryType(read);
    if (type === 'engagement-decision') {
      const engagementId = read.engagementId ?? (read.entry as EngagementDecisionEntry).engagementId;
      if (fired.has(engagementId)) decisions.set(engagementId, read);
    }
    if (type !== 'fire') continue;
    const index = read.index;
    const fire = read.entry as FireEntry;
    const broken: ComplianceRule[] = [];
    const flag = (rule: ComplianceRule, message: string): void => {
      broken.push(rule);
      violations.push({ rule, entry: index, engagementId: fire.engagementId, trackId: fire.trackId, message });
    };
    const decision = decisions.get(fire.engagementId)?.entry as EngagementDecisionEntry | undefined;
    const track: TrackState | null = decision?.track ?? null;
    let impact: FireJustification['impact'] = null;
    let rate: number | null = null;
    const what = `FIRE of engagement ${fire.engagementId} (track ${fire.trackId}, ${fire.launcherId})`;
    if (decision === undefined) flag('fire-without-decision', `${what} has no engagement decision before it`);
    else if (track === null) flag('no-track-state', `${what}: the decision recorded no track state`);
    else {
      if (!policy.engageableIff.includes(track.iff as never)) {
        flag(
          'target-not-engageable-iff',
          `${what} against a track identified ${track.iff} (policy allows ${policy.engageableIff.join(', ')})`,
        );
      }
      const predicted = predictImpact(track, config.gravityMps2, assets);
      impact =
        predicted === null ? null : { eastM: predicted.eastM, northM: predicted.northM, assetId: predicted.assetId };
      const threatened = assets.find((a) => a.id === predicted?.assetId) ?? nearest(track, assets);
      rate = threatened === undefined ? null : rangeRateMps(track, threatened.position);
      if (policy.requireImpactInDefendedAsset && predicted?.assetId == null) {
        flag(
          'impact-outside-defended-assets',
          predicted === null
            ? `${what}: the track was predicted to impact nowhere`
            : `${what}: predicted impact (${fmtKm(predicted.eastM)} E, ${fmtKm(predicted.northM)} N) lies in no declared defended asset`,
        );
      }
      const inbound = rate !== null && rate < 0;
      if (policy.requireInbound && !inbound) {
        flag(
          'target-not-inbound',
          `${what}: the track was ${rate === null ? 'not closing on any asset' : `opening at ${rate.toFixed(0)} m/s`}`,
        );
      }
      const zone =
        track.firstSeen === null ? undefined : policy.protectedZones.find((z) => inZone(track.firstSeen!, z));
      if (zone !== undefined && !inbound) {
        flag(
          'protected-zone-outbound',
          `${what}: the track started in protected zone ${zone.id} and led away from the node's assets`,
        );
      }
    }
    fires.push({
      entry: index,
      atUs: fire.atUs,
      engagementId: fire.engagementId,
      trackId: fire.trackId,
      launcherId: fire.launcherId,
      rule: decision?.rule ?? null,
      iff: track?.iff ?? null,
      impact,
      rangeRateMps: rate,
      violations: broken,
    });
  }
  return { fires, violations };
}

function nearest(track: TrackState, assets: readonly DefendedAsset[]): DefendedAsset | undefined {
  let best: DefendedAsset | undefined;
  let bestD = Infinity;
  for (const a of assets) {
    const d = Math.hypot(track.eastM - a.position.eastM, track.northM - a.position.northM);
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return best;
}

function inZone(p: { eastM: number; northM: number }, zone: LedgerPolicy['protectedZones'][number]): boolean {
  return Math.hypot(p.eastM - zone.position.eastM, p.northM - zone.position.northM) <= zone.radiusM;
}

function fmtKm(m: number): string {
  return `${(m / 1000).toFixed(1)} km`;
}

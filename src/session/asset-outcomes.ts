import { type DefendedAssetConfig, insideArea } from '../control/index.js';

/** What the defended assets suffered, counted from the simulator's truth. */
export interface AssetOutcomes {
  /** Hostiles whose truth impact point lies inside an asset (threats to an asset). */
  readonly assetThreats: number;
  /** Hostile impacts inside an asset. */
  readonly leakers: number;
  /** Hostile impacts outside every asset (harmless to the defended assets). */
  readonly groundImpacts: number;
  /** Sum of the values of the assets threatened (one per threat). */
  readonly valueAtRisk: number;
  /** valueAtRisk minus the values hit by leakers. */
  readonly valueSaved: number;
  /** valueSaved / valueAtRisk; null when nothing was at risk. */
  readonly valueSavedRatio: number | null;
  /** Launches / hostiles killed; null when none was killed. */
  readonly roundsPerKill: number | null;
  /** Launches at hostiles that threatened no asset. */
  readonly roundsOnNoAssetThreats: number;
  /** Of those, launched while an asset threat flew that was never engaged and then hit its asset. */
  readonly roundsOnNoAssetWhileAssetThreatUnengaged: number;
}

type Rec = { kind: string; tUs: number } & Record<string, unknown>;

/**
 * Joins truth with the defended assets. A hostile's truth impact point is its impact record's
 * position, or — when it was destroyed or still flying — its last truth sample carried to the
 * ground (under gravity for ballistic targets, straight on for descending others; a level or
 * climbing non-ballistic target reaches no ground point). A launch belongs to the target its
 * interceptor came closest to (the closest-approach record of its command id). Pure.
 */
export function assetOutcomes(truth: readonly Rec[], assets: readonly DefendedAssetConfig[]): AssetOutcomes {
  const kinds = new Map<string, string>();
  const last = new Map<string, Rec>();
  const hostile = new Set<string>();
  const impactAt = new Map<string, { eastM: number; northM: number }>();
  const killed = new Set<string>();
  const launchAtUs = new Map<number, number>();
  const targetOfCommand = new Map<number, string>();
  for (const r of truth) {
    if (r.kind === 'run-start' && Array.isArray(r['targets']))
      for (const t of r['targets'] as { targetId: string; targetKind: string }[]) kinds.set(t.targetId, t.targetKind);
    else if (r.kind === 'target') {
      last.set(r['targetId'] as string, r);
      if (r['iff'] === 'hostile') hostile.add(r['targetId'] as string);
    } else if (r.kind === 'impact' && r['iff'] === 'hostile') {
      const p = r['position'] as { eastM: number; northM: number };
      impactAt.set(r['targetId'] as string, { eastM: p.eastM, northM: p.northM });
    } else if (r.kind === 'kill' && r['iff'] === 'hostile') killed.add(r['targetId'] as string);
    else if (r.kind === 'launch') launchAtUs.set(r['commandId'] as number, r['executedUs'] as number);
    else if (r.kind === 'closest-approach' && typeof r['targetId'] === 'string')
      targetOfCommand.set(r['commandId'] as number, r['targetId']);
  }
  const assetOf = new Map<string, number>();
  for (const id of hostile) {
    const point = impactAt.get(id) ?? groundPoint(last.get(id), kinds.get(id));
    if (point === null) continue;
    const a = assets.findIndex((asset) => insideArea(asset.area, point.eastM, point.northM));
    if (a >= 0) assetOf.set(id, a);
  }
  let leakers = 0;
  let groundImpacts = 0;
  let valueAtRisk = 0;
  let valueLost = 0;
  for (const a of assetOf.values()) valueAtRisk += assets[a]!.value;
  for (const id of impactAt.keys()) {
    const a = assetOf.get(id);
    if (a !== undefined && !killed.has(id)) {
      leakers++;
      valueLost += assets[a]!.value;
    } else groundImpacts++;
  }
  const engaged = new Set<string>();
  for (const c of launchAtUs.keys()) {
    const target = targetOfCommand.get(c);
    if (target !== undefined) engaged.add(target);
  }
  const firstSeen = new Map<string, number>();
  for (const r of truth)
    if (r.kind === 'target' && !firstSeen.has(r['targetId'] as string)) firstSeen.set(r['targetId'] as string, r.tUs);
  const neglected = [...assetOf.keys()].filter((id) => !engaged.has(id) && impactAt.has(id) && !killed.has(id));
  let roundsOnNoAsset = 0;
  let roundsWhileNeglected = 0;
  for (const [c, atUs] of launchAtUs) {
    const target = targetOfCommand.get(c);
    if (target === undefined || !hostile.has(target) || assetOf.has(target)) continue;
    roundsOnNoAsset++;
    if (neglected.some((id) => (firstSeen.get(id) ?? Infinity) <= atUs)) roundsWhileNeglected++;
  }
  return {
    assetThreats: assetOf.size,
    leakers,
    groundImpacts,
    valueAtRisk,
    valueSaved: valueAtRisk - valueLost,
    valueSavedRatio: valueAtRisk > 0 ? (valueAtRisk - valueLost) / valueAtRisk : null,
    roundsPerKill: killed.size > 0 ? launchAtUs.size / killed.size : null,
    roundsOnNoAssetThreats: roundsOnNoAsset,
    roundsOnNoAssetWhileAssetThreatUnengaged: roundsWhileNeglected,
  };
}

const G = 9.80665;

function groundPoint(sample: Rec | undefined, kind: string | undefined): { eastM: number; northM: number } | null {
  if (sample === undefined) return null;
  const z = sample['upM'] as number;
  const vz = sample['upMps'] as number;
  let tau: number;
  if (kind === 'ballistic') tau = (vz + Math.sqrt(vz * vz + 2 * G * Math.max(0, z))) / G;
  else if (vz < 0) tau = -z / vz;
  else return null;
  return {
    eastM: (sample['eastM'] as number) + (sample['eastMps'] as number) * tau,
    northM: (sample['northM'] as number) + (sample['northMps'] as number) * tau,
  };
}

import type { ResolvedFusionOptions } from './fusion-options.js';
import { partnerKey } from './joint-ids.js';
import { type LocalTrack, type PartnerTrack, type RejectReason, isWellFormed } from './tracks.js';

/** Records one input left out of an update, and why. */
export type RejectInput = (
  kind: 'local' | 'partner',
  track: { pedigree?: { nodeId?: unknown }; trackId?: unknown },
  reason: RejectReason,
) => void;

type TimeLimits = Pick<ResolvedFusionOptions, 'maxAgeUs' | 'maxFutureUs' | 'maxTracks'>;

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `future-dated` or `stale` for a track stamped `tovUs` fused at `atUs`, else undefined. */
export function timeReason(tovUs: number, atUs: number, limits: TimeLimits): RejectReason | undefined {
  if (tovUs - atUs > limits.maxFutureUs) return 'future-dated';
  if (atUs - tovUs > limits.maxAgeUs) return 'stale';
  return undefined;
}

/**
 * Intake of the local tracks: malformed, future-dated and stale ones are rejected, of two with
 * one id the newer is kept (the other `duplicate`), the rest ordered by id and cut to
 * `maxTracks` (`over-capacity`). Covariances are checked later, in the fusion frame.
 */
export function admitLocals(
  locals: readonly LocalTrack[],
  fusionTimeUs: number,
  limits: TimeLimits,
  reject: RejectInput,
): LocalTrack[] {
  const localByid = new Map<string, LocalTrack>();
  for (const t of locals) {
    if (!isWellFormed(t) || t.kind !== 'local') {
      reject('local', t, 'malformed');
      continue;
    }
    const why = timeReason(t.tovUs, fusionTimeUs, limits);
    if (why !== undefined) {
      reject('local', t, why);
      continue;
    }
    const held = localByid.get(t.trackId);
    if (held === undefined) localByid.set(t.trackId, t);
    else if (t.tovUs > held.tovUs) {
      reject('local', held, 'duplicate');
      localByid.set(t.trackId, t);
    } else reject('local', t, 'duplicate');
  }
  // collected with forEach (insertion order, as the spread of values()): no iterator result per entry
  let localList: LocalTrack[] = [];
  localByid.forEach((t) => localList.push(t));
  localList.sort((a, b) => byString(a.trackId, b.trackId));
  if (localList.length > limits.maxTracks) {
    for (const t of localList.slice(limits.maxTracks)) reject('local', t, 'over-capacity');
    localList = localList.slice(0, limits.maxTracks);
  }
  return localList;
}

/**
 * Intake of the partner tracks: malformed ones (and echoes claiming `ownNodeId`), future-dated
 * and stale ones are rejected, of two reports of one partner track the newer is kept (the
 * other `superseded`), the rest ordered by node then id, keyed, and cut to `maxTracks`.
 */
export function admitPartners(
  partners: readonly PartnerTrack[],
  fusionTimeUs: number,
  ownNodeId: string,
  limits: TimeLimits,
  reject: RejectInput,
): [string, PartnerTrack][] {
  const partnerByKey = new Map<string, PartnerTrack>();
  for (const t of partners) {
    if (!isWellFormed(t) || t.kind !== 'partner' || t.pedigree.nodeId === ownNodeId) {
      reject('partner', t, 'malformed');
      continue;
    }
    const why = timeReason(t.tovUs, fusionTimeUs, limits);
    if (why !== undefined) {
      reject('partner', t, why);
      continue;
    }
    const key = partnerKey(t.pedigree.nodeId, t.trackId);
    const held = partnerByKey.get(key);
    if (held === undefined) partnerByKey.set(key, t);
    else if (t.tovUs > held.tovUs) {
      reject('partner', held, 'superseded');
      partnerByKey.set(key, t);
    } else reject('partner', t, 'superseded');
  }
  let partnerEntries: [string, PartnerTrack][] = [];
  partnerByKey.forEach((t, key) => partnerEntries.push([key, t]));
  partnerEntries.sort(
    ([, a], [, b]) => byString(a.pedigree.nodeId, b.pedigree.nodeId) || byString(a.trackId, b.trackId),
  );
  if (partnerEntries.length > limits.maxTracks) {
    for (const [, t] of partnerEntries.slice(limits.maxTracks)) reject('partner', t, 'over-capacity');
    partnerEntries = partnerEntries.slice(0, limits.maxTracks);
  }
  return partnerEntries;
}

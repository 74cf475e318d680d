import type { ResolvedFusionOptions } from './fusion-options.js';
import { type LocalTrack, type PartnerTrack, type RejectReason, isWellFormed } from './tracks.js';

/** Records one input left out of an update, and why. */
export type RejectInput = (
  kind: 'local' | 'partner',
  track: { pedigree?: { nodeId?: unknown }; trackId?: unknown },
  reason: RejectReason,
) => void;

type TimeLimits = Pick<ResolvedFusionOptions, 'maxAgeUs' | 'maxFutureUs' | 'maxTracks'>;

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byTrackId = (a: { trackId: string }, b: { trackId: string }): number => byString(a.trackId, b.trackId);

/** `future-dated` or `stale` for a track stamped `tovUs` fused at `atUs`, else undefined. */
export function timeReason(tovUs: number, atUs: number, limits: TimeLimits): RejectReason | undefined {
  if (tovUs - atUs > limits.maxFutureUs) return 'future-dated';
  if (atUs - tovUs > limits.maxAgeUs) return 'stale';
  return undefined;
}

/**
 * The intake of one fuser: its maps and lists are kept and reused from update to update (a
 * returned list is valid until the next call of the same method).
 */
export class FusionIntake {
  private readonly localById = new Map<string, LocalTrack>();
  private readonly localList: LocalTrack[] = [];
  /** Partner tracks by node, then by track id (no key string per track). */
  private readonly partnerByNode = new Map<string, Map<string, PartnerTrack>>();
  private readonly nodeIds: string[] = [];
  private readonly partnerList: PartnerTrack[] = [];
  private readonly scratch: PartnerTrack[] = [];

  /**
   * Intake of the local tracks: malformed, future-dated and stale ones are rejected, of two with
   * one id the newer is kept (the other `duplicate`), the rest ordered by id and cut to
   * `maxTracks` (`over-capacity`). Covariances are checked later, in the fusion frame.
   */
  admitLocals(
    locals: readonly LocalTrack[],
    fusionTimeUs: number,
    limits: TimeLimits,
    reject: RejectInput,
  ): readonly LocalTrack[] {
    const byId = this.localById;
    byId.clear();
    for (let k = 0; k < locals.length; k++) {
      const t = locals[k]!;
      if (!isWellFormed(t) || t.kind !== 'local') {
        reject('local', t, 'malformed');
        continue;
      }
      const why = timeReason(t.tovUs, fusionTimeUs, limits);
      if (why !== undefined) {
        reject('local', t, why);
        continue;
      }
      const held = byId.get(t.trackId);
      if (held === undefined) byId.set(t.trackId, t);
      else if (t.tovUs > held.tovUs) {
        reject('local', held, 'duplicate');
        byId.set(t.trackId, t);
      } else reject('local', t, 'duplicate');
    }
    const list = this.localList;
    // collected with forEach (insertion order): no iterator result per entry; the list is
    // overwritten, then cut (emptying it first would drop its storage)
    let n = 0;
    byId.forEach((t) => {
      list[n++] = t;
    });
    list.length = n;
    byId.clear();
    list.sort(byTrackId);
    if (list.length > limits.maxTracks) {
      for (let k = limits.maxTracks; k < list.length; k++) reject('local', list[k]!, 'over-capacity');
      list.length = limits.maxTracks;
    }
    return list;
  }

  /**
   * Intake of the partner tracks: malformed ones (and echoes claiming `ownNodeId`), future-dated
   * and stale ones are rejected, of two reports of one partner track the newer is kept (the
   * other `superseded`), the rest ordered by node then id and cut to `maxTracks`.
   */
  admitPartners(
    partners: readonly PartnerTrack[],
    fusionTimeUs: number,
    ownNodeId: string,
    limits: TimeLimits,
    reject: RejectInput,
  ): readonly PartnerTrack[] {
    const byNode = this.partnerByNode;
    let nodeMap: Map<string, PartnerTrack> | undefined;
    let nodeOfMap = '';
    for (let k = 0; k < partners.length; k++) {
      const t = partners[k]!;
      if (!isWellFormed(t) || t.kind !== 'partner' || t.pedigree.nodeId === ownNodeId) {
        reject('partner', t, 'malformed');
        continue;
      }
      const why = timeReason(t.tovUs, fusionTimeUs, limits);
      if (why !== undefined) {
        reject('partner', t, why);
        continue;
      }
      const node = t.pedigree.nodeId;
      if (nodeMap === undefined || node !== nodeOfMap) {
        nodeOfMap = node;
        nodeMap = byNode.get(node);
        if (nodeMap === undefined) {
          nodeMap = new Map<string, PartnerTrack>();
          byNode.set(node, nodeMap);
        }
      }
      const held = nodeMap.get(t.trackId);
      if (held === undefined) nodeMap.set(t.trackId, t);
      else if (t.tovUs > held.tovUs) {
        reject('partner', held, 'superseded');
        nodeMap.set(t.trackId, t);
      } else reject('partner', t, 'superseded');
    }
    const nodes = this.nodeIds;
    let n = 0;
    byNode.forEach((_, node) => {
      nodes[n++] = node;
    });
    nodes.length = n;
    nodes.sort(byString);
    const list = this.partnerList;
    n = 0;
    for (const node of nodes) {
      const from = n;
      byNode.get(node)!.forEach((t) => {
        list[n++] = t;
      });
      this.sortRange(list, from, n);
    }
    list.length = n;
    byNode.clear();
    if (list.length > limits.maxTracks) {
      for (let k = limits.maxTracks; k < list.length; k++) reject('partner', list[k]!, 'over-capacity');
      list.length = limits.maxTracks;
    }
    return list;
  }

  /** Sorts `list[from … to)` by track id (through a scratch list when it is not the whole list). */
  private sortRange(list: PartnerTrack[], from: number, to: number): void {
    if (from === 0 && to >= list.length) {
      list.sort(byTrackId);
      return;
    }
    const scratch = this.scratch;
    for (let k = from; k < to; k++) scratch[k - from] = list[k]!;
    scratch.length = to - from;
    scratch.sort(byTrackId);
    for (let k = from; k < to; k++) list[k] = scratch[k - from]!;
  }
}

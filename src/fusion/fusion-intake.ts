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

/** A track id's report in the current update, and where it stands in the update's list. */
interface Seen<T> {
  track: T;
  seenIn: number;
  pos: number;
}

/** One partner node's reports: its persistent id map and this update's list. */
interface NodeIntake {
  readonly byId: Map<string, Seen<PartnerTrack>>;
  readonly list: PartnerTrack[];
  count: number;
  seenIn: number;
}

/**
 * Admits `t` into `byId`/`list` (first report of its id in update `update` at the end of the
 * list, a newer report of the same id in its place); returns the report left out, if any.
 */
function admitOne<T extends { trackId: string; tovUs: number }>(
  byId: Map<string, Seen<T>>,
  list: T[],
  count: number,
  t: T,
  update: number,
): { count: number; dropped: T | undefined } | number {
  const s = byId.get(t.trackId);
  if (s === undefined) {
    byId.set(t.trackId, { track: t, seenIn: update, pos: count });
    list[count] = t;
    return count + 1;
  }
  if (s.seenIn !== update) {
    s.track = t;
    s.seenIn = update;
    s.pos = count;
    list[count] = t;
    return count + 1;
  }
  if (t.tovUs > s.track.tovUs) {
    const held = s.track;
    s.track = t;
    list[s.pos] = t;
    return { count, dropped: held };
  }
  return { count, dropped: t };
}

/** Forgets the ids of `byId` not reported in `update` once they outnumber the reported ones. */
function forgetUnseen<T>(byId: Map<string, Seen<T>>, seen: number, update: number): void {
  if (byId.size <= 2 * seen + 64) return;
  byId.forEach((s, key, map) => {
    if (s.seenIn !== update) map.delete(key);
  });
}

/**
 * The intake of one fuser. Its id maps persist from update to update (an entry per track id,
 * rewritten in place; ids not reported are forgotten once they outnumber the reported ones), so
 * an update of the same tracks allocates no map storage; its lists are overwritten (a returned
 * list is valid until the next call of the same method).
 */
export class FusionIntake {
  private readonly localById = new Map<string, Seen<LocalTrack>>();
  private readonly localList: LocalTrack[] = [];
  private readonly partnerNodes = new Map<string, NodeIntake>();
  private readonly nodeIds: string[] = [];
  private readonly partnerList: PartnerTrack[] = [];
  private readonly scratch: PartnerTrack[] = [];
  private localUpdates = 0;
  private partnerUpdates = 0;

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
    const update = ++this.localUpdates;
    const list = this.localList;
    let n = 0;
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
      const r = admitOne(this.localById, list, n, t, update);
      if (typeof r === 'number') n = r;
      else reject('local', r.dropped!, 'duplicate');
    }
    // the list is overwritten, then cut (emptying it first would drop its storage)
    list.length = n;
    forgetUnseen(this.localById, n, update);
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
    const update = ++this.partnerUpdates;
    const nodes = this.nodeIds;
    let nodeCount = 0;
    let node: NodeIntake | undefined;
    let nodeId = '';
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
      if (node === undefined || t.pedigree.nodeId !== nodeId) {
        nodeId = t.pedigree.nodeId;
        node = this.partnerNodes.get(nodeId);
        if (node === undefined) {
          node = { byId: new Map(), list: [], count: 0, seenIn: 0 };
          this.partnerNodes.set(nodeId, node);
        }
        if (node.seenIn !== update) {
          node.seenIn = update;
          node.count = 0;
          nodes[nodeCount++] = nodeId;
        }
      }
      const r = admitOne(node.byId, node.list, node.count, t, update);
      if (typeof r === 'number') node.count = r;
      else reject('partner', r.dropped!, 'superseded');
    }
    nodes.length = nodeCount;
    nodes.sort(byString);
    const list = this.partnerList;
    let n = 0;
    for (const id of nodes) {
      const from = n;
      const { list: nodeList, count, byId } = this.partnerNodes.get(id)!;
      for (let k = 0; k < count; k++) list[n++] = nodeList[k]!;
      nodeList.length = count;
      forgetUnseen(byId, count, update);
      this.sortRange(list, from, n);
    }
    list.length = n;
    // nodes that sent nothing this update are forgotten
    if (this.partnerNodes.size > nodeCount)
      this.partnerNodes.forEach((x, id, map) => {
        if (x.seenIn !== update) map.delete(id);
      });
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

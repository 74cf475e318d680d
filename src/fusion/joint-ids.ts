/**
 * Stable joint track ids. Each update hands the table the joint tracks' members (in the
 * fusion's canonical order); a joint track keeps the id one of its members had last update:
 *
 * 1. a group whose local member had an id keeps it (the local track is the anchor);
 * 2. otherwise the group takes the first id, in member order, that a partner member had and
 *    that no group has taken this update;
 * 3. otherwise it gets a new id from a counter (1, 2, 3 …, never reused).
 *
 * So a joint track keeps its id while any of its members persists, two tracks that merge keep
 * the local one's id, and the result depends only on the groups and their order — deterministic.
 * Members that are gone are forgotten at once: the table holds only the current members.
 *
 * Members are looked up by their ids as given (a local track by its track id, a partner track
 * by its node id, then its track id, in nested maps): no key string is built per member, and
 * each member's entry is kept and rewritten in place from update to update.
 */

/**
 * One update's joint tracks as member groups: group g has the local member `locals[localOf[g]]`
 * (none when `localOf[g]` is -1) and the partner members `partners[partnerIdx[q]]` for q in
 * `[partnerStart[g], partnerStart[g+1])`, in member order.
 */
export interface JointGroups {
  readonly count: number;
  readonly localOf: Int32Array;
  readonly partnerStart: Int32Array;
  readonly partnerIdx: Int32Array;
  readonly locals: readonly { readonly trackId: string }[];
  readonly partners: readonly { readonly trackId: string; readonly pedigree: { readonly nodeId: string } }[];
}

/** One joint id: which update took it last (taken once per update; no set of ids to clear). */
interface IdCell {
  readonly id: number;
  takenIn: number;
}

/** A member's joint id (its cell), and the update that last wrote it. */
interface IdEntry {
  cell: IdCell;
  update: number;
}

/** The table of member → joint id, carried from update to update. */
export class JointIdTable {
  private readonly localIds = new Map<string, IdEntry>();
  private readonly partnerIds = new Map<string, Map<string, IdEntry>>();
  /** Per group: its local member's entry; per partner member slot: its entry (this update's lookups). */
  private readonly localEntry: (IdEntry | undefined)[] = [];
  private readonly partnerEntry: (IdEntry | undefined)[] = [];
  /** This update's id of each group. */
  private readonly cells: (IdCell | undefined)[] = [];
  private held = 0;
  private counter = 0;
  private updates = 0;

  /**
   * Writes one id per group of `groups` into `out[0 … count)` and makes these members the
   * current ones (members of the previous update that are not in `groups` are forgotten).
   */
  assign(groups: JointGroups, out: Float64Array): void {
    const update = ++this.updates;
    const n = groups.count;
    const { localOf, partnerStart, partnerIdx, locals, partners } = groups;
    const { localEntry, partnerEntry, cells } = this;
    // the scratch lists are overwritten, never emptied (emptying would drop their storage)
    // look every member up once (the entries still hold the previous update's ids)
    let nodeMap: Map<string, IdEntry> | undefined;
    let nodeOfMap = '';
    for (let g = 0; g < n; g++) {
      const i = localOf[g]!;
      localEntry[g] = i === -1 ? undefined : this.localIds.get(locals[i]!.trackId);
      for (let q = partnerStart[g]!; q < partnerStart[g + 1]!; q++) {
        const p = partners[partnerIdx[q]!]!;
        if (nodeMap === undefined || p.pedigree.nodeId !== nodeOfMap) {
          nodeOfMap = p.pedigree.nodeId;
          nodeMap = this.partnerIds.get(nodeOfMap) ?? new Map<string, IdEntry>();
          if (nodeMap.size === 0) this.partnerIds.set(nodeOfMap, nodeMap);
        }
        partnerEntry[q] = nodeMap.get(p.trackId);
      }
    }
    // 1. local anchors
    for (let g = 0; g < n; g++) {
      cells[g] = undefined;
      const e = localEntry[g];
      if (e !== undefined && e.cell.takenIn !== update) {
        cells[g] = e.cell;
        e.cell.takenIn = update;
      }
    }
    // 2. partner members' ids
    for (let g = 0; g < n; g++) {
      if (cells[g] !== undefined) continue;
      for (let q = partnerStart[g]!; q < partnerStart[g + 1]!; q++) {
        const e = partnerEntry[q];
        if (e !== undefined && e.cell.takenIn !== update) {
          cells[g] = e.cell;
          e.cell.takenIn = update;
          break;
        }
      }
    }
    // 3. new ids
    for (let g = 0; g < n; g++) if (cells[g] === undefined) cells[g] = { id: ++this.counter, takenIn: update };
    // the members of this update become the current ones
    let stamped = 0;
    nodeMap = undefined;
    for (let g = 0; g < n; g++) {
      const cell = cells[g]!;
      out[g] = cell.id;
      const i = localOf[g]!;
      if (i !== -1) {
        let e = localEntry[g];
        if (e === undefined) {
          // a member repeated in one update is one entry (the later group's id wins)
          const key = locals[i]!.trackId;
          e = this.localIds.get(key);
          if (e === undefined) {
            e = { cell, update: 0 };
            this.localIds.set(key, e);
            this.held++;
          }
        }
        if (e.update !== update) stamped++;
        e.cell = cell;
        e.update = update;
      }
      for (let q = partnerStart[g]!; q < partnerStart[g + 1]!; q++) {
        let e = partnerEntry[q];
        if (e === undefined) {
          const p = partners[partnerIdx[q]!]!;
          if (nodeMap === undefined || p.pedigree.nodeId !== nodeOfMap) {
            nodeOfMap = p.pedigree.nodeId;
            nodeMap = this.partnerIds.get(nodeOfMap)!;
          }
          e = nodeMap.get(p.trackId);
          if (e === undefined) {
            e = { cell, update: 0 };
            nodeMap.set(p.trackId, e);
            this.held++;
          }
        }
        if (e.update !== update) stamped++;
        e.cell = cell;
        e.update = update;
      }
    }
    if (this.held > stamped) this.forgetAllBut(update);
  }

  /** Drops every entry not written by `update` (and node maps left empty). */
  private forgetAllBut(update: number): void {
    this.localIds.forEach((e, key, map) => {
      if (e.update !== update) map.delete(key);
    });
    this.partnerIds.forEach((nodeMap, node, map) => {
      nodeMap.forEach((e, key) => {
        if (e.update !== update) nodeMap.delete(key);
      });
      if (nodeMap.size === 0) map.delete(node);
    });
    let held = this.localIds.size;
    this.partnerIds.forEach((nodeMap) => (held += nodeMap.size));
    this.held = held;
  }

  /** The joint id local track `trackId` has now, if any. */
  localIdOf(trackId: string): number | undefined {
    return this.localIds.get(trackId)?.cell.id;
  }

  /** The joint id partner track `trackId` of `nodeId` has now, if any. */
  partnerIdOf(nodeId: string, trackId: string): number | undefined {
    return this.partnerIds.get(nodeId)?.get(trackId)?.cell.id;
  }

  /** How many members the table holds (bounded by the current members). */
  get size(): number {
    return this.held;
  }
}

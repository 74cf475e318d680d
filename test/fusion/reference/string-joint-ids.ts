/**
 * The joint id table as it was before members were looked up without key strings (string keys
 * `L|id`, `P|node|id`, two maps swapped per update), kept as the reference the table of
 * src/fusion/joint-ids.ts is checked against. Stable joint track ids. Each update hands the table the joint tracks' member keys (in the
 * fusion's canonical order); a joint track keeps the id one of its members had last update:
 *
 * 1. a group whose local member had an id keeps it (the local track is the anchor);
 * 2. otherwise the group takes the first id, in member order, that a partner member had and
 *    that no group has taken this update;
 * 3. otherwise it gets a new id from a counter (1, 2, 3 …, never reused).
 *
 * So a joint track keeps its id while any of its members persists, two tracks that merge keep
 * the local one's id, and the result depends only on the groups and their order — deterministic.
 * Keys of members that are gone are forgotten at once: the table holds only the current members.
 */

/** The table of member → joint id, carried from update to update. */
export class StringJointIdTable {
  private current = new Map<string, number>();
  private next = new Map<string, number>();
  private readonly taken = new Set<number>();
  private counter = 0;

  /**
   * Ids for `groups` (each a joint track's member keys, the local member first when it has one;
   * `hasLocal[g]` says so). Returns one id per group and makes these members the current ones.
   */
  assign(groups: readonly (readonly string[])[], hasLocal: readonly boolean[]): number[] {
    const ids = new Array<number>(groups.length).fill(0);
    this.taken.clear();
    // 1. local anchors
    for (let g = 0; g < groups.length; g++) {
      if (!hasLocal[g]) continue;
      const old = this.current.get(groups[g]![0]!);
      if (old !== undefined && !this.taken.has(old)) {
        ids[g] = old;
        this.taken.add(old);
      }
    }
    // 2. partner members' ids
    for (let g = 0; g < groups.length; g++) {
      if (ids[g] !== 0) continue;
      const members = groups[g]!;
      for (let k = hasLocal[g] ? 1 : 0; k < members.length; k++) {
        const old = this.current.get(members[k]!);
        if (old !== undefined && !this.taken.has(old)) {
          ids[g] = old;
          this.taken.add(old);
          break;
        }
      }
    }
    // 3. new ids
    for (let g = 0; g < groups.length; g++) if (ids[g] === 0) ids[g] = ++this.counter;
    this.next.clear();
    for (let g = 0; g < groups.length; g++) for (const key of groups[g]!) this.next.set(key, ids[g]!);
    const swap = this.current;
    this.current = this.next;
    this.next = swap;
    return ids;
  }

  /** The joint id `memberKey` has now, if any. */
  idOf(memberKey: string): number | undefined {
    return this.current.get(memberKey);
  }

  /** How many member keys the table holds (bounded by the current members). */
  get size(): number {
    return this.current.size;
  }
}

/** The key of a local member. */
export function localKey(trackId: string): string {
  return `L|${trackId}`;
}

/** The key of a partner member. */
export function partnerKey(nodeId: string, trackId: string): string {
  return `P|${nodeId}|${trackId}`;
}

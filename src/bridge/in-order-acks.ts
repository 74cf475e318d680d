/**
 * Items in flight whose acknowledgements may come in any order but count only in order: an
 * acknowledged item is released (handed to `onRelease`) once every item added before it is
 * acknowledged too. What the reliable channel's window uses to commit spool offsets in file
 * order. Synchronous; bounded by what the caller adds.
 */
export class InOrderAcks<T> {
  private slots: { readonly item: T; acked: boolean }[] = [];

  /** `onRelease` is told of each released item, in the order the items were added. */
  constructor(private readonly onRelease: (item: T) => void = () => undefined) {}

  /** Items added and not yet released (acknowledged or not). */
  get length(): number {
    return this.slots.length;
  }

  /**
   * Track `item`; returns its acknowledgement. Calling it marks the item acknowledged and
   * releases, oldest first, every acknowledged item at the front.
   */
  add(item: T): () => void {
    const slot = { item, acked: false };
    this.slots.push(slot);
    return () => {
      slot.acked = true;
      let i = 0;
      while (i < this.slots.length && this.slots[i]!.acked) {
        this.onRelease(this.slots[i]!.item);
        i++;
      }
      if (i > 0) this.slots.splice(0, i);
    };
  }

  /** The items not acknowledged yet, oldest first. */
  unacked(): T[] {
    return this.slots.filter((slot) => !slot.acked).map((slot) => slot.item);
  }

  /** Forget every item (their acknowledgements then release nothing already forgotten). */
  clear(): void {
    this.slots = [];
  }
}

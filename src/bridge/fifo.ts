/** A FIFO with O(1) amortised push and shift (an array with a moving head, compacted lazily). */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head] = undefined as T; // let it be collected
    this.head++;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Remove and return up to `max` items from the front, in order. */
  take(max: number): T[] {
    const count = Math.min(max, this.length);
    const taken = this.items.slice(this.head, this.head + count);
    this.head += count;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    }
    return taken;
  }

  /** Put `items` back in front, in their order (they come before everything queued). */
  prepend(items: readonly T[]): void {
    if (items.length === 0) return;
    this.items = [...items, ...this.items.slice(this.head)];
    this.head = 0;
  }

  toArray(): T[] {
    return this.items.slice(this.head);
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

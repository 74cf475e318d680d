/**
 * A first-in first-out queue of strings that keeps count of their characters, for bounds stated
 * in lines and in characters at once. Push and shift are O(1) amortised: shifted slots are
 * cleared at once (the strings can be collected) and the array is compacted once at least half
 * of it, and 1,024 slots, are spent. The queue has no bound of its own: the caller checks
 * `length` and `chars` before it pushes.
 */
export class TextFifo {
  private items: string[] = [];
  private head = 0;
  private charCount = 0;

  /** Strings queued. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Characters (UTF-16 code units) of the strings queued. */
  get chars(): number {
    return this.charCount;
  }

  push(text: string): void {
    this.items.push(text);
    this.charCount += text.length;
  }

  /** The oldest string, removed; throws when the queue is empty (check `length` first). */
  shift(): string {
    if (this.length === 0) throw new RangeError('TextFifo.shift on an empty queue');
    const text = this.items[this.head]!;
    this.items[this.head] = '';
    this.head++;
    this.charCount -= text.length;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return text;
  }
}

/**
 * A binary min-heap of timers ordered by (due time, insertion order): the deterministic
 * ordering rule of the virtual clock. Cancelled entries are dropped lazily when they reach
 * the top, so `cancel()` is O(1).
 */
export interface QueuedTimer {
  readonly atUs: number;
  readonly order: number;
  callback: (() => void) | null;
}

export class TimerQueue {
  private readonly heap: QueuedTimer[] = [];
  private nextOrder = 0;
  private live = 0;

  /** Number of timers that are queued and not cancelled. */
  get size(): number {
    return this.live;
  }

  push(atUs: number, callback: () => void): QueuedTimer {
    const timer: QueuedTimer = { atUs, order: this.nextOrder++, callback };
    this.heap.push(timer);
    this.live++;
    this.siftUp(this.heap.length - 1);
    return timer;
  }

  cancel(timer: QueuedTimer): void {
    if (timer.callback !== null) {
      timer.callback = null;
      this.live--;
    }
  }

  /** Due time of the earliest live timer, or undefined when none is queued. */
  peekAtUs(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.atUs;
  }

  /** Remove and return the earliest live timer. */
  pop(): QueuedTimer | undefined {
    this.dropCancelled();
    const top = this.heap[0];
    if (top === undefined) return undefined;
    this.removeTop();
    this.live--;
    return top;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.callback === null) this.removeTop();
  }

  private removeTop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
  }

  private less(a: QueuedTimer, b: QueuedTimer): boolean {
    return a.atUs < b.atUs || (a.atUs === b.atUs && a.order < b.order);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && this.less(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && this.less(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  }
}

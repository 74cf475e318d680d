/**
 * A binary min-heap of timers ordered by (due time, insertion order): the deterministic
 * ordering rule of the virtual clock. Cancelled entries are dropped lazily when they reach
 * the top, so `cancel()` is O(1).
 */
export class QueuedTimer {
  constructor(
    readonly atUs: number,
    readonly order: number,
    public callback: (() => void) | null,
    private readonly queue: TimerQueue,
  ) {}

  /** Cancel this timer (a no-op once fired or cancelled): it is also its own TimerHandle. */
  cancel(): void {
    this.queue.cancel(this);
  }
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
    const timer = new QueuedTimer(atUs, this.nextOrder++, callback, this);
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

  /** Remove and return the earliest live timer if it is due at or before `limitUs`. */
  popDue(limitUs: number): QueuedTimer | undefined {
    this.dropCancelled();
    const top = this.heap[0];
    if (top === undefined || top.atUs > limitUs) return undefined;
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

  private static less(a: QueuedTimer, b: QueuedTimer): boolean {
    return a.atUs < b.atUs || (a.atUs === b.atUs && a.order < b.order);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const moving = heap[index]!;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent]!;
      if (!TimerQueue.less(moving, above)) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = moving;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const length = heap.length;
    const moving = heap[index]!;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      if (right < length && TimerQueue.less(heap[right]!, heap[left]!)) child = right;
      if (!TimerQueue.less(heap[child]!, moving)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = moving;
  }
}

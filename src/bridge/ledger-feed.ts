import type { Clock, TimerHandle } from '../time/clock.js';
import type { BrokerLink } from './broker-link.js';
import { TOPIC_ROOT } from './topic-tree.js';

/** `shieldlink/v1/<node>/shared/ledger`: the node's decision ledger, line by line. */
export function ledgerTopic(nodeId: string): string {
  return `${TOPIC_ROOT}/${nodeId}/shared/ledger`;
}

/** Lines held while the broker is away; beyond it the oldest are dropped (a gap verifiers see). */
export const MAX_QUEUED_LEDGER_LINES = 100_000;
/** Publishes awaiting their acknowledgement at once. */
const MAX_IN_FLIGHT = 256;
/** How often queued lines are retried while disconnected, ms. */
const FLUSH_PERIOD_MS = 100;

/**
 * The live ledger feed (docs/mqtt.md §The ledger feed): every line of the node's ledger file —
 * its header, each entry, each signed tree head with its consistency proof — published verbatim
 * on {@link ledgerTopic} at QoS 1 in file order, the header retained (so a late subscriber learns
 * whose ledger it is). A partner verifies it with `shieldlink verify --live`. Lines written while
 * the broker is away are held (at most {@link MAX_QUEUED_LEDGER_LINES}; the oldest dropped and
 * counted) and go out in order when it is back. `line` is synchronous, O(1) and never throws.
 */
export class LedgerFeed {
  private readonly queue: string[] = [];
  private head = 0;
  private link: BrokerLink | null = null;
  private timer: TimerHandle | null = null;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private droppedLines = 0;
  private failedLines = 0;
  private publishedLines = 0;
  private stopped = false;
  readonly topic: string;

  constructor(
    nodeId: string,
    private readonly clock: Clock,
  ) {
    this.topic = ledgerTopic(nodeId);
  }

  /** Counters: lines published, dropped while queued (overflow) and lost in flight (link errors). */
  get counters(): { published: number; dropped: number; failed: number; queued: number } {
    return {
      published: this.publishedLines,
      dropped: this.droppedLines,
      failed: this.failedLines,
      queued: this.queue.length - this.head,
    };
  }

  /** One ledger line (no newline), as written to the file. Ignored after `stop`. */
  line(text: string): void {
    if (this.stopped) return;
    this.queue.push(text);
    if (this.queue.length - this.head > MAX_QUEUED_LEDGER_LINES) {
      this.head++;
      this.droppedLines++;
    }
    this.flush();
  }

  /** Publish through `link` from now on (the bridge's guarded link). */
  start(link: BrokerLink): void {
    this.link = link;
    this.flush();
  }

  /** Resolves when every line is published and acknowledged (or failed). */
  whenIdle(): Promise<void> {
    this.flush();
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * No more publishing; lines still queued are let go (counted as dropped), and later lines
   * ignored (no bridge, or stopping).
   */
  stop(): void {
    if (!this.stopped) this.droppedLines += this.queue.length - this.head;
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    this.link = null;
    this.queue.length = 0;
    this.head = 0;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private idle(): boolean {
    return this.inFlight === 0 && this.head === this.queue.length;
  }

  private flush(): void {
    const link = this.link;
    while (link !== null && link.connected && this.inFlight < MAX_IN_FLIGHT && this.head < this.queue.length) {
      const payload = this.queue[this.head]!;
      this.head++;
      this.inFlight++;
      const retain = payload.startsWith('{"format":');
      link.publish({ topic: this.topic, payload, qos: 1, retain }, (error) => {
        this.inFlight--;
        if (error === undefined) this.publishedLines++;
        else this.failedLines++;
        this.flush();
        if (this.idle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
    // Lines the link could not take yet (disconnected): retried on the clock, only while some wait.
    if (link !== null && this.timer === null && this.head < this.queue.length && !link.connected) {
      this.timer = this.clock.setTimer(FLUSH_PERIOD_MS * 1000, () => {
        this.timer = null;
        this.flush();
      });
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}

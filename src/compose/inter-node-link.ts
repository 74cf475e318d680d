import { mulberry32 } from '../common/mulberry32.js';
import type { Clock, TimerHandle } from '../time/clock.js';

/** One message between two nodes: a topic and its bytes, exactly as they would go over MQTT. */
export interface NodeMessage {
  readonly from: string;
  readonly to: string;
  readonly topic: string;
  readonly payload: Buffer;
  /** Clock time it was sent at, µs. */
  readonly sentAtUs: number;
}

/** A window during which messages between two nodes (or all of them) are not delivered. */
export interface PartitionWindow {
  readonly fromUs: number;
  readonly toUs: number;
  /** The two nodes cut apart; absent: every link. */
  readonly between?: readonly [string, string];
}

/** Settings of an {@link InterNodeLink}. */
export interface InterNodeLinkSettings {
  /** Delay of every message, µs. */
  readonly latencyUs: number;
  /** Uniform extra delay in [0, jitterUs], seeded; never reorders one directed link. */
  readonly jitterUs: number;
  /** Probability a message is lost, seeded. */
  readonly lossProbability: number;
  readonly partitions: readonly PartitionWindow[];
  /** Seed of the jitter and loss draws. */
  readonly seed: number;
  /** Most messages in flight per directed link; beyond, a message is dropped `overflow`. Default 10,000. */
  readonly maxInFlight?: number;
}

/** What happened to a message handed to {@link InterNodeLink.send}. */
export type SendVerdict = 'queued' | 'lost' | 'partitioned' | 'overflow' | 'unknown-node';

/** Counters of one directed link `from>to`. */
export interface DirectedLinkCounters {
  sent: number;
  delivered: number;
  lost: number;
  partitioned: number;
  overflow: number;
  bytes: number;
}

/**
 * The network between the nodes of a virtual-time joint run, in-process and deterministic: a
 * message (topic + bytes) sent from one node to another is delivered on the one clock after the
 * latency (plus seeded jitter), in send order per directed link, unless seeded loss takes it or a
 * partition window separates the two ends at its send time. Generic: it carries whatever a node
 * publishes towards a partner — shared tracks today, engagement-coordination messages next — and
 * knows nothing of their content. Bounded (in flight per link); never throws on send.
 */
export class InterNodeLink {
  private readonly receivers = new Map<string, (message: NodeMessage) => void>();
  private readonly queues = new Map<string, { atUs: number; message: NodeMessage }[]>();
  private readonly timers = new Map<string, TimerHandle>();
  private readonly lastDueUs = new Map<string, number>();
  private readonly stats = new Map<string, DirectedLinkCounters>();
  private readonly random: () => number;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly settings: InterNodeLinkSettings,
  ) {
    this.random = mulberry32(settings.seed);
  }

  /** Register a node and where its messages are delivered (one receiver per node). */
  attach(nodeId: string, deliver: (message: NodeMessage) => void): void {
    this.receivers.set(nodeId, deliver);
  }

  /** Whether a partition window separates `a` and `b` at `atUs`. */
  partitioned(a: string, b: string, atUs: number): boolean {
    return this.settings.partitions.some(
      (w) =>
        atUs >= w.fromUs &&
        atUs < w.toUs &&
        (w.between === undefined || (w.between.includes(a) && w.between.includes(b))),
    );
  }

  send(from: string, to: string, topic: string, payload: Buffer): SendVerdict {
    if (this.stopped || !this.receivers.has(to) || !this.receivers.has(from) || from === to) return 'unknown-node';
    const key = `${from}>${to}`;
    const counters = this.counter(key);
    counters.sent += 1;
    counters.bytes += payload.length;
    const nowUs = this.clock.nowUs();
    // Both draws are made for every message, so one message's fate never shifts another's.
    const lossDraw = this.random();
    const jitterDraw = this.random();
    if (this.partitioned(from, to, nowUs)) {
      counters.partitioned += 1;
      return 'partitioned';
    }
    if (lossDraw < this.settings.lossProbability) {
      counters.lost += 1;
      return 'lost';
    }
    const queue = this.queues.get(key) ?? [];
    if (queue.length >= (this.settings.maxInFlight ?? 10_000)) {
      counters.overflow += 1;
      return 'overflow';
    }
    const atUs = Math.max(
      nowUs + this.settings.latencyUs + Math.floor(jitterDraw * (this.settings.jitterUs + 1)),
      this.lastDueUs.get(key) ?? Number.NEGATIVE_INFINITY,
    );
    this.lastDueUs.set(key, atUs);
    queue.push({ atUs, message: { from, to, topic, payload: Buffer.from(payload), sentAtUs: nowUs } });
    this.queues.set(key, queue);
    if (!this.timers.has(key)) this.arm(key);
    return 'queued';
  }

  /** Counters per directed link `from>to`, sorted by key. */
  counters(): Record<string, DirectedLinkCounters> {
    const out: Record<string, DirectedLinkCounters> = {};
    for (const key of [...this.stats.keys()].sort()) out[key] = { ...this.stats.get(key)! };
    return out;
  }

  /** Deliver nothing more; messages in flight are dropped. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
    this.queues.clear();
  }

  private counter(key: string): DirectedLinkCounters {
    let c = this.stats.get(key);
    if (c === undefined) {
      c = { sent: 0, delivered: 0, lost: 0, partitioned: 0, overflow: 0, bytes: 0 };
      this.stats.set(key, c);
    }
    return c;
  }

  private arm(key: string): void {
    const head = this.queues.get(key)?.[0];
    if (head === undefined) {
      this.timers.delete(key);
      return;
    }
    this.timers.set(
      key,
      this.clock.setTimerAt(head.atUs, () => this.deliverDue(key)),
    );
  }

  private deliverDue(key: string): void {
    const queue = this.queues.get(key) ?? [];
    const nowUs = this.clock.nowUs();
    while (queue.length > 0 && queue[0]!.atUs <= nowUs) {
      const { message } = queue.shift()!;
      this.counter(key).delivered += 1;
      try {
        this.receivers.get(message.to)?.(message);
      } catch {
        // A receiver's fault is its own: the link goes on delivering.
      }
    }
    this.timers.delete(key);
    this.arm(key);
  }
}

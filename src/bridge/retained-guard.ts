import type { Clock, TimerHandle } from '../time/clock.js';
import { US_PER_MS } from '../time/clock.js';
import type { BrokerLink, InboundMessage, OutboundMessage } from './broker-link.js';

/** What the guard did about a message it did not publish. */
export type ForeignAction = 'reasserted' | 'cleared';

/** Told about each foreign retained message (the bridge audits it within its budget). */
export type ForeignListener = (message: InboundMessage, action: ForeignAction) => void;

const REMEMBERED_PER_TOPIC = 16;
/** Topics remembered at most: clears of foreign topics beyond this are still published, not remembered. */
const MAX_TOPICS = 4096;

/**
 * Keeps the node's retained topics (`status`, `devices/<id>/state`) the node's own. It wraps the
 * bridge's link: every retained publish is expected back once (the bridge subscribes to those
 * topics; at most 16 outstanding per topic), and an arriving payload that matches an expected
 * echo is the node's own (on MQTT 5, whose subscriptions are no-local, only a repeat of the
 * latest payload is). Anything else is foreign — another client's retained `offline`, a fake
 * device state, a replay of one of the node's own earlier signed payloads (its echo was already
 * seen) — except a retained message present at subscription time that carries the node's valid
 * signature (its own state from before a reconnect or restart; the birth follows anyway). Foreign: the node's latest payload is published again (`reasserted`), or, on a topic the node
 * never used, an empty retained message clears it (`cleared`). Re-assertion is coalesced to at
 * most one per topic per `minIntervalMs` (default 100 ms), so a flood costs a bounded number of
 * publishes and the node's payload is the last one standing within that interval after it ends.
 */
export class RetainedGuard {
  private readonly recent = new Map<string, string[]>();
  private readonly latest = new Map<string, string>();
  private readonly scheduled = new Map<string, TimerHandle>();
  private readonly lastAssertUs = new Map<string, number>();
  private readonly minIntervalUs: number;
  private foreignCount = 0;
  private reassertCount = 0;
  private stopped = false;

  constructor(
    private readonly link: BrokerLink,
    private readonly clock: Clock,
    private readonly isGuarded: (topic: string) => boolean,
    private readonly onForeign: ForeignListener,
    private readonly ownSigned: (text: string) => boolean = () => false,
    minIntervalMs = 100,
  ) {
    this.minIntervalUs = minIntervalMs * US_PER_MS;
  }

  /** Foreign messages seen, and re-assertions (or clears) published. */
  get stats(): { foreign: number; reasserted: number } {
    return { foreign: this.foreignCount, reasserted: this.reassertCount };
  }

  /** The link to publish through: the same link, remembering every retained payload. */
  wrap(): BrokerLink {
    const link = this.link;
    const remember = (topic: string, text: string): void => this.remember(topic, text);
    const stop = (): void => this.stop();
    return {
      get connected() {
        return link.connected;
      },
      get protocolVersion() {
        return link.protocolVersion;
      },
      get writeBacklogBytes() {
        return link.writeBacklogBytes;
      },
      start: (listener) => link.start(listener),
      publish(message: OutboundMessage, done: (error?: Error) => void) {
        if (message.retain) remember(message.topic, String(message.payload));
        link.publish(message, done);
      },
      batch: (fn) => link.batch(fn),
      stop: () => {
        stop();
        return link.stop();
      },
    };
  }

  /** An inbound message; returns false when it is not on a guarded topic (not handled). */
  inbound(message: InboundMessage): boolean {
    if (!this.isGuarded(message.topic)) return false;
    const text = message.payload.toString('utf8');
    const latest = this.latest.get(message.topic);
    if (this.link.protocolVersion === 5) {
      // MQTT 5 subscriptions are no-local: the node never gets its own publishes back, so only
      // its latest payload (a harmless repeat) is its own.
      if (text === latest) return true;
    } else {
      const expected = this.recent.get(message.topic);
      const echo = expected?.indexOf(text) ?? -1;
      if (echo >= 0) {
        expected!.splice(echo, 1); // our own publish coming back, once
        return true;
      }
    }
    if (latest === undefined && text.length === 0) return true; // nothing there, nothing claimed
    if (message.retained === true && this.ownSigned(text)) return true; // ours, from before
    this.foreignCount++;
    this.onForeign(message, latest === undefined ? 'cleared' : 'reasserted');
    this.schedule(message.topic);
    return true;
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.scheduled.values()) timer.cancel();
    this.scheduled.clear();
  }

  private remember(topic: string, text: string): void {
    if (!this.latest.has(topic) && this.latest.size >= MAX_TOPICS) return;
    this.latest.set(topic, text);
    const list = this.recent.get(topic) ?? [];
    list.push(text);
    if (list.length > REMEMBERED_PER_TOPIC) list.shift();
    this.recent.set(topic, list);
  }

  private schedule(topic: string): void {
    if (this.stopped || this.scheduled.has(topic)) return;
    const nowUs = this.clock.nowUs();
    const dueUs = Math.max(nowUs, (this.lastAssertUs.get(topic) ?? -Infinity) + this.minIntervalUs);
    this.scheduled.set(
      topic,
      this.clock.setTimerAt(dueUs, () => {
        this.scheduled.delete(topic);
        if (this.stopped || !this.link.connected) return;
        this.lastAssertUs.set(topic, this.clock.nowUs());
        const latest = this.latest.get(topic) ?? '';
        this.reassertCount++;
        this.remember(topic, latest);
        this.link.publish({ topic, payload: latest, qos: 1, retain: true }, () => undefined);
      }),
    );
  }
}

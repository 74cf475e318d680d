import type { EngagementChange } from './bridge-source.js';
import type { SpoolRecord } from './event-spool.js';
import { finiteOrNull, idOf, isoOf, nameOf, sanitizeDetailMap } from './payload-sanitizer.js';
import type { EngagementEventPayload } from './schemas/engagement-event-payload.js';
import type { TopicTree } from './topic-tree.js';

/**
 * One engagement event waiting in the bridge's stream. Built by the loop-facing `engagement()`
 * call, so it only records what it was given (O(1), no serialisation); topic and JSON payload are
 * rendered on first use — when the event is published or spooled, off the loop's path — and kept.
 */
export class EngagementRecord implements SpoolRecord {
  private renderedTopic: string | null = null;
  private renderedPayload: string | null = null;

  constructor(
    private readonly topics: TopicTree,
    private readonly bootId: string,
    private readonly seq: number,
    private readonly receivedAtWallMs: number,
    private readonly change: EngagementChange,
  ) {}

  get topic(): string {
    return (this.renderedTopic ??= this.topics.engagement(this.change.engagementId));
  }

  get payload(): string {
    return (this.renderedPayload ??= JSON.stringify(this.render()));
  }

  private render(): EngagementEventPayload {
    const c = this.change;
    return {
      v: 1,
      nodeId: this.topics.nodeId,
      bootId: this.bootId,
      seq: this.seq,
      engagementId: idOf(c.engagementId),
      trackId: c.trackId === null ? null : idOf(c.trackId),
      launcherId: c.launcherId === null ? null : idOf(c.launcherId),
      transition: c.transition === null ? null : nameOf(c.transition),
      state: nameOf(c.state),
      reason: c.reason?.slice(0, 64) ?? null,
      commandId: c.commandId?.slice(0, 64) ?? null,
      sourceSeq: c.sourceSeq !== null && Number.isSafeInteger(c.sourceSeq) ? c.sourceSeq : null,
      hostTimeUs: finiteOrNull(c.hostTimeUs) ?? 0,
      at: isoOf(this.receivedAtWallMs),
      detail: sanitizeDetailMap(c.detail),
    };
  }
}

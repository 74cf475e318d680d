import { BridgeError } from './bridge-error.js';
import { ID_PATTERN } from './schemas/payload-primitives.js';
import type { CommandVerb } from './schemas/command-request.js';

/** Every topic starts with this; the version changes only with an incompatible payload format. */
export const TOPIC_ROOT = 'shieldlink/v1';

const SAFE_LEVEL = /^[A-Za-z0-9._:-]+$/;

/**
 * Percent-encode one topic level so that any producer id is safe: characters outside
 * `[A-Za-z0-9._:-]` (notably `/`, `+`, `#`, spaces and non-ASCII) become `%XX` of their UTF-8
 * bytes, and the empty string becomes `%00`-free `_`. The payload always carries the raw id.
 */
export function encodeTopicLevel(id: string): string {
  if (SAFE_LEVEL.test(id)) return id; // the common case, without a byte-by-byte pass
  if (id.length === 0) return '_';
  let out = '';
  for (const byte of Buffer.from(id, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9._:-]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The topic tree of one node (docs/mqtt.md §Topics):
 *
 * | topic | QoS | retained |
 * |---|---|---|
 * | `status` | 1 | yes |
 * | `devices/<device-id>/state` | 1 | yes |
 * | `tracks` | 0 | no |
 * | `engagements/<engagement-id>` | 1 | no |
 * | `metrics` | 0 | no |
 * | `threats` | 0 | no |
 * | `commands/<verb>` (in) | 1 | no |
 * | `commands/result` | 1 | no |
 * | `audit` | 1 | no |
 */
export class TopicTree {
  readonly prefix: string;

  constructor(readonly nodeId: string) {
    if (!ID_PATTERN.test(nodeId)) {
      throw new BridgeError('invalid-id', `node id '${nodeId}' must match ${ID_PATTERN.source}`);
    }
    this.prefix = `${TOPIC_ROOT}/${nodeId}/`;
  }

  get status(): string {
    return `${this.prefix}status`;
  }
  deviceState(deviceId: string): string {
    return `${this.prefix}devices/${encodeTopicLevel(deviceId)}/state`;
  }
  get tracks(): string {
    return `${this.prefix}tracks`;
  }
  engagement(engagementId: string): string {
    return `${this.prefix}engagements/${encodeTopicLevel(engagementId)}`;
  }
  get metrics(): string {
    return `${this.prefix}metrics`;
  }
  get threats(): string {
    return `${this.prefix}threats`;
  }
  command(verb: CommandVerb): string {
    return `${this.prefix}commands/${verb}`;
  }
  /** What the bridge subscribes to (it ignores `commands/result`, its own output). */
  get commandFilter(): string {
    return `${this.prefix}commands/+`;
  }
  get commandResult(): string {
    return `${this.prefix}commands/result`;
  }
  get audit(): string {
    return `${this.prefix}audit`;
  }
  /** Where MQTT 5 clients may ask for private replies inside the node's tree. */
  get repliesPrefix(): string {
    return `${this.prefix}replies/`;
  }

  /** The verb of a `commands/<verb>` topic of this node, or undefined for any other topic. */
  verbOf(topic: string): string | undefined {
    const commands = `${this.prefix}commands/`;
    if (!topic.startsWith(commands)) return undefined;
    const verb = topic.slice(commands.length);
    return verb.includes('/') ? undefined : verb;
  }

  /**
   * Whether the bridge may publish a command result to an MQTT 5 response topic. It must be a
   * valid topic name (no wildcards, no NUL, <= 256 bytes); inside `shieldlink/v1/` only this
   * node's `replies/...` is allowed, so a request cannot make the bridge write over state topics.
   */
  isAllowedResponseTopic(topic: string): boolean {
    if (topic.length === 0 || Buffer.byteLength(topic) > 256) return false;
    // eslint-disable-next-line no-control-regex
    if (/[+#\u0000-\u001f\u007f]/.test(topic)) return false;
    if (topic.startsWith(`${TOPIC_ROOT}/`))
      return topic.startsWith(this.repliesPrefix) && topic.length > this.repliesPrefix.length;
    return !topic.startsWith('$');
  }
}

import { createHash } from 'node:crypto';
import type { AuditBudget } from './audit-budget.js';
import type { AuditLog } from './audit-log.js';
import type { ShieldlinkBridgeOptions } from './bridge-options.js';
import type { BrokerLink } from './broker-link.js';
import { MqttBrokerLink } from './mqtt-broker-link.js';
import { tappedLink } from './publish-tap.js';
import { RetainedGuard } from './retained-guard.js';
import type { StatusOfflinePayload } from './schemas/status-payload.js';
import type { TopicTree } from './topic-tree.js';

/** The bridge's link to the broker: `link` publishes (guarded, tapped), `guard` judges what arrives. */
export interface GuardedLink {
  readonly link: BrokerLink;
  readonly guard: RetainedGuard;
}

/**
 * Make the node's broker link: the test seam `options.link` or mqtt.js (last will `lastWill`,
 * the command subscription, and the node's own retained topics to re-assert them), wrapped in
 * the {@link RetainedGuard} (a foreign retained status or device state is audited within the
 * budget and re-asserted or cleared) and the publish tap. Does not wait for the broker.
 */
export async function openGuardedLink(
  options: ShieldlinkBridgeOptions,
  topics: TopicTree,
  lastWill: StatusOfflinePayload,
  budget: AuditBudget,
  audit: () => AuditLog | null,
): Promise<GuardedLink> {
  const o = options;
  const rawLink =
    o.link ??
    (await MqttBrokerLink.create(
      o.broker,
      {
        clientId: o.broker.clientId ?? `shieldlink-${o.nodeId}`,
        will: { topic: topics.status, payload: JSON.stringify(lastWill), qos: 1, retain: true },
        subscriptions: [topics.commandFilter],
        // To re-assert the node's retained topics; an ACL that refuses them only disables that.
        optionalSubscriptions: [
          topics.status,
          `${topics.prefix}devices/+/state`,
          // A broker whose ACL does not let the node read partner releases leaves it alone (status says so).
          ...(o.sharing?.subscriptions ?? []),
          ...(o.partnerTopics?.subscriptions ?? []),
        ],
      },
      o.clock,
    ));
  const guard = new RetainedGuard(
    rawLink,
    o.clock,
    (topic) => topic === topics.status || (topic.startsWith(`${topics.prefix}devices/`) && topic.endsWith('/state')),
    (message, action) => {
      if (!budget.admit('foreign', 'foreign-publish')) return;
      audit()?.foreign({
        topic: message.topic.slice(0, 512),
        action,
        payloadBytes: message.payload.length,
        payloadSha256: createHash('sha256').update(message.payload).digest('hex'),
      });
    },
    (text) => {
      try {
        return o.nodeKey?.public.verifyPayload(JSON.parse(text)) === 'valid';
      } catch {
        return false;
      }
    },
  );
  const guarded = guard.wrap();
  return { link: o.onPublish === undefined ? guarded : tappedLink(guarded, o.onPublish), guard };
}

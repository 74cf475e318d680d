import { z } from 'zod';
import { auditRecordPayload } from './schemas/audit-record-payload.js';
import { commandRequest } from './schemas/command-request.js';
import { commandResultPayload } from './schemas/command-result-payload.js';
import { deviceStatePayload } from './schemas/device-state-payload.js';
import { engagementEventPayload } from './schemas/engagement-event-payload.js';
import { metricsPayload } from './schemas/metrics-payload.js';
import { statusPayload } from './schemas/status-payload.js';
import { trackSnapshotPayload } from './schemas/track-snapshot-payload.js';
import { threatPicturePayload } from './schemas/threat-picture-payload.js';
import { engagementIntentsPayload } from '../coordination/intent-schema.js';
import { sharedTracksPayload } from '../sharing/shared-tracks-schema.js';

/** One payload of the topic tree: where it goes, how, and its schema. */
export interface PayloadSpec {
  /** File stem of the exported JSON Schema, e.g. `device-state`. */
  readonly name: string;
  /** Topic under `shieldlink/v1/<node>/`. */
  readonly topic: string;
  readonly direction: 'out' | 'in';
  readonly qos: 0 | 1;
  readonly retained: boolean;
  readonly schema: z.ZodType;
}

/** Every payload, in the order docs/mqtt.md lists them. */
export const PAYLOADS: readonly PayloadSpec[] = [
  { name: 'status', topic: 'status', direction: 'out', qos: 1, retained: true, schema: statusPayload },
  {
    name: 'device-state',
    topic: 'devices/<device-id>/state',
    direction: 'out',
    qos: 1,
    retained: true,
    schema: deviceStatePayload,
  },
  { name: 'tracks', topic: 'tracks', direction: 'out', qos: 0, retained: false, schema: trackSnapshotPayload },
  {
    name: 'engagement-event',
    topic: 'engagements/<engagement-id>',
    direction: 'out',
    qos: 1,
    retained: false,
    schema: engagementEventPayload,
  },
  { name: 'metrics', topic: 'metrics', direction: 'out', qos: 0, retained: false, schema: metricsPayload },
  { name: 'threats', topic: 'threats', direction: 'out', qos: 0, retained: false, schema: threatPicturePayload },
  {
    name: 'command-request',
    topic: 'commands/<verb>',
    direction: 'in',
    qos: 1,
    retained: false,
    schema: commandRequest,
  },
  {
    name: 'command-result',
    topic: 'commands/result',
    direction: 'out',
    qos: 1,
    retained: false,
    schema: commandResultPayload,
  },
  { name: 'audit-record', topic: 'audit', direction: 'out', qos: 1, retained: false, schema: auditRecordPayload },
  {
    name: 'shared-tracks',
    topic: 'shared/tracks/<partner-id>',
    direction: 'out',
    qos: 1,
    retained: false,
    schema: sharedTracksPayload,
  },
  {
    name: 'engagement-intents',
    topic: 'shared/engagements',
    direction: 'out',
    qos: 1,
    retained: false,
    schema: engagementIntentsPayload,
  },
];

/** JSON Schema (draft 2020-12) of every payload, keyed by name. */
export function exportJsonSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of PAYLOADS) {
    const schema = z.toJSONSchema(spec.schema, { target: 'draft-2020-12' }) as Record<string, unknown>;
    out[spec.name] = {
      ...schema,
      $id: `https://shieldlink.invalid/schemas/v1/${spec.name}.schema.json`,
      'x-shieldlink-topic': `shieldlink/v1/<node-id>/${spec.topic}`,
      'x-shieldlink-qos': spec.qos,
      'x-shieldlink-retained': spec.retained,
    };
  }
  return out;
}

/** The schema for a concrete topic of node `nodeId`, or undefined if it is not ours. */
export function payloadSpecForTopic(topic: string, nodeId: string): PayloadSpec | undefined {
  const prefix = `shieldlink/v1/${nodeId}/`;
  if (!topic.startsWith(prefix)) return undefined;
  const rest = topic.slice(prefix.length);
  const pattern = (spec: PayloadSpec): RegExp =>
    new RegExp(`^${spec.topic.replace(/<[a-z-]+>/g, '[^/]+').replace(/\//g, '\\/')}$`);
  if (rest === 'commands/result') return PAYLOADS.find((p) => p.name === 'command-result');
  return PAYLOADS.find((spec) => pattern(spec).test(rest));
}

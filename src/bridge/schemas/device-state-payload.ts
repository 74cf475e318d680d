import { z } from 'zod';
import {
  detailMap,
  hostUs,
  idString,
  isoTime,
  measured,
  nameString,
  nodeSignature,
  numberMap,
  producerId,
  payloadVersion,
  quality,
} from './payload-primitives.js';

/**
 * Retained `devices/<device-id>/state`: the latest state of one radar or launcher controller.
 * `quality` is what the driver reported, downgraded to `stale` by the bridge when the last frame
 * is older than the configured bound (`qualityReason: "age"`).
 */
export const deviceStatePayload = z
  .strictObject({
    v: payloadVersion,
    nodeId: idString,
    deviceId: producerId,
    kind: nameString.describe('e.g. `radar`, `launcher`.'),
    link: nameString.describe('Link state from the driver, e.g. `active`, `connecting`, `lost`.'),
    state: nameString.describe('Device state from the driver, e.g. `armed`, `safe`, `search`.'),
    quality,
    qualityReason: z
      .string()
      .max(64)
      .nullable()
      .describe('Why quality is not `good` when the bridge knows (`age`), else the driver reason or null.'),
    deviceTimeUs: measured.describe("The device's own clock in its last frame, microseconds (device epoch)."),
    receivedAtHostUs: hostUs.nullable().describe('Host time the last frame arrived; null before any frame.'),
    receivedAt: isoTime.nullable().describe('The same instant in wall time.'),
    ageMs: z.number().min(0).nullable().describe('Age of the last frame when this message was published.'),
    hostTimeUs: hostUs.describe('Host time of publication.'),
    publishedAt: isoTime,
    counters: numberMap.describe('Link and device counters (frames, CRC errors, NAKs, retransmits, ...).'),
    detail: detailMap,
    nodeSig: nodeSignature,
  })
  .meta({ id: 'DeviceState', title: 'shieldlink/v1/<node>/devices/<device-id>/state (retained)' });

export type DeviceStatePayload = z.infer<typeof deviceStatePayload>;

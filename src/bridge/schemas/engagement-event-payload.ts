import { z } from 'zod';
import {
  detailMap,
  hostUs,
  idString,
  isoTime,
  nameString,
  payloadVersion,
  producerId,
  sequenceNumber,
} from './payload-primitives.js';

/**
 * `engagements/<engagement-id>`: one state change of one engagement. QoS 1, never retained, in
 * order. `seq` counts every engagement event of the node (all engagements, one counter) from 1
 * per boot without gaps, so a consumer that sees a gap has lost events; delivery is at least once,
 * so a repeated `(bootId, seq)` is a duplicate to drop.
 */
export const engagementEventPayload = z
  .strictObject({
    v: payloadVersion,
    nodeId: idString,
    bootId: idString,
    seq: sequenceNumber,
    engagementId: producerId,
    trackId: producerId.nullable(),
    launcherId: producerId.nullable(),
    transition: nameString.nullable().describe('What happened, e.g. `planned`, `fire-sent`, `launched`.'),
    state: nameString.describe('State after the change, e.g. `planned`, `launched`, `aborted`.'),
    reason: z.string().max(64).nullable(),
    commandId: z.string().max(64).nullable().describe('Command id involved (operator request or device command).'),
    sourceSeq: z.number().int().nullable().describe("The control core's own event number, if any."),
    hostTimeUs: hostUs.describe('Host time of the change.'),
    at: isoTime.describe('Wall time at which the bridge received the change.'),
    detail: detailMap,
  })
  .meta({ id: 'EngagementEvent', title: 'shieldlink/v1/<node>/engagements/<engagement-id>' });

export type EngagementEventPayload = z.infer<typeof engagementEventPayload>;

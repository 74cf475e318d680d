import { z } from 'zod';
import {
  detailMap,
  hostUs,
  idString,
  isoTime,
  measured,
  nameString,
  payloadVersion,
  producerId,
  quality,
  sequenceNumber,
} from './payload-primitives.js';

/** One host track in a snapshot (east-north-up metres from the node's reference point). */
export const trackEntryPayload = z
  .strictObject({
    trackId: producerId,
    iff: nameString.describe('Identification: `hostile`, `friendly`, `unknown`, ...'),
    quality,
    eastM: measured,
    northM: measured,
    upM: measured,
    eastMps: measured,
    northMps: measured,
    upMps: measured,
    estimateTimeUs: hostUs.describe('Host time of the estimate.'),
    threatRank: z.number().int().min(0).nullable().describe('0 = most urgent; null when not a threat.'),
    engagementId: producerId.nullable(),
    detail: detailMap,
  })
  .meta({ id: 'TrackEntry' });

/** `tracks`: the whole track picture, coalesced (latest wins) and published at a fixed rate. */
export const trackSnapshotPayload = z
  .strictObject({
    v: payloadVersion,
    nodeId: idString,
    bootId: idString,
    seq: sequenceNumber.describe('Snapshot number; gaps are normal (coalescing), a decrease means a new boot.'),
    hostTimeUs: hostUs.describe('Host time of the picture.'),
    publishedAt: isoTime,
    tracks: z.array(trackEntryPayload),
  })
  .meta({ id: 'TrackSnapshot', title: 'shieldlink/v1/<node>/tracks' });

export type TrackEntryPayload = z.infer<typeof trackEntryPayload>;
export type TrackSnapshotPayload = z.infer<typeof trackSnapshotPayload>;

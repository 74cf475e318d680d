import { z } from 'zod';
import {
  hostUs,
  idString,
  isoTime,
  measured,
  nameString,
  payloadVersion,
  producerId,
  sequenceNumber,
} from './payload-primitives.js';

const groundPoint = z.strictObject({ eastM: z.number(), northM: z.number() });

/** A ground area: a circle, or a polygon (vertices in order, not closed). */
export const groundAreaPayload = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('circle'), eastM: z.number(), northM: z.number(), radiusM: z.number().min(0) }),
    z.strictObject({ kind: z.literal('polygon'), vertices: z.array(groundPoint).min(3).max(256) }),
  ])
  .meta({ id: 'GroundArea' });

/** A defended asset as the node declares it (local ENU metres). */
export const assetEntryPayload = z
  .strictObject({
    assetId: producerId,
    value: z.number().describe('Criticality; threat value = value × probability.'),
    minAltitudeM: z.number(),
    maxAltitudeM: z.number(),
    area: groundAreaPayload,
    keepOut: z.array(groundAreaPayload).max(64).describe('Where intercept debris must not fall.'),
  })
  .meta({ id: 'AssetEntry' });

/** One threat: a track's predicted impact (or closest approach), what it threatens, who engages it. */
export const threatEntryPayload = z
  .strictObject({
    trackId: producerId.describe('The host track (as on `tracks`).'),
    iff: nameString,
    kind: z
      .enum(['impact', 'approach'])
      .describe('`impact`: ballistic, predicted impact point; `approach`: closest point of approach to its top asset.'),
    ipp: z
      .strictObject({
        eastM: measured,
        northM: measured,
        varEastM2: measured,
        covEastNorthM2: measured,
        varNorthM2: measured,
        ellipse95: z
          .strictObject({
            semiMajorM: measured,
            semiMinorM: measured,
            majorAxisBearingDeg: measured.describe('Degrees clockwise from north, [0, 180).'),
          })
          .describe('The ellipse holding 95 % of the predicted impact (or approach) point.'),
      })
      .describe('Predicted impact point on the ground (or closest-approach point), with its covariance.'),
    impactAtHostUs: hostUs.nullable().describe('Host time of the predicted impact (or closest approach).'),
    timeToImpactS: measured.describe('impactAtHostUs − hostTimeUs, seconds.'),
    threatValue: measured.describe('Σ over assets of value × probability.'),
    assets: z
      .array(
        z.strictObject({
          assetId: producerId,
          probability: z.number().min(0).max(1),
          value: z.number(),
        }),
      )
      .max(64)
      .describe('Assets with probability ≥ 1e-4, largest value × probability first.'),
    assignment: z
      .strictObject({
        engagementId: producerId,
        launcherId: producerId,
        state: nameString,
        interceptAtHostUs: hostUs,
      })
      .nullable()
      .describe('The engagement holding this track, or null.'),
  })
  .meta({ id: 'ThreatEntry' });

/** `threats`: the threat evaluation of every live track, coalesced (latest wins) at a fixed rate. */
export const threatPicturePayload = z
  .strictObject({
    v: payloadVersion,
    nodeId: idString,
    bootId: idString,
    seq: sequenceNumber.describe('Picture number; gaps are normal (coalescing), a decrease means a new boot.'),
    hostTimeUs: hostUs.describe('Host time of the evaluation.'),
    publishedAt: isoTime,
    assets: z.array(assetEntryPayload).max(256).describe('The defended assets (the same in every message).'),
    threats: z.array(threatEntryPayload).max(1000).describe('Most valuable first (then earliest impact).'),
    truncated: z.boolean().describe('True when more than 1000 threats were held and the rest left out.'),
  })
  .meta({ id: 'ThreatPicture', title: 'shieldlink/v1/<node>/threats' });

export type GroundAreaPayload = z.infer<typeof groundAreaPayload>;
export type AssetEntryPayload = z.infer<typeof assetEntryPayload>;
export type ThreatEntryPayload = z.infer<typeof threatEntryPayload>;
export type ThreatPicturePayload = z.infer<typeof threatPicturePayload>;

import { z } from 'zod';

/**
 * The shared-track message a node publishes to one partner on
 * `shieldlink/v1/<node>/shared/tracks/<partner>` (docs/mqtt.md §Shared tracks): a batch of the
 * node's releasable local tracks, in ECEF (WGS-84 earth-centred, earth-fixed), node-signed.
 *
 * Frame: position `ecefM` and velocity `ecefMps` in ECEF metres and metres per second; covariance
 * the 6×6 of [x, y, z, vx, vy, vz] in the same axes, upper triangle row by row (21 numbers: m²,
 * m²/s, m²/s²). ECEF is the one frame both ends share without knowing each other's site.
 */

/** Most tracks one message may carry (a bigger release is split over several messages). */
export const MAX_SHARED_TRACKS_PER_MESSAGE = 100;
/** Most bytes one message may have on the wire; a partner's bigger message is dropped unread. */
export const MAX_SHARED_MESSAGE_BYTES = 96 * 1024;
/** The `kind` member: what this is, so a payload is never mistaken for another. */
export const SHARED_TRACKS_KIND = 'shieldlink-shared-tracks';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const id = z.string().regex(ID).describe('Identifier: [A-Za-z0-9][A-Za-z0-9._:-]{0,63}.');
const name = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,47}$/)
  .describe('Lower-case kebab name.');
const utc = z.iso.datetime({ offset: false, precision: 3 }).describe('UTC, ISO 8601 with milliseconds.');
/** ECEF coordinates are within ~6.4e6 m of the centre on earth; anything beyond 1e8 m is nonsense. */
const coordinateM = z.number().min(-1e8).max(1e8);
const speedMps = z.number().min(-1e5).max(1e5);
const covarianceTerm = z.number().min(-1e16).max(1e16);

/** The optional fields a release policy may name; the rest of an entry is always there. */
export const RELEASABLE_FIELDS = ['velocity', 'covariance', 'identity', 'quality', 'sensors'] as const;
export type ReleasableField = (typeof RELEASABLE_FIELDS)[number];

export const SHARED_QUALITIES = ['good', 'suspect', 'simulated', 'replayed'] as const;

export const sharedTrackEntry = z
  .strictObject({
    trackId: id.describe("The sender's own track id (stable while the sender holds the track)."),
    validAt: utc.describe('Time of validity of this estimate.'),
    ecefM: z.tuple([coordinateM, coordinateM, coordinateM]).describe('Position, ECEF metres.'),
    ecefMps: z.tuple([speedMps, speedMps, speedMps]).optional().describe('Velocity, ECEF m/s (field `velocity`).'),
    covariance: z
      .array(covarianceTerm)
      .length(21)
      .optional()
      .describe('6×6 covariance of [x y z vx vy vz] (ECEF), upper triangle row-major (field `covariance`).'),
    identity: name.optional().describe('hostile, friendly, unknown, ... (field `identity`).'),
    quality: z.enum(SHARED_QUALITIES).optional().describe('(field `quality`).'),
    pedigree: z
      .strictObject({
        node: id.describe('The node whose sensors made this track.'),
        sensors: z.array(id).min(1).max(16).optional().describe('Its sensors (field `sensors`).'),
        fused: z.boolean().describe('true: built from another node’s data too. Never released.'),
      })
      .describe('Where the track comes from: a fused track must never be shared (no data incest).'),
  })
  .meta({ id: 'SharedTrack' });

export const sharedTracksPayload = z
  .strictObject({
    v: z.literal(1),
    kind: z.literal(SHARED_TRACKS_KIND),
    nodeId: id.describe('The sending node.'),
    to: id.describe('The partner this release is for (a message on another partner’s topic is refused).'),
    bootId: id.describe('Unique per process start of the sender.'),
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe('1, 2, 3, ... per boot and partner.'),
    sentAt: utc,
    tracks: z.array(sharedTrackEntry).max(MAX_SHARED_TRACKS_PER_MESSAGE),
    nodeSig: z
      .string()
      .regex(/^[A-Za-z0-9_-]{86}$/)
      .describe("Sender's Ed25519 signature (base64url) over the canonical JSON of this payload without nodeSig."),
  })
  .meta({ id: 'SharedTracks', title: 'shieldlink/v1/<node>/shared/tracks/<partner>' });

export type SharedTrackEntry = z.infer<typeof sharedTrackEntry>;
export type SharedTracksPayload = z.infer<typeof sharedTracksPayload>;
/** A message before the node signs it. */
export type UnsignedSharedTracks = Omit<SharedTracksPayload, 'nodeSig'>;

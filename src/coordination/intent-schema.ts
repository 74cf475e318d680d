import { z } from 'zod';

/**
 * The engagement-intent message a node publishes to all its partners on
 * `shieldlink/v1/<node>/shared/engagements` (docs/mqtt.md §Engagement intents): a batch of
 * intents, numbered per boot (`seq` 1, 2, 3 … — receivers apply them in that order), node-signed
 * like the shared tracks. An empty batch is a heartbeat: the sender is there and coordinating.
 *
 * A threat is named by its members: the (node, track id) pairs of the sender's joint track — its
 * own local track id as it shares it on `shared/tracks`, and the partner tracks it fused with it.
 * Two claims whose members meet are claims on the same threat, whatever joint ids each node gave
 * it (docs/decisions/0024-engagement-coordination.md).
 *
 * Nothing here is a command: an intent tells partners what the sender's own chain of command
 * intends; a `request` asks a partner's operators, who may refuse it.
 */

/** The `kind` member: what this payload is, so it is never mistaken for another. */
export const ENGAGEMENT_INTENTS_KIND = 'shieldlink-engagement-intents';
/** Most intents in one message. */
export const MAX_INTENTS_PER_MESSAGE = 64;
/** Most members naming one threat. */
export const MAX_MEMBERS = 16;
/** Most bytes of one message on the wire; a bigger partner message is dropped unread. */
export const MAX_INTENT_MESSAGE_BYTES = 64 * 1024;

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const id = z.string().regex(ID).describe('Identifier: [A-Za-z0-9][A-Za-z0-9._:-]{0,63}.');
const utc = z.iso.datetime({ offset: false, precision: 3 }).describe('UTC, ISO 8601 with milliseconds.');
const coordinateM = z.number().min(-1e8).max(1e8);

export const memberRef = z
  .strictObject({
    node: id.describe('The node whose track this is.'),
    trackId: id.describe("That node's track id, as it shares it."),
  })
  .meta({ id: 'MemberRef' });

const threat = {
  jointTrackId: z.number().int().min(0).max(0xffff_ffff).describe("The sender's joint track id (display only)."),
  members: z.array(memberRef).min(1).max(MAX_MEMBERS).describe('What the threat is: see above.'),
};

export const claimIntent = z.strictObject({
  type: z.literal('claim'),
  claimId: id.describe('Unique per sender boot; a later claim with the same id updates it.'),
  ...threat,
  launcherId: id,
  launchAt: utc.describe('Planned launch.'),
  interceptAt: utc.describe('Planned intercept.'),
  interceptEcefM: z.tuple([coordinateM, coordinateM, coordinateM]).describe('Planned intercept point, ECEF m.'),
  killProbability: z.number().min(0).max(1).describe('Estimated single-shot kill probability.'),
  expiresAt: utc.describe('The claim lapses here unless renewed (a result or release ends it sooner).'),
  committed: z.boolean().describe('true once FIRE was sent (the claim can no longer be withdrawn).'),
});

export const commitIntent = z.strictObject({
  type: z.literal('commit'),
  claimId: id,
  firedAt: utc.describe('When FIRE was sent.'),
});

export const ENGAGEMENT_RESULTS = ['kill', 'miss', 'aborted'] as const;
export const resultIntent = z.strictObject({
  type: z.literal('result'),
  claimId: id,
  result: z.enum(ENGAGEMENT_RESULTS),
});

export const releaseIntent = z.strictObject({ type: z.literal('release'), claimId: id });

/** Advisory: the sender asks `to`'s operators to engage a threat. Never acted on by itself. */
export const requestIntent = z.strictObject({
  type: z.literal('request'),
  requestId: id,
  to: id.describe('The partner asked.'),
  ...threat,
  reason: z.string().max(200).describe('Free text for the operator.'),
  expiresAt: utc,
});

/** The asked node's operators' answer to a request (for the requester's display). */
export const answerIntent = z.strictObject({
  type: z.literal('answer'),
  requestId: id,
  to: id,
  answer: z.enum(['accepted', 'refused', 'expired']),
});

/**
 * Reconciliation: `claimIds` are all the sender's live claims (each sent in full in this or an
 * earlier message); a receiver forgets any other claim it holds of the sender.
 */
export const snapshotIntent = z.strictObject({
  type: z.literal('snapshot'),
  claimIds: z.array(id).max(MAX_INTENTS_PER_MESSAGE),
});

export const engagementIntent = z.discriminatedUnion('type', [
  claimIntent,
  commitIntent,
  resultIntent,
  releaseIntent,
  requestIntent,
  answerIntent,
  snapshotIntent,
]);

export const engagementIntentsPayload = z
  .strictObject({
    v: z.literal(1),
    kind: z.literal(ENGAGEMENT_INTENTS_KIND),
    nodeId: id.describe('The sending node.'),
    bootId: id.describe('Unique per process start of the sender.'),
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe('1, 2, 3, … per boot.'),
    sentAt: utc,
    intents: z.array(engagementIntent).max(MAX_INTENTS_PER_MESSAGE),
    nodeSig: z
      .string()
      .regex(/^[A-Za-z0-9_-]{86}$/)
      .describe("Sender's Ed25519 signature (base64url) over the canonical JSON of this payload without nodeSig."),
  })
  .meta({ id: 'EngagementIntents', title: 'shieldlink/v1/<node>/shared/engagements' });

export type MemberRef = z.infer<typeof memberRef>;
export type ClaimIntent = z.infer<typeof claimIntent>;
export type RequestIntent = z.infer<typeof requestIntent>;
export type EngagementIntent = z.infer<typeof engagementIntent>;
export type EngagementIntentsPayload = z.infer<typeof engagementIntentsPayload>;
/** A message before the node signs it. */
export type UnsignedEngagementIntents = Omit<EngagementIntentsPayload, 'nodeSig'>;

/** `shieldlink/v1/<node>/shared/engagements`. */
export function engagementsTopic(nodeId: string): string {
  return `shieldlink/v1/${nodeId}/shared/engagements`;
}

/** UTC ms → the wire's ISO form (millisecond precision, `Z`). */
export function isoOfMs(ms: number): string {
  return new Date(Math.round(ms)).toISOString();
}

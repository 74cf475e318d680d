import { z } from 'zod';
import { hostUs, idString, isoTime, payloadVersion, sequenceNumber } from './payload-primitives.js';
import { commandResultPayload } from './command-result-payload.js';

const common = {
  v: payloadVersion,
  nodeId: idString,
  bootId: idString,
  seq: sequenceNumber.describe('Audit record number per boot, without gaps.'),
  hostTimeUs: hostUs,
  at: isoTime,
};

/**
 * One inbound command message and the verdict of authentication. Never holds the signature or any
 * key material: the raw payload is represented by its SHA-256 only.
 */
export const auditCommandRecord = z.strictObject({
  ...common,
  kind: z.literal('command'),
  topicVerb: z.string().max(64),
  id: idString.nullable(),
  verb: z.string().max(64).nullable(),
  keyId: idString.nullable(),
  operator: z.string().max(64).nullable().describe('Operator owning keyId, when the key is known.'),
  authenticated: z.boolean().describe('Signature, freshness and nonce all verified.'),
  args: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable(),
  payloadBytes: z.number().int().min(0),
  payloadSha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** One result the bridge gave (the same object that went to `commands/result`). */
export const auditOutcomeRecord = z.strictObject({
  ...common,
  kind: z.literal('outcome'),
  result: commandResultPayload,
  late: z.boolean().describe('An executor outcome that arrived after the bridge had reported `timed_out`.'),
});

/**
 * A message on one of the node's retained topics that the node did not publish, and what the node
 * did: published its own payload again (`reasserted`) or cleared a topic it never used.
 */
export const auditForeignRecord = z.strictObject({
  ...common,
  kind: z.literal('foreign-publish'),
  topic: z.string().max(512),
  action: z.enum(['reasserted', 'cleared']),
  payloadBytes: z.number().int().min(0),
  payloadSha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * What the audit budget left out since the previous summary: rejected (unauthenticated, malformed,
 * stale, replayed) commands and foreign publishes beyond each source's budget are counted here
 * instead of recorded one by one. At most one per second.
 */
export const auditSuppressedRecord = z.strictObject({
  ...common,
  kind: z.literal('suppressed'),
  sinceAt: isoTime.describe('Start of the period this summary covers.'),
  messages: z.number().int().min(1).describe('Messages not recorded one by one in the period.'),
  byReason: z.record(z.string().max(64), z.number().int().min(1)),
  bySource: z.record(z.string().max(80), z.number().int().min(1)).describe('`key:<keyId>` or `anonymous`.'),
  totalSuppressed: z.number().int().min(0).describe('Since boot.'),
  totalRejected: z.number().int().min(0).describe('Rejected or foreign messages since boot, recorded or not.'),
});

/** `audit`: every command and every outcome (QoS 1, in order; restrict reading with a broker ACL). */
export const auditRecordPayload = z
  .discriminatedUnion('kind', [auditCommandRecord, auditOutcomeRecord, auditForeignRecord, auditSuppressedRecord])
  .meta({ id: 'AuditRecord', title: 'shieldlink/v1/<node>/audit' });

export type AuditRecord = z.infer<typeof auditRecordPayload>;
export type AuditCommandRecord = z.infer<typeof auditCommandRecord>;
export type AuditOutcomeRecord = z.infer<typeof auditOutcomeRecord>;
export type AuditForeignRecord = z.infer<typeof auditForeignRecord>;
export type AuditSuppressedRecord = z.infer<typeof auditSuppressedRecord>;

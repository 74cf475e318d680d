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

/** `audit`: every command and every outcome (QoS 1, in order; restrict reading with a broker ACL). */
export const auditRecordPayload = z
  .discriminatedUnion('kind', [auditCommandRecord, auditOutcomeRecord])
  .meta({ id: 'AuditRecord', title: 'shieldlink/v1/<node>/audit' });

export type AuditRecord = z.infer<typeof auditRecordPayload>;
export type AuditCommandRecord = z.infer<typeof auditCommandRecord>;
export type AuditOutcomeRecord = z.infer<typeof auditOutcomeRecord>;

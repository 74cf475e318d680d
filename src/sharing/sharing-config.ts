import { z } from 'zod';
import { declaredPolicySchema, releasePolicySchema } from './release-policy.js';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'expected an id: [A-Za-z0-9][A-Za-z0-9._:-]{0,63}');

/**
 * The bench config's `sharing:` section: this node's partners in a joint picture. Fail-closed:
 * a partner without `release` gets nothing; a node without `sharing` shares nothing and takes
 * nothing.
 */
export const sharingConfigSchema = z
  .object({
    /** A partner picture is stale after this long without a valid message, ms. */
    staleAfterMs: z.number().int().min(100).max(600_000).default(3_000),
    /** How far ahead of this node's UTC a partner timestamp may be (clock disagreement), ms. */
    futureToleranceMs: z.number().int().min(0).max(60_000).default(2_000),
    /** Oldest partner timestamp accepted, ms. */
    maxAgeMs: z.number().int().min(100).max(600_000).default(30_000),
    partners: z
      .array(
        z
          .object({
            id,
            /** The partner's node public key file (`<id>.node.pub.json`), relative to the config. */
            publicKey: z.string().min(1),
            /** What this node sends to the partner; absent: nothing. */
            release: releasePolicySchema.optional(),
            /** What the partner said it sends; messages outside it are dropped. */
            declared: declaredPolicySchema.optional(),
          })
          .strict(),
      )
      .max(16, 'expected at most 16 partners')
      .refine((ps) => new Set(ps.map((p) => p.id)).size === ps.length, { message: 'partner ids must be unique' }),
  })
  .strict();
export type SharingConfig = z.infer<typeof sharingConfigSchema>;

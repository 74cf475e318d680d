import { z } from 'zod';
import { type UnitFields, decimalShift, toInternalUnits } from '../common/config-units.js';
import { declaredPolicySchema, releasePolicySchema } from './release-policy.js';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'expected an id: [A-Za-z0-9][A-Za-z0-9._:-]{0,63}');

/**
 * The bench config's `sharing:` section: this node's partners in a joint picture. Fail-closed:
 * a partner without `release` gets nothing; a node without `sharing` shares nothing and takes
 * nothing.
 */
/** Durations of `sharing:` in seconds → the internal milliseconds (docs/decisions/0030). */
export const SHARING_UNIT_FIELDS = {
  staleAfterS: ['staleAfterMs', 3],
  futureToleranceS: ['futureToleranceMs', 3],
  maxAgeS: ['maxAgeMs', 3],
} as const satisfies UnitFields;

/** Seconds in [min, max] that are a whole number of milliseconds. */
const wholeMsSeconds = (min: number, max: number) =>
  z
    .number({ error: `expected seconds in [${min}, ${max}]` })
    .min(min, `expected at least ${min} s`)
    .max(max, `expected at most ${max} s`)
    .refine((s) => Number.isInteger(decimalShift(s, 3)), { message: 'expected whole milliseconds' });

export const sharingConfigSchema = z
  .object({
    /** A partner picture is stale after this long without a valid message, s. */
    staleAfterS: wholeMsSeconds(0.1, 600).default(3),
    /** How far ahead of this node's UTC a partner timestamp may be (clock disagreement), s. */
    futureToleranceS: wholeMsSeconds(0, 60).default(2),
    /** Oldest partner timestamp accepted, s. */
    maxAgeS: wholeMsSeconds(0.1, 600).default(30),
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
  .strict()
  .transform(toInternalUnits(SHARING_UNIT_FIELDS));
export type SharingConfig = z.infer<typeof sharingConfigSchema>;

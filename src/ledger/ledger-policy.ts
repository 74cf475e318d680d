import { z } from 'zod';

const point = z.strictObject({ eastM: z.number(), northM: z.number(), upM: z.number().optional() });

/**
 * A partner's declared policy (`shieldlink verify --policy FILE`, YAML or JSON). Positions are in
 * the node's local ENU frame (metres), the frame its ledger uses. Every member has a default, so
 * `{}` is the strict default policy: FIRE only at hostiles, inbound, impacting a defended asset.
 */
export const ledgerPolicySchema = z.strictObject({
  /** Who declares it (shown in the verdict). */
  partner: z.string().min(1).max(64).default('partner'),
  /** IFF classes a FIRE may be against. */
  engageableIff: z.array(z.enum(['hostile', 'unknown', 'friendly', 'pending'])).default(['hostile']),
  /** Every FIRE's target must be closing on the asset it threatens. */
  requireInbound: z.boolean().default(true),
  /** Every FIRE's target must be predicted to impact inside a declared defended asset. */
  requireImpactInDefendedAsset: z.boolean().default(true),
  /**
   * Zones the partner protects (horizontal discs): no FIRE against a track whose path started in
   * one and led away from the node's assets, and no declared launcher envelope may reach one.
   */
  protectedZones: z
    .array(z.strictObject({ id: z.string().min(1).max(64), position: point, radiusM: z.number().positive() }))
    .max(1000)
    .default([]),
});

export type LedgerPolicy = z.infer<typeof ledgerPolicySchema>;

/** The policy `verify` applies when no file is given. */
export const DEFAULT_LEDGER_POLICY: LedgerPolicy = ledgerPolicySchema.parse({});

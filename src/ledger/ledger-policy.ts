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
  /**
   * The statistical gate of `--own-radar` (own-eyes.ts): chi-square bound on position and on
   * velocity (3 degrees of freedom each; 16.27 rejects 0.1 % of true matches), the 1-sigma per
   * axis assumed for the node's claims, and the time window around each claim, seconds.
   */
  ownRadar: z
    .strictObject({
      gateChi2: z.number().positive().default(16.27),
      claimSigmaM: z.number().positive().default(50),
      claimSigmaMps: z.number().positive().default(15),
      windowS: z.number().positive().max(60).default(1.5),
    })
    .prefault({}),
});

export type LedgerPolicy = z.infer<typeof ledgerPolicySchema>;

/** The policy `verify` applies when no file is given. */
export const DEFAULT_LEDGER_POLICY: LedgerPolicy = ledgerPolicySchema.parse({});

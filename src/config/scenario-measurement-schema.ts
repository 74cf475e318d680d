import { z } from 'zod';

/**
 * Summary figures a scenario may put a limit on: the run fails (exit 1, JUnit failure)
 * when one is outside its limits. Dotted paths into the run summary (`shieldlink run --json`).
 */
export const MEASURABLE_METRICS = [
  'interceptRatio',
  'intercepted',
  'leakers',
  'friendliesEngaged',
  'launches',
  'firesPlanned',
  'fireRefusals.total',
  'fireRefusals.targetsGivenUp',
  'launchErrorUs.p50',
  'launchErrorUs.p99',
  'reactionMs.p50',
  'reactionMs.p99',
  'speedup',
  'safety.firesWhileLinkLost',
  'safety.duplicateFires',
  'safety.friendlyEngagements',
  'safety.firesWithoutAuthorization',
  // Picture quality against truth (docs/decisions/0019): GOSPA means over the run, SIAP ratios.
  'pictureQuality.gospa.mean',
  'pictureQuality.gospa.max',
  'pictureQuality.gospa.localisation',
  'pictureQuality.gospa.missed',
  'pictureQuality.gospa.false',
  'pictureQuality.gospa.switching',
  'pictureQuality.siap.completeness',
  'pictureQuality.siap.ambiguity',
  'pictureQuality.siap.spuriousness',
  'pictureQuality.siap.positionalAccuracyM',
  'pictureQuality.siap.velocityAccuracyMps',
  'pictureQuality.siap.rateOfTrackNumberChangePerS',
  'pictureQuality.siap.longestTrackSegment',
  'assets.leakers',
  'assets.groundImpacts',
  'assets.valueSaved',
  'assets.valueSavedRatio',
  'assets.roundsPerKill',
  'assets.roundsOnNoAssetThreats',
  'assets.roundsOnNoAssetWhileAssetThreatUnengaged',
  // Threat evaluation against truth: IPP error 30 s before impact (m), tracker position NEES.
  'ipp.count',
  'ipp.errorM.mean',
  'ipp.errorM.p50',
  'ipp.errorM.max',
  'tracker.nees.mean',
  'tracker.nees.inBand95',
  // A joint scenario (nodes:), per node (each node must meet the limit): its joint picture against
  // truth, the same node alone, the gains, fusion consistency and the whole run's speed.
  'joint.gospa.mean',
  'joint.siap.completeness',
  'joint.siap.ambiguity',
  'joint.siap.spuriousness',
  'joint.siap.positionalAccuracyM',
  'joint.alone.gospa.mean',
  'joint.alone.siap.completeness',
  'joint.gospaGainM',
  'joint.gospaVsBestAloneM',
  'joint.firstDetection.earlierOrOnlyThroughPartner',
  'joint.firstDetection.meanGainS',
  'joint.fusedPairs',
  'joint.fusedNees.mean',
  'joint.fusedNees.inBand95',
  'joint.speedup',
] as const;
export type MeasurableMetric = (typeof MEASURABLE_METRICS)[number];

export const measurementSchema = z
  .strictObject({
    /** Shown in reports and JUnit; default the metric path. */
    name: z.string().min(1).optional(),
    metric: z.enum(MEASURABLE_METRICS, { error: `expected one of ${MEASURABLE_METRICS.join(', ')}` }),
    min: z.number().optional(),
    max: z.number().optional(),
    /** Compare the absolute value (launch error can be negative). */
    abs: z.boolean().default(false),
  })
  .refine((m) => m.min !== undefined || m.max !== undefined, { message: 'expected min or max (or both)' });

export type Measurement = z.output<typeof measurementSchema>;

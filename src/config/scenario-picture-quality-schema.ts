import { z } from 'zod';

/**
 * How a run's picture is scored against the simulator's truth (docs/decisions/0019): GOSPA's
 * cut-off, order and switching penalty, the SIAP association radius, and how often the host
 * picture is sampled. Optional in a scenario; absent fields take {@link PICTURE_QUALITY_DEFAULTS}.
 */
export const pictureQualitySchema = z.strictObject({
  /** GOSPA cut-off c, metres: a track farther than this from a truth is false and the truth missed. */
  cutoffM: z.number().positive('expected a cut-off > 0 m').max(1e6, 'expected at most 1000000 m').optional(),
  /** GOSPA order p (1 ≤ p ≤ 10). */
  p: z.number().min(1, 'expected p >= 1').max(10, 'expected p <= 10').optional(),
  /** GOSPA track-switch penalty γ, metres (0 = no switching part). */
  switchingPenaltyM: z.number().min(0, 'expected a penalty >= 0 m').max(1e6, 'expected at most 1000000 m').optional(),
  /** SIAP: a track is on the nearest truth within this distance, metres. */
  associationRadiusM: z.number().positive('expected a radius > 0 m').max(1e6, 'expected at most 1000000 m').optional(),
  /** The host picture is compared with truth this often, seconds (0.1 … 60). */
  samplePeriodS: z.number().min(0.1, 'expected at least 0.1 s').max(60, 'expected at most 60 s').optional(),
});

/** Defaults of {@link pictureQualitySchema}. */
export const PICTURE_QUALITY_DEFAULTS = {
  cutoffM: 500,
  p: 2,
  switchingPenaltyM: 500,
  associationRadiusM: 500,
  samplePeriodS: 1,
} as const;

/** Picture-quality settings with every default filled in. */
export interface PictureQualitySettings {
  readonly cutoffM: number;
  readonly p: number;
  readonly switchingPenaltyM: number;
  readonly associationRadiusM: number;
  readonly samplePeriodS: number;
}

/** The scenario's settings over the defaults. */
export function pictureQualitySettings(
  given: z.output<typeof pictureQualitySchema> | undefined,
): PictureQualitySettings {
  return {
    ...PICTURE_QUALITY_DEFAULTS,
    ...Object.fromEntries(Object.entries(given ?? {}).filter(([, v]) => v !== undefined)),
  };
}

import { z } from 'zod';

/**
 * Faults of a simulated radar's own tracking (its tracker, not its link), drawn from the radar's
 * own seeded stream `<radar id>/track-faults`, so that enabling them shifts no other draw. All
 * off by default; a radar without `trackFaults` behaves exactly as one that tracks by truth.
 */

const number = (what: string) =>
  z.number({ error: (issue) => (issue.input === undefined ? `required: ${what}` : `expected ${what}`) });
const probability = () =>
  number('a probability in [0, 1]')
    .min(0, 'expected a probability in [0, 1]')
    .max(1, 'expected a probability in [0, 1]');
const scans = () =>
  number('a scan count in [1, 1000]')
    .int('expected an integer scan count')
    .min(1, 'expected at least 1 scan')
    .max(1000, 'expected at most 1000 scans');

export const radarTrackFaultsSchema = z.strictObject({
  /**
   * Track swap: each scan, each pair of tracked targets closer than `withinM` to each other
   * exchanges its track numbers with this probability (the radar's track n now follows the
   * other target).
   */
  swap: z
    .strictObject({
      withinM: number('a distance in (0, 100000] m')
        .positive('expected a positive distance')
        .max(100_000, 'expected at most 100000 m'),
      probability: probability(),
    })
    .optional(),
  /**
   * Track split: each scan, each reported track spawns with this probability a second track
   * (a new number, its own noise) on the same target, which lives `scans` scans and is then
   * dropped `lost`. At most one split per target at a time.
   */
  split: z.strictObject({ probability: probability(), scans: scans() }).optional(),
  /**
   * Late initiation: a new track is held back, with this probability, until `scans` further
   * detections confirm it (its first report comes that many detections late).
   */
  lateInitiation: z.strictObject({ probability: probability(), scans: scans() }).optional(),
});

export type RadarTrackFaults = z.output<typeof radarTrackFaultsSchema>;

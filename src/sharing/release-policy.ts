import { z } from 'zod';
import { RELEASABLE_FIELDS } from './shared-tracks-schema.js';

const latDeg = z.number().min(-90, 'expected latitude in -90..90').max(90, 'expected latitude in -90..90');
const lonDeg = z.number().min(-180, 'expected longitude in -180..180').max(180, 'expected longitude in -180..180');
const point = z.object({ latDeg, lonDeg }).strict();

/**
 * A geofence on the WGS-84 ellipsoid (heights are not fenced):
 * - `circle`: points whose horizontal distance from the centre, measured in the centre's local
 *   east-north plane, is at most `radiusM` (at most 1,000 km, where that plane is within 8 % of the
 *   geodesic distance — the error is toward *smaller* distances: a fence is never widened by more);
 * - `polygon`: a simple polygon of 3 to 64 vertices, in latitude/longitude degrees, not crossing
 *   the antimeridian (longitude span < 180°) nor containing a pole; its edges are straight in
 *   latitude/longitude.
 */
export const geofenceSchema = z.union([
  z
    .object({
      circle: z
        .object({
          center: point,
          radiusM: z.number().positive('expected a radius > 0 m').max(1_000_000, 'expected a radius ≤ 1,000 km'),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      polygon: z
        .array(point)
        .min(3, 'expected a polygon of at least 3 vertices')
        .max(64, 'expected at most 64 vertices')
        .refine((v) => Math.max(...v.map((p) => p.lonDeg)) - Math.min(...v.map((p) => p.lonDeg)) < 180, {
          message: 'expected a polygon spanning less than 180° of longitude (no antimeridian crossing)',
        }),
    })
    .strict(),
]);
export type Geofence = z.infer<typeof geofenceSchema>;

const identity = z.string().regex(/^[a-z][a-z0-9-]{0,47}$/, 'expected a lower-case identity, e.g. hostile');

/**
 * What a node releases to one partner. Everything is named, nothing is implied: a track leaves
 * only when its identity is listed and its position (before and after quantisation) is inside the
 * geofence; it leaves at most `maxRateHz` times a second, rounded to `positionQuantumM` /
 * `velocityQuantumMps`, with only the optional `fields` listed. A fused or partner-derived track
 * never leaves, whatever the policy says.
 */
export const releasePolicySchema = z
  .object({
    identities: z.array(identity).max(16).describe('Identities released; [] releases nothing.'),
    geofence: geofenceSchema,
    positionQuantumM: z.number().min(1, 'expected a quantum ≥ 1 m').max(100_000),
    velocityQuantumMps: z.number().min(0.1, 'expected a quantum ≥ 0.1 m/s').max(1_000),
    maxRateHz: z.number().positive('expected a rate > 0 Hz').max(50, 'expected at most 50 Hz'),
    fields: z.array(z.enum(RELEASABLE_FIELDS)).max(RELEASABLE_FIELDS.length),
  })
  .strict();
export type ReleasePolicy = z.infer<typeof releasePolicySchema>;

/**
 * What a partner declared it would send us (checked on intake): identities, a geofence, a
 * maximum rate and the fields. Absent: only the schema, signature, time and pedigree are checked.
 */
export const declaredPolicySchema = releasePolicySchema.omit({ positionQuantumM: true, velocityQuantumMps: true });
export type DeclaredPolicy = z.infer<typeof declaredPolicySchema>;

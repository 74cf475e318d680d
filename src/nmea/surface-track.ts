/**
 * A TTM report as a surface-track measurement in the bench's ENU frame: range and bearing from
 * the radar's position, the bearing turned to true with the radar's heading when it is relative,
 * speed and course to an east/north velocity (up 0: a surface track). Lost targets become drops;
 * targets still in acquisition (query) are not yet tracks.
 */
import type { TtmReport } from './target-sentences.js';

/** Where the ARPA radar is and which way its bow points (relative bearings are from it). */
export interface ArpaRadarPlacement {
  readonly eastM: number;
  readonly northM: number;
  readonly upM: number;
  /** Heading of own ship / the antenna's reference, degrees true; 0 for a fixed radar aligned north. */
  readonly headingDeg: number;
  /** 1-sigma range error, metres (the radar's declared accuracy). */
  readonly rangeSigmaM: number;
  /** 1-sigma bearing error, degrees. */
  readonly bearingSigmaDeg: number;
}

export type SurfaceTrackUpdate =
  | {
      readonly kind: 'measurement';
      readonly targetNumber: number;
      readonly eastM: number;
      readonly northM: number;
      readonly upM: number;
      readonly eastMps: number;
      readonly northMps: number;
      readonly upMps: number;
      /** 1-sigma horizontal position error from the declared range and bearing accuracy at this range. */
      readonly positionSigmaM: number;
      /** false when the TTM carried no speed/course (velocity 0, unknown) */
      readonly velocityKnown: boolean;
    }
  | { readonly kind: 'drop'; readonly targetNumber: number }
  | { readonly kind: 'acquiring'; readonly targetNumber: number };

const RAD = Math.PI / 180;

function toTrue(angleDeg: number, reference: 'true' | 'relative', headingDeg: number): number {
  return reference === 'true' ? angleDeg : (angleDeg + headingDeg) % 360;
}

export function surfaceTrackOf(report: TtmReport, radar: ArpaRadarPlacement): SurfaceTrackUpdate {
  if (report.status === 'lost') return { kind: 'drop', targetNumber: report.targetNumber };
  if (report.status === 'query') return { kind: 'acquiring', targetNumber: report.targetNumber };
  const bearing = toTrue(report.bearingDeg, report.bearingReference, radar.headingDeg) * RAD;
  const known = report.speedMps !== undefined && report.courseDeg !== undefined;
  const course = known ? toTrue(report.courseDeg!, report.courseReference ?? 'true', radar.headingDeg) * RAD : 0;
  const speed = known ? report.speedMps! : 0;
  const crossRangeSigmaM = report.distanceM * radar.bearingSigmaDeg * RAD;
  return {
    kind: 'measurement',
    targetNumber: report.targetNumber,
    eastM: radar.eastM + report.distanceM * Math.sin(bearing),
    northM: radar.northM + report.distanceM * Math.cos(bearing),
    upM: 0,
    eastMps: speed * Math.sin(course),
    northMps: speed * Math.cos(course),
    upMps: 0,
    positionSigmaM: Math.hypot(radar.rangeSigmaM, crossRangeSigmaM),
    velocityKnown: known,
  };
}
